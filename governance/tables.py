"""Tables of the organisation lists (django-tables2): the columns, headers, ordering and the cells that need code
(``render_<column>(record)``); each table's rows are a plain template loop (templates/governance/tables/, checked
against django-tables2's own rendering by tests/core/test_list_rows.py). Counts come annotated from the view's
queryset so that a page costs the same number of queries at 10 rows and at 100."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.masking import mask_phone

from .models import CalendarDay, Grid, HouseholdHead, User, Village

#: A column shown from the md breakpoint up: on a 360 px phone a list keeps only what identifies a row.
WIDE = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}
WIDE_NUMBER = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell text-end"}}


class VillageTable(tables.Table):
    name = tables.Column(linkify=("governance:village-detail", {"pk": tables.A("pk")}))
    code = tables.Column(attrs=WIDE)
    kind = tables.Column(attrs=WIDE)
    grid_count = tables.Column(verbose_name=_("Grids"), attrs={"td": {"class": "text-end"}})
    head_count = tables.Column(verbose_name=_("Household heads"), attrs=WIDE_NUMBER)
    household_count = tables.Column(verbose_name=_("Households"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Village
        fields = ["name", "code", "kind", "grid_count", "head_count", "household_count"]
        empty_text = _("No villages.")
        template_name = "governance/tables/village.html"


class GridTable(tables.Table):
    name = tables.Column(linkify=("governance:grid-detail", {"pk": tables.A("pk")}))
    village = tables.Column(accessor="village__name", verbose_name=_("Village"))
    leader = tables.Column(verbose_name=_("Grid leader"), default="—", attrs=WIDE)
    head_count = tables.Column(verbose_name=_("Household heads"), attrs=WIDE_NUMBER)
    household_count = tables.Column(verbose_name=_("Households"), attrs={"td": {"class": "text-end"}})
    merged_into = tables.Column(verbose_name=_("Status"), default="", order_by=("merged_at",))

    class Meta:
        model = Grid
        fields = ["name", "village", "leader", "head_count", "household_count", "merged_into"]
        empty_text = _("No grids.")
        template_name = "governance/tables/grid.html"

    def render_merged_into(self, record):
        return format_html('<span class="badge text-bg-secondary">{} {}</span>', _("Merged into"),
                           record.merged_into.name)

    def value_merged_into(self, value):
        return value.name if value else ""


class HeadTable(tables.Table):
    name = tables.Column(linkify=("governance:head-detail", {"pk": tables.A("pk")}))
    grid = tables.Column(verbose_name=_("Grid"), order_by=("grid__village__name", "grid__name"))
    phone = tables.Column(attrs=WIDE)
    certificate_number = tables.Column(attrs=WIDE)
    appointed_on = tables.Column(attrs=WIDE)
    term_ends_on = tables.Column(attrs=WIDE)
    household_count = tables.Column(verbose_name=_("Households"), attrs=WIDE_NUMBER)
    status = tables.Column()

    class Meta:
        model = HouseholdHead
        fields = ["name", "grid", "phone", "certificate_number", "appointed_on", "term_ends_on",
                  "household_count", "status"]
        empty_text = _("No household heads.")
        template_name = "governance/tables/head.html"

    def render_grid(self, record):
        return f"{record.grid.village.name} {record.grid.name}"

    def render_phone(self, record):
        return mask_phone(record.phone)

    def render_status(self, record):
        css = "text-bg-success" if record.in_office else "text-bg-secondary"
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())


class UserTable(tables.Table):
    username = tables.Column(linkify=("governance:user-detail", {"pk": tables.A("pk")}))
    display_name = tables.Column(attrs=WIDE)
    scope = tables.Column(verbose_name=_("Scope"), empty_values=(), orderable=False)
    phone = tables.Column(attrs=WIDE)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_login = tables.Column(attrs=WIDE)

    class Meta:
        model = User
        fields = ["username", "display_name", "role", "scope", "phone", "is_active", "last_login"]
        empty_text = _("No users.")
        template_name = "governance/tables/user.html"

    def render_phone(self, record):
        return mask_phone(record.phone)

    def render_scope(self, record):
        names = [v.name for v in record.villages.all()] + [f"{g.village.name} {g.name}" for g in record.grids.all()]
        if record.household_head is not None:
            names.append(str(record.household_head))
        if not names:
            if record.role in (User.Role.COUNTY_STAFF, User.Role.COUNTY_LEADER):
                return _("Whole county")
            return _("Whole township") if record.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR) else "—"
        return format_html_join("", '<span class="badge text-bg-light me-1">{}</span>', ((n,) for n in names))


class CalendarDayTable(tables.Table):
    date = tables.Column(linkify=("governance:calendar-edit", {"pk": tables.A("pk")}))
    weekday = tables.Column(verbose_name=_("Weekday"), accessor="date", orderable=False)

    class Meta:
        model = CalendarDay
        fields = ["date", "weekday", "kind", "name"]
        empty_text = _("No holidays or make-up workdays in this year.")
        template_name = "governance/tables/calendarday.html"

    links_days = True  # to the day's edit page (the template reads it)

    def render_weekday(self, record):
        return date_format(record.date, "l")


class ReadOnlyCalendarDayTable(CalendarDayTable):
    """The calendar for those who read it only: no link to the edit page."""

    date = tables.Column()
    links_days = False

    class Meta(CalendarDayTable.Meta):
        pass
