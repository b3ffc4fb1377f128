"""The petition list: overdue rows red (CSS class "overdue"), supervision shown as a yellow or red card."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.batching import plain_rows
from core.widgets import escape

from .models import Petition, Petitioner, choice_labels


def row_class(record: Petition, table=None) -> str:
    today = getattr(table, "today", None)
    return "overdue" if not record.is_finished and record.days_left(today) < 0 else ""


class PetitionTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=("petitions:detail", {"pk": tables.A("pk")}),
                           order_by=("year", "sequence"))
    received_on = tables.DateColumn(verbose_name=_("Received on"), format="Y-m-d")
    channel = tables.Column(verbose_name=_("Channel"))
    forms = tables.Column(verbose_name=_("Form"), empty_values=(), orderable=False)
    subject = tables.Column(verbose_name=_("Subject"))
    petitioners = tables.Column(verbose_name=_("Petitioners"), empty_values=(), orderable=False)
    village = tables.Column(verbose_name=_("Village"), order_by=("village__name",))
    lead = tables.Column(verbose_name=_("Lead official"), empty_values=(), orderable=False)
    due_on = tables.Column(verbose_name=_("Due"), order_by=("due_on",))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Petition
        fields: list[str] = []
        # What matters first (on a phone the rest is a scroll away): number, subject, status, due date.
        sequence = (
            "number", "subject", "status", "due_on", "received_on", "channel", "forms", "petitioners", "village",
            "lead",
        )
        row_attrs = {"class": row_class, "data-testid": "petition-row"}
        # One line per petition; on a phone the table scrolls sideways instead of wrapping into a column of words.
        attrs = {"class": "table table-sm table-hover align-middle text-nowrap"}
        order_by = "-received_on"
        template_name = "petitions/tables/petition.html"  # the rows: a plain template loop (tests/core/test_list_rows.py)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once for the table, not once a row: the forms' labels and the notes in the active language, and
        # today.
        self.labels = choice_labels()
        self.today = timezone.localdate()
        self.notes = (str(_("%(days)s days overdue")), str(_("%(days)s days left")))

    def render_forms(self, record: Petition):
        # As format_html_join(" ", '<span class="badge text-bg-light">{}</span>', …) writes them, in one join.
        forms = self.labels["form"]
        return SafeString(" ".join(f'<span class="badge text-bg-light">{escape(forms[f])}</span>' for f in record.forms))

    def render_petitioners(self, record: Petition):
        return petitioner_summary(record)

    def render_lead(self, record: Petition):
        assignment = assignment_of(record)
        if assignment is None:
            return "—"
        card = ""
        if assignment.supervision_level:
            card = format_html(
                ' <span class="badge badge-{}" data-testid="supervision">{}</span>',
                assignment.supervision_level, assignment.get_supervision_level_display(),
            )
        return format_html("{}{}", assignment.lead, card)

    def render_due_on(self, record: Petition):
        due = record.due_on.isoformat()  # YYYY-MM-DD
        if record.is_finished:
            return SafeString(due)
        days = record.days_left(self.today)
        note = self.notes[0] % {"days": -days} if days < 0 else self.notes[1] % {"days": days}
        return SafeString(f"{due}<br><small>{escape(note)}</small>")


def attach_petitioner_names(petitions: list[Petition]) -> None:
    """``_petitioner_names`` on each petition, from one plain statement (``AfterFetchQuerySet.after_fetch``)."""
    names: dict[int, list[str]] = {}
    for petition_id, name in plain_rows(Petitioner, ("petition_id", "name"), "petition_id", [p.pk for p in petitions],
                                        order_by=("position", "id")):
        names.setdefault(petition_id, []).append(name)
    for petition in petitions:
        petition._petitioner_names = names.get(petition.pk, [])


def petitioner_summary(petition: Petition) -> str:
    """"张三、李四" or "张三、李四等12人" (names attached by ``attach_petitioner_names`` or prefetched)."""
    names = getattr(petition, "_petitioner_names", None)
    if names is None:
        names = [p.name for p in petition.petitioners.all()]
    text = "、".join(names[:3])
    if petition.head_count > len(names[:3]):
        return str(_("%(names)s and others (%(count)s people)")) % {"names": text, "count": petition.head_count}
    return text


def assignment_of(petition: Petition):
    """The assignment (one per petition), attached by ``attach_assignments`` or prefetched."""
    if hasattr(petition, "_assignment_cache"):
        return petition._assignment_cache
    assignments = list(petition.assignments.all())
    return assignments[0] if assignments else None
