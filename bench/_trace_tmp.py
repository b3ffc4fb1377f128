import django, datetime as dt
django.setup()
from django.http import QueryDict
from governance.models import User
from dashboards.forms import DashboardFilterForm
u = User.objects.filter(role="township_staff").order_by("pk").first()
f = DashboardFilterForm(QueryDict(""), user=u, today=dt.date.today())
print(list(f.fields))
for name, field in f.fields.items():
    print(name, type(field.widget.choices) if hasattr(field.widget, "choices") else None, getattr(getattr(field.widget, "choices", None), "queryset", None) is not None and field.widget.choices.queryset.model)
