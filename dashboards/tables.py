import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.models import ResponsibilityAssignment

CASE_LABELS = {"dispute": _("Dispute"), "petition": _("Petition"), "return": _("Screening return")}


def _row_class(record) -> str:
    return "overdue" if record.is_open and record.deadline < timezone.localdate() else ""


class AssignmentTable(tables.Table):
    case_label = tables.Column(verbose_name=_("case"), attrs={"td": {"class": "text-wrap"}})
    case = tables.Column(verbose_name=_("Case type"), accessor="case_type__model", orderable=False)
    village = tables.Column(verbose_name=_("village"), accessor="village__name", default="—")
    lead = tables.Column(verbose_name=_("lead official"))
    responsible_unit = tables.Column(verbose_name=_("responsible unit"))
    deadline = tables.DateColumn(verbose_name=_("deadline"), format="Y-m-d")
    days_overdue = tables.Column(verbose_name=_("Days overdue"), accessor="deadline", orderable=False,
                                 empty_values=())
    supervision_level = tables.Column(verbose_name=_("supervision"))
    four_done = tables.Column(verbose_name=_("Four responsibilities"), orderable=False, empty_values=(),
                              attrs={"td": {"data-testid": "four-done"}})

    class Meta:
        model = ResponsibilityAssignment
        fields: list[str] = []
        sequence = ("case_label", "case", "village", "lead", "responsible_unit", "deadline", "days_overdue",
                    "supervision_level", "four_done")
        row_attrs = {"class": _row_class, "data-testid": "assignment-row"}
        attrs = {"class": "table table-sm table-hover align-middle text-nowrap"}
        empty_text = _("No responsibility assignments.")
        order_by = "deadline"
        template_name = "dashboards/tables/assignment.html"  # the rows: a plain template loop (tests/core/test_list_rows.py)

    def render_case_label(self, record):
        if record.case_url:
            return format_html('<a href="{}">{}</a>', record.case_url, record.case_label)
        return record.case_label

    def render_case(self, record):
        model = record.case_type.model
        return CASE_LABELS.get(model, model)

    def render_days_overdue(self, record):
        days = (timezone.localdate() - record.deadline).days
        if not record.is_open or days <= 0:
            return "—"
        return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}

    def render_four_done(self, record):
        """How many of the 四包 are ticked off, of four (the list annotates ``four_done``)."""
        return f"{getattr(record, 'four_done', 0) or 0}/4"

    def render_supervision_level(self, record):
        if not record.supervision_level:
            return "—"
        return format_html('<span class="badge badge-{}">{}</span>', record.supervision_level,
                           record.get_supervision_level_display())
