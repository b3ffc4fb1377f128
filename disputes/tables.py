import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Dispute


def _row_class(record) -> str:
    return "overdue" if record.overdue else ""


class DisputeTable(tables.Table):
    number = tables.Column(linkify=("disputes:detail", {"pk": tables.A("pk")}), attrs={"td": {"class": "text-nowrap"}})
    registered_on = tables.DateColumn(format="Y-m-d", attrs={"td": {"class": "text-nowrap"}})
    title = tables.Column(attrs={"td": {"class": "cell-title"}})
    village = tables.Column(accessor="village__name", verbose_name=_("village"))
    lead = tables.Column(verbose_name=_("lead official"), empty_values=(), orderable=False)
    deadline = tables.Column(verbose_name=_("deadline"), empty_values=(), orderable=False)

    class Meta:
        model = Dispute
        # What matters first (on a phone the rest is a scroll away): number, title, status, deadline.
        fields = ["number", "title", "status", "deadline", "registered_on", "kind", "village", "level", "risk",
                  "lead"]
        row_attrs = {"class": _row_class, "data-testid": "dispute-row"}
        empty_text = _("No disputes.")
        template_name = "disputes/tables/dispute.html"  # the rows: a plain template loop (tests/core/test_list_rows.py)

    def render_lead(self, record):
        a = record.assignment
        return str(a.lead) if a else "—"

    def render_deadline(self, record):
        a = record.assignment
        if a is None:
            return "—"
        badge = ""
        if a.supervision_level:
            badge = format_html(' <span class="badge badge-{}">{}</span>', a.supervision_level,
                                a.get_supervision_level_display())
        return format_html("{}{}", a.deadline.isoformat(), badge)

    def render_risk(self, record):
        if record.is_serious:
            return format_html('<span class="text-danger fw-semibold">{}</span>', record.get_risk_display())
        return record.get_risk_display()
