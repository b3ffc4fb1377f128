import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker: the cyclic garbage collector
# stops walking it on its full collections (measured: ~0.8 ms of every list page, see README "Benchmarks").
gc.freeze()
