import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Measure, MonitoringCase


def _row_class(record) -> str:
    return "overdue" if record.decision_overdue else ""


class MonitoringTable(tables.Table):
    number = tables.Column(linkify=("monitoring:detail", {"pk": tables.A("pk")}),
                           attrs={"td": {"class": "text-nowrap"}})
    found_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    village = tables.Column(accessor="village__name", verbose_name=_("village"))
    head = tables.Column(accessor="household__head_name", verbose_name=_("head of household"))
    type = tables.Column(accessor="type__name", verbose_name=_("monitoring type"))
    contact = tables.Column(verbose_name=_("assistance contact"))
    deadline = tables.Column(verbose_name=_("decision due"), empty_values=(), orderable=False)

    class Meta:
        model = MonitoringCase
        # What matters first (on a phone the rest is a scroll away): number, household, status, deadline.
        fields = ["number", "head", "status", "deadline", "found_on", "village", "type", "members", "contact"]
        row_attrs = {"class": _row_class, "data-testid": "case-row"}
        empty_text = _("No monitoring cases.")

    def render_deadline(self, record):
        a = record.assignment
        if a is None or not a.is_open:
            return "—"
        return a.deadline.isoformat()


class MeasureTable(tables.Table):
    """一户一策 measures without what they give or cost (details shown on the case after a logged reveal)."""

    case = tables.Column(accessor="case__number", verbose_name=_("monitoring case"),
                         linkify=("monitoring:detail", {"pk": tables.A("case_id")}))
    village = tables.Column(accessor="case__village__name", verbose_name=_("village"))
    head = tables.Column(accessor="case__household__head_name", verbose_name=_("head of household"))
    owner = tables.Column(verbose_name=_("responsible person"), empty_values=(), orderable=False)
    planned_on = tables.DateColumn(format="Y-m-d")
    done_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Measure
        fields = ["case", "village", "head", "category", "owner", "planned_on", "done_on"]
        row_attrs = {"data-testid": "measure-row"}
        empty_text = _("No measures.")

    def render_owner(self, record):
        return record.owner or record.owner_name or "—"
