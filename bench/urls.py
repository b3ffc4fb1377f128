"""Our URLconf plus the baseline: a bare django-tables2 list of households, no filters, no app code."""

import django_tables2 as tables
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns
from households.models import Household


class BareHouseholdTable(tables.Table):
    class Meta:
        model = Household
        fields = ("id", "head_name", "address", "house_number", "residence_type")
        template_name = "django_tables2/bootstrap5-responsive.html"  # the stock template, not ours


class BaselineListView(tables.SingleTableView):
    model = Household
    table_class = BareHouseholdTable
    template_name = "bench/baseline.html"
    paginate_by = 25
    ordering = ["pk"]


urlpatterns = [path("bench/baseline/", BaselineListView.as_view(), name="bench-baseline"), *app_urlpatterns]
