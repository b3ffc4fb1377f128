"""List tables: columns, headers, ordering and the cells that need code (``render_<column>(record)``); each table's
rows are a plain template loop (templates/households/tables/, checked against django-tables2's own rendering by
tests/core/test_list_rows.py). ID numbers and phones are masked here, always; no birth date or age beside a masked
number."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.widgets import escape

from .idnumbers import mask_phone
from .models import Demand, Household, Resident, RevealLog, Visit


def _tag_badges(tags) -> str:
    # As format_html_join(" ", '<span class="badge text-bg-{}">{}</span>', …) writes them, in one join.
    return SafeString(" ".join(f'<span class="badge text-bg-{"danger" if t.is_sensitive else "info"}">'
                               f"{escape(t.name)}</span>" for t in tags))


def _area(grid) -> str:
    return f"{grid.village.name} {grid.name}"


class HouseholdTable(tables.Table):
    head_name = tables.Column(verbose_name=_("Head of household"), linkify=("households:detail", [tables.A("pk")]))
    house_number = tables.Column(verbose_name=_("House number"))
    address = tables.Column(verbose_name=_("Home address"))
    grid = tables.Column(verbose_name=_("Grid"), order_by=("grid__village__name", "grid__name"))
    household_head = tables.Column(verbose_name=_("Linked household head"), default="—")
    # Kept on the household (households/summary.py).
    member_count = tables.Column(verbose_name=_("Members"))
    tags = tables.Column(verbose_name=_("Special groups"), empty_values=(), orderable=False)

    class Meta:
        model = Household
        fields = ["head_name", "house_number", "address", "grid", "household_head", "member_count", "tags"]
        attrs = {"data-testid": "household-table"}
        template_name = "households/tables/household.html"

    def render_grid(self, record):
        return _area(record.grid)

    def order_member_count(self, queryset, is_descending):
        return queryset.order_by(("-" if is_descending else "") + "member_count", "pk"), True

    def render_tags(self, record):
        # ``all_tags``: HouseholdQuerySet.with_member_summary.
        return _tag_badges(record.all_tags) or "—"


class ResidentTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=lambda record: reverse(
        "households:resident-detail", args=[record.pk]))
    gender = tables.Column(verbose_name=_("Gender"))
    age = tables.Column(verbose_name=_("Age in years"), accessor="birth_date", order_by=("-birth_date",))
    id_number = tables.Column(verbose_name=_("ID number"), orderable=False)
    phone = tables.Column(verbose_name=_("Phone"), orderable=False, default="—")
    relation = tables.Column(verbose_name=_("Relation to head"))
    status = tables.Column(verbose_name=_("Status"))
    household = tables.Column(verbose_name=_("Household"), order_by=("household__house_number",))
    area = tables.Column(verbose_name=_("Grid"), accessor="household__grid", order_by=(
        "household__grid__village__name", "household__grid__name"))
    tags = tables.Column(verbose_name=_("Special groups"), empty_values=(), orderable=False)

    class Meta:
        model = Resident
        fields = ["name", "gender", "age", "id_number", "phone", "relation", "status", "household", "area", "tags"]
        attrs = {"data-testid": "resident-table"}
        template_name = "households/tables/resident.html"

    def render_age(self, record):
        return record.age

    def render_id_number(self, record):
        return format_html('<span class="font-monospace">{}</span>', record.masked_id_number)

    def render_phone(self, record):
        return record.masked_phone or "—"

    def render_area(self, record):
        return _area(record.household.grid)

    def render_tags(self, record):
        return _tag_badges(record.shown_tags) or "—"


class VisitTable(tables.Table):
    visited_on = tables.Column(verbose_name=_("Date"), linkify=("households:visit-detail", [tables.A("pk")]))
    households = tables.Column(verbose_name=_("Visited households"), empty_values=(), orderable=False)
    method = tables.Column(verbose_name=_("Method"))
    topics = tables.Column(verbose_name=_("Four topics"), empty_values=(), orderable=False)
    visitor = tables.Column(verbose_name=_("Visitor"), empty_values=(), orderable=False)
    grid = tables.Column(verbose_name=_("Grid"), order_by=("grid__village__name", "grid__name"))
    extras = tables.Column(verbose_name=_("Photos / comments"), empty_values=(), orderable=False)

    class Meta:
        model = Visit
        fields = ["visited_on", "households", "method", "topics", "visitor", "grid", "extras"]
        attrs = {"data-testid": "visit-table"}
        template_name = "households/tables/visit.html"

    def render_households(self, record):
        households = list(record.households.all())
        shown = "、".join(str(h) for h in households[:3])
        return shown + (f" +{len(households) - 3}" if len(households) > 3 else "")

    def render_topics(self, record):
        return topic_labels(record) or "—"

    def render_visitor(self, record):
        return visitor_label(record)

    def render_grid(self, record):
        return _area(record.grid)

    def render_extras(self, record):
        return f"{record.photo_count} / {record.comment_count}"


def topic_labels(visit) -> str:
    labels = [(visit.topic_living, _("Living")), (visit.topic_production, _("Production")),
              (visit.topic_policy, _("Policy")), (visit.topic_development, _("Development"))]
    return "、".join(str(label) for on, label in labels if on)


def visitor_label(visit) -> str:
    if visit.visitor_head_id:
        return str(visit.visitor_head)
    return str(visit.visitor) if visit.visitor_id else "—"


class FollowUpTable(tables.Table):
    """The households not visited in a while, or past their care cadence."""

    head_name = tables.Column(verbose_name=_("Head of household"), linkify=("households:detail", [tables.A("pk")]))
    house_number = tables.Column(verbose_name=_("House number"))
    grid = tables.Column(verbose_name=_("Grid"), orderable=False)
    household_head = tables.Column(verbose_name=_("Linked household head"), default="—", orderable=False)
    last_visit = tables.DateColumn(verbose_name=_("Last visit"), default=_("never"))
    tags = tables.Column(verbose_name=_("Special groups"), empty_values=(), orderable=False)
    log = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = Household
        fields = ["head_name", "house_number", "grid", "household_head", "last_visit", "tags"]
        attrs = {"data-testid": "follow-up-table"}
        template_name = "households/tables/follow_up.html"

    render_grid = HouseholdTable.render_grid
    render_tags = HouseholdTable.render_tags

    def render_log(self, record):
        url = reverse("households:visit-create") + f"?household={record.pk}"
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>', url, _("Log a visit"))


class CadenceTable(FollowUpTable):
    cadence = tables.Column(verbose_name=_("Cadence (days)"))

    class Meta(FollowUpTable.Meta):
        fields = ["head_name", "house_number", "grid", "household_head", "cadence", "last_visit", "tags"]
        template_name = "households/tables/cadence.html"


class DemandTable(tables.Table):
    created_at = tables.DateColumn(verbose_name=_("Raised on"))
    number = tables.Column(verbose_name=_("number"), linkify=("households:demand-detail", [tables.A("pk")]))
    content = tables.Column(verbose_name=_("Demand"))
    household = tables.Column(verbose_name=_("Household"), default="—")
    category = tables.Column(verbose_name=_("demand category"), default="—")
    level = tables.Column(verbose_name=_("demand handling level"))
    deadline = tables.DateColumn(verbose_name=_("Handle by"), default="—")
    owner = tables.Column(verbose_name=_("person responsible for the demand"), default="—")
    status = tables.Column(verbose_name=_("Status"))
    grid = tables.Column(verbose_name=_("Grid"), orderable=False)

    class Meta:
        model = Demand
        fields = ["created_at", "number", "content", "household", "category", "level", "deadline", "owner", "status",
                  "grid"]
        attrs = {"data-testid": "demand-table"}
        template_name = "households/tables/demand.html"

    def render_content(self, record):
        return record.content if len(record.content) <= 60 else record.content[:60] + "…"

    def render_grid(self, record):
        return _area(record.grid)


class RevealLogTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i")
    user = tables.Column(verbose_name=_("Who"))
    subject = tables.Column(verbose_name=_("Whose"))
    field = tables.Column(verbose_name=_("What"))
    reason = tables.Column(verbose_name=_("Reason"))
    ip_address = tables.Column(verbose_name=_("Address"), default="—")

    class Meta:
        model = RevealLog
        fields = ["at", "user", "subject", "field", "reason", "ip_address"]
        attrs = {"data-testid": "reveal-log-table"}
        template_name = "households/tables/reveal_log.html"


def masked_head_phone(head) -> str:
    return mask_phone(head.phone) if head else ""
