import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the worker: the cyclic garbage collector
# stops walking it on its full collections (measured: ~0.8 ms of every list page, see README "Benchmarks").
gc.freeze()
# With the default thresholds (700, 10, 10) the collector ran two young collections and often an older one during
# each list page, 0.5 to 1 ms of it (measured over `make bench`'s pages; the bare baseline list ran a third as many).
# Collections are made rarer: a young one every few dozen requests, still long before garbage adds up.
gc.set_threshold(50_000, 20, 100)
