import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import HygieneInspection


class HygieneInspectionTable(tables.Table):
    inspected_on = tables.DateColumn(format="Y-m-d")
    village = tables.Column(accessor="household__grid__village__name", verbose_name=_("village"))
    household = tables.Column(accessor="household__house_number", verbose_name=_("house number"))
    head = tables.Column(accessor="household__head_name", verbose_name=_("head of household"))

    class Meta:
        model = HygieneInspection
        fields = ["inspected_on", "village", "household", "head", "sundries", "waste", "yard", "toilet",
                  "livestock", "total", "inspector", "note"]
        row_attrs = {"data-testid": "inspection-row"}
        empty_text = _("No hygiene inspections.")
