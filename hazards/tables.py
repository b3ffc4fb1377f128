import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Hazard


def _row_class(record) -> str:
    return "overdue" if record.is_overdue else ""


class HazardTable(tables.Table):
    number = tables.Column(linkify=("hazards:detail", {"pk": tables.A("pk")}), attrs={"td": {"class": "text-nowrap"}})
    found_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    village = tables.Column(accessor="village__name", verbose_name=_("village"))
    grid = tables.Column(accessor="grid__name", verbose_name=_("grid"))
    field = tables.Column(accessor="field__name", verbose_name=_("field"))
    description = tables.Column(orderable=False, attrs={"td": {"class": "cell-title"}})
    deadline = tables.Column(verbose_name=_("rectification deadline"), empty_values=())

    class Meta:
        model = Hazard
        # What matters first (on a phone the rest is a scroll away): number, what it is, status, deadline.
        fields = ["number", "description", "status", "deadline", "found_on", "village", "grid", "field", "grade",
                  "round"]
        row_attrs = {"class": _row_class, "data-testid": "hazard-row"}
        empty_text = _("No hazards.")

    def render_description(self, value):
        text = " ".join(value.split())
        return text if len(text) <= 40 else text[:39] + "…"

    def render_grade(self, record, value):
        if record.is_major:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return value

    def render_deadline(self, record):
        if record.deadline is None:
            return "—"
        a = record.assignment
        badge = ""
        if a is not None and a.supervision_level:
            badge = format_html(' <span class="badge badge-{}">{}</span>', a.supervision_level,
                                a.get_supervision_level_display())
        return format_html("{}{}", record.deadline.isoformat(), badge)
