import django, sys
django.setup()
import datetime as dt
from django.db import connection
from governance.models import User
from households import figures
u = User.objects.filter(role="township_staff").order_by("pk").first()
today = dt.date(2026, 11, 21)
qs = figures.dashboard_by_grid(u, today=today)
from households.models import Household
from django.db.models import Count
q = Household.objects.visible_to(u).order_by().aggregate
what = sys.argv[1]
if what == "cadence":
    qs = Household.objects.visible_to(u).filter(figures.past_cadence_q(today=today)).values("pk")
else:
    qs = Household.objects.visible_to(u).order_by().values("grid").annotate(n=Count("pk", filter=figures.past_cadence_q(today=today)))
sql, params = qs.query.sql_with_params()
with connection.cursor() as c:
    if len(sys.argv) > 2: c.execute("SET jit = off")
    c.execute("EXPLAIN (ANALYZE) " + sql, params)
    for row in c.fetchall(): print(row[0])
