import django, sys, time
django.setup()
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
from governance.models import User
role = sys.argv[1] if len(sys.argv) > 1 else "township_staff"
qs = sys.argv[2] if len(sys.argv) > 2 else ""
u = User.objects.filter(role=role).order_by("pk").first()
c = Client(); c.force_login(u)
r = c.get("/dashboards/" + qs)
print(r.status_code)
with CaptureQueriesContext(connection) as ctx:
    t = time.perf_counter(); r = c.get("/dashboards/" + qs); dt_ = time.perf_counter() - t
print("queries", len(ctx.captured_queries), "ms", round(dt_ * 1000))
for q in ctx.captured_queries:
    print(round(float(q["time"]) * 1000), q["sql"][:int(__import__("os").environ.get("W","150"))])
open("/tmp/dash_page.html", "w").write(r.content.decode())
