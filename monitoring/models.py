"""防返贫动态监测: one ``MonitoringCase`` per household episode (FP-年-序号), its 三保障/饮水 ``SecurityCheck``s and its
一户一策 ``Measure``s.

Types, risk kinds, measure categories and the yearly monitoring line are data (``MonitoringType``, ``RiskKind``,
``MeasureCategory``, ``MonitoringLine``; the first migration seeds them): policy is moving toward a merged 农村低收入
人口 monitoring.

The lifecycle is a set of guarded model methods writing one history row each:
线索 → 入户核实 → 评议公示 (at least ``MONITORING_PUBLICITY_MIN_DAYS``) → 镇初审 → 县审定 → 监测帮扶中, or 不予纳入 with
a reason; exit 风险消除申请 → 入户核实 → 评议公示 → 县审核批准 → 风险已消除. Nothing is deleted; a household has at
most one open episode, and a new lead after 不予纳入 or 风险已消除 opens a new one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases import Case
from casework.models import CaseCounter
from core.audit import audited_history
from core.concurrency import transition
from governance.models import User

from .querysets import MonitoringCaseQuerySet


class ReferenceData(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class MonitoringType(ReferenceData):
    """脱贫不稳定户 / 边缘易致贫户 / 突发严重困难户, each with the household watch tag that follows the case."""

    tag_code = models.CharField(_("watch tag code"), max_length=32, blank=True)

    class Meta(ReferenceData.Meta):
        verbose_name = _("monitoring type")
        verbose_name_plural = _("monitoring types")


class RiskKind(ReferenceData):
    class Meta(ReferenceData.Meta):
        verbose_name = _("risk kind")
        verbose_name_plural = _("risk kinds")


class MeasureCategory(ReferenceData):
    """产业, 就业 (务工/公益性岗位/技能培训/雨露计划), 健康医疗, …: a sub-category names its parent."""

    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent category"))

    class Meta(ReferenceData.Meta):
        verbose_name = _("measure category")
        verbose_name_plural = _("measure categories")

    def __str__(self) -> str:
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name


class MonitoringLine(models.Model):
    """The year's 监测范围: household net income per person (yuan) under which a household is watched."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("monitoring line (yuan per person)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("monitoring line")
        verbose_name_plural = _("monitoring lines")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    @classmethod
    def for_year(cls, year: int):
        """The line of ``year``, else the latest line before it."""
        line = cls.objects.filter(year__lte=year).order_by("-year").first()
        return line.amount if line else None


class Department(models.TextChoices):
    """The departments whose screening lists (部门筛查预警) come down to the township."""

    MEDICAL = "medical", _("Medical insurance (医保)")
    CIVIL = "civil", _("Civil affairs (民政)")
    EDUCATION = "education", _("Education (教育)")
    HOUSING = "housing", _("Housing and construction (住建)")
    EMERGENCY = "emergency", _("Emergency management (应急)")


class AlertImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A township's alert imports: its staff and supervisors."""
        if user.is_superuser:
            return self.all()
        if user.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR) and user.township_id:
            return self.filter(township=user.township_id)
        return self.none()


class AlertImport(models.Model):
    """A department's 预警 list, uploaded by township staff: each row checked and previewed, then taken all or nothing
    (``alerts.py``). Kept with what came of each row; the rows hold masked ID numbers only."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Checked, not imported")
        IMPORTED = "imported", _("Imported")

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    department = models.CharField(_("department"), max_length=16, choices=Department)
    file_name = models.CharField(_("file"), max_length=200)
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # [{"row", "name", "id", "household", "outcome", "message", "kinds", "note", "case"}]; see alerts.Row
    rows = models.JSONField(_("rows"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PREVIEW)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = AlertImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("department alert import")
        verbose_name_plural = _("department alert imports")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_department_display()} {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:alert-detail", kwargs={"pk": self.pk})

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r["outcome"] == outcome)

    @property
    def has_errors(self) -> bool:
        return any(r["outcome"] == "error" for r in self.rows)


class MonitoringCounter(CaseCounter):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="monitoring_counter_unique_year"),
        ]


class MonitoringCase(Case):
    class Source(models.TextChoices):
        SELF = "self", _("Declared by the household")
        CADRE = "cadre", _("Found by cadres")
        DEPARTMENT = "department", _("Department alert")
        HOUSEHOLD_HEAD = "household_head", _("Reported by a household head")
        VISIT = "visit", _("Found on a visit")

    class Status(models.TextChoices):
        LEAD = "lead", _("Lead")
        VERIFYING = "verifying", _("Home verification")
        PUBLICITY = "publicity", _("Review and publicity")
        TOWNSHIP_REVIEW = "township_review", _("Township first review")
        COUNTY_REVIEW = "county_review", _("County decision")
        MONITORED = "monitored", _("Monitored and assisted")
        REJECTED = "rejected", _("Not included")
        EXIT_APPLIED = "exit_applied", _("Risk elimination applied for")
        EXIT_VERIFYING = "exit_verifying", _("Elimination: home verification")
        EXIT_PUBLICITY = "exit_publicity", _("Elimination: review and publicity")
        EXIT_COUNTY_REVIEW = "exit_county_review", _("Elimination: county approval")
        ELIMINATED = "eliminated", _("Risk eliminated")

    ENTRY_STATUSES = (Status.LEAD, Status.VERIFYING, Status.PUBLICITY, Status.TOWNSHIP_REVIEW, Status.COUNTY_REVIEW)
    #: Taken into monitoring and not yet out of it: the watch tag is on.
    MONITORED_STATUSES = (Status.MONITORED, Status.EXIT_APPLIED, Status.EXIT_VERIFYING, Status.EXIT_PUBLICITY,
                          Status.EXIT_COUNTY_REVIEW)
    CLOSED_STATUSES = (Status.REJECTED, Status.ELIMINATED)
    EVER_MONITORED_STATUSES = (*MONITORED_STATUSES, Status.ELIMINATED)

    household = models.ForeignKey("households.Household", models.PROTECT, related_name="monitoring_cases",
                                  verbose_name=_("household"))
    # Copied from the household when the case is opened: who sees it, and where its 包案 lies.
    village = models.ForeignKey("governance.Village", models.PROTECT, related_name="+", verbose_name=_("village"))
    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="+", verbose_name=_("grid"))
    type = models.ForeignKey(MonitoringType, models.PROTECT, related_name="cases", verbose_name=_("monitoring type"))
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.CADRE)
    department = models.CharField(_("alerting department"), max_length=16, choices=Department, blank=True)
    alert_import = models.ForeignKey(AlertImport, models.PROTECT, null=True, blank=True, related_name="cases",
                                     verbose_name=_("from department alert list"))
    risk_kinds = models.ManyToManyField(RiskKind, blank=True, related_name="cases", verbose_name=_("risk types"))
    found_on = models.DateField(_("identified on"), default=timezone.localdate)
    lead_note = models.TextField(_("what was found"), blank=True)
    registered_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("registered by"))
    visit = models.ForeignKey("households.Visit", models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("visit"))

    members = models.PositiveSmallIntegerField(_("members counted"), default=1)
    income_per_person = models.DecimalField(_("net income per person (yuan)"), max_digits=10, decimal_places=2,
                                            null=True, blank=True)
    income_year = models.PositiveSmallIntegerField(_("income year"), null=True, blank=True)
    # Since when the income has stayed above the line: the 消除 hint asks for six months.
    income_stable_since = models.DateField(_("income stable above the line since"), null=True, blank=True)
    large_costs = models.DecimalField(_("large compliant out-of-pocket costs (yuan)"), max_digits=12,
                                      decimal_places=2, null=True, blank=True)
    self_coping = models.TextField(_("ability to cope"), blank=True)
    no_labour_on_guarantee = models.BooleanField(
        _("no labour capacity, on basic guarantee"), default=False,
        help_text=_("Such households stay monitored and cannot be marked risk-eliminated."))

    consent_signed_on = models.DateField(_("authorisation signed on"), null=True, blank=True)
    contact = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="monitoring_contacts",
                                verbose_name=_("assistance contact"))
    team = models.CharField(_("village work team"), max_length=100, blank=True)
    national_entered_on = models.DateField(_("entered in the national system on"), null=True, blank=True)
    national_number = models.CharField(_("national system number"), max_length=40, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.LEAD)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    publicity_starts_on = models.DateField(_("publicity starts on"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    publicity_minutes = models.TextField(_("review meeting minutes"), blank=True)
    township_reviewed_on = models.DateField(_("township review on"), null=True, blank=True)
    decided_on = models.DateField(_("county decision on"), null=True, blank=True)
    # When the township records the county's decision for a county without users in the product: the county's document.
    county_decision_note = models.CharField(_("county's decision document (recorded on its behalf)"), max_length=200,
                                            blank=True)
    rejection_reason = models.TextField(_("why not included"), blank=True)
    exit_applied_on = models.DateField(_("elimination applied on"), null=True, blank=True)
    eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)

    # The failing items of the latest 三保障/饮水 check ("、"-joined; empty: none or not checked): kept by
    # ``services.check_record``, so lists and the dashboard count open problems without reading the checks.
    security_problems = models.CharField(_("open security problems"), max_length=200, blank=True, editable=False)

    found_in_return = models.ForeignKey(
        "casework.Return", models.PROTECT, null=True, blank=True, related_name="found_monitoring_cases",
        limit_choices_to={"campaign__kind": "poverty"}, verbose_name=_("found in screening return"))

    assignments = GenericRelation(
        "casework.ResponsibilityAssignment", content_type_field="case_type", object_id_field="case_id",
        related_query_name="monitoring_case",
    )

    objects = MonitoringCaseQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("monitoring case")
        verbose_name_plural = _("monitoring cases")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="monitoring_case_unique_number"),
            # One open episode per household: a new lead after 不予纳入 or 风险已消除 opens a new one.
            models.UniqueConstraint(fields=["household"], condition=~Q(status__in=["rejected", "eliminated"]),
                                    name="monitoring_case_one_open_per_household"),
        ]
        indexes = [
            models.Index(fields=["township", "status"], name="monitoring_case_town_status"),
            models.Index(fields=["village", "status"], name="monitoring_case_vill_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.household.head_name}"

    def get_absolute_url(self) -> str:
        return reverse("monitoring:detail", kwargs={"pk": self.pk})

    # --- Reading -------------------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_monitored(self) -> bool:
        return self.status in self.MONITORED_STATUSES

    @property
    def line(self):
        return MonitoringLine.for_year(self.income_year or timezone.localdate().year)

    @property
    def below_line(self) -> bool | None:
        line = self.line
        if line is None or self.income_per_person is None:
            return None
        return self.income_per_person < line

    @property
    def assignment(self):
        cached = getattr(self, "_prefetched_objects_cache", {}).get("assignments")
        if cached is not None:
            return next(iter(cached), None)
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = self.assignments.select_related("lead").first()
        return self._assignment_cache

    @property
    def decision_overdue(self) -> bool:
        a = self.assignment
        return bool(self.status in self.ENTRY_STATUSES and a and a.is_open and a.deadline < timezone.localdate())

    def open_measures(self):
        return [m for m in self.measures.all() if m.done_on is None]

    @property
    def measures_deadline(self) -> dt.date | None:
        """The case's deadline: the earliest planned date of an open measure."""
        dates = [m.planned_on for m in self.open_measures() if m.planned_on]
        return min(dates) if dates else None

    def latest_check(self):
        return self.checks.order_by("-checked_on", "-pk").first()

    @property
    def open_problems(self) -> list[str]:
        return [p for p in self.security_problems.split("、") if p]

    def elimination_hint(self, today: dt.date | None = None) -> bool:
        """消除 is possible: income above the line for six months, the latest checks pass, no measure open, and
        the household is not one without labour capacity on 兜底."""
        today = today or timezone.localdate()
        if self.status != self.Status.MONITORED or self.no_labour_on_guarantee:
            return False
        if self.below_line is not False or not self.income_stable_since:
            return False
        if self.income_stable_since > _months_before(today, 6):
            return False
        check = self.latest_check()
        return bool(check and not check.problems and not self.open_measures())

    def next_visit_on(self) -> dt.date | None:
        """When to visit: the last visit (or the lead) plus the care cadence of the case's watch tag."""
        days = settings.CARE_CADENCE_DAYS.get(self.type.tag_code)
        if not days:
            return None
        last = self.household.visits.aggregate(last=models.Max("visited_on"))["last"]
        return (last or self.found_on) + dt.timedelta(days=days)

    def publicity_earliest_end(self) -> dt.date | None:
        if not self.publicity_starts_on:
            return None
        return self.publicity_starts_on + dt.timedelta(days=settings.MONITORING_PUBLICITY_MIN_DAYS)

    # --- Who may act ----------------------------------------------------------------------------------

    def details_visible_to(self, user) -> bool:
        return sees_details(user)

    def can_act(self, user) -> bool:
        return self.details_visible_to(user) and user.role != User.Role.SUPERVISOR

    def can_decide(self, user) -> bool:
        """镇初审: the township's staff."""
        return user.is_superuser or (user.role == User.Role.TOWNSHIP_STAFF and user.township_id == self.township_id)

    def county_has_users(self) -> bool:
        county_id = self.township.county_id
        return bool(county_id) and User.objects.filter(
            county_id=county_id, is_active=True, role__in=(User.Role.COUNTY_STAFF, User.Role.COUNTY_LEADER)).exists()

    def can_record_county(self, user) -> bool:
        """县审定 and 县审核批准: the county's own staff and leaders record them. A township whose county has no users in
        the product (no county, or none set up yet) has its staff record them on the county's behalf, with the
        county's document (``decides_on_behalf``)."""
        if user.is_superuser:
            return True
        if user.role in (User.Role.COUNTY_STAFF, User.Role.COUNTY_LEADER):
            return user.county_id is not None and user.county_id == self.township.county_id
        return self.can_decide(user) and not self.county_has_users()

    def decides_on_behalf(self, user) -> bool:
        return not user.is_superuser and user.role == User.Role.TOWNSHIP_STAFF

    def _record_county(self, by, note: str) -> list[str]:
        """The county's decision recorded: by the county, or on its behalf with the county's document."""
        if not self.can_record_county(by):
            raise ValidationError(_("The county's decision is recorded by the county's users."))
        if self.decides_on_behalf(by):
            if not note.strip():
                raise ValidationError(_("Recording the county's decision on its behalf: name the county's document "
                                        "(number and date)."))
            self.county_decision_note = note.strip()[:200]
            return ["county_decision_note"]
        return []

    # --- Transitions ----------------------------------------------------------------------------------

    def follow_type(self) -> None:
        """The case's type was edited: a monitored household's watch tag follows it."""
        if self.is_monitored:
            self._tag_household(True)

    def _tag_household(self, on: bool) -> None:
        from households.models import Tag
        from households.services import household_tags_set

        if not self.type.tag_code:
            return
        tag = Tag.objects.filter(code=self.type.tag_code).first()
        if tag is None:
            return
        tags = set(self.household.tags.all())
        watch = set(Tag.objects.filter(code__in=MonitoringType.objects.values("tag_code")))
        tags -= watch
        if on:
            tags.add(tag)
        household_tags_set(household=self.household, tags=tags)

    def _close_clock(self) -> None:
        from casework.services import assignment_close

        assignment_close(case=self)

    @transition
    def verify(self, *, by, on: dt.date) -> None:
        """线索 → 入户核实 (or 风险消除申请 → 入户核实)."""
        self.require_status(self.Status.LEAD, self.Status.EXIT_APPLIED,
                            message=_("Only a lead or an application for elimination is verified at home."))
        self.status = self.Status.VERIFYING if self.status == self.Status.LEAD else self.Status.EXIT_VERIFYING
        self.verified_on = on
        self.commit(by, ["status", "verified_on"], reason="verify")

    @transition
    def start_publicity(self, *, by, starts_on: dt.date, ends_on: dt.date, minutes: str = "") -> None:
        """入户核实 → 评议公示, for at least the minimum number of days."""
        self.require_status(self.Status.VERIFYING, self.Status.EXIT_VERIFYING,
                            message=_("Publicity follows the home verification."))
        minimum = settings.MONITORING_PUBLICITY_MIN_DAYS
        if ends_on < starts_on + dt.timedelta(days=minimum):
            raise ValidationError(_("The publicity lasts at least %(days)d days."), params={"days": minimum})
        self.status = self.Status.PUBLICITY if self.status == self.Status.VERIFYING else self.Status.EXIT_PUBLICITY
        self.publicity_starts_on, self.publicity_ends_on = starts_on, ends_on
        self.publicity_minutes = minutes
        self.commit(by, ["status", "publicity_starts_on", "publicity_ends_on", "publicity_minutes"],
                    reason="start_publicity")

    @transition
    def end_publicity(self, *, by, on: dt.date, minutes: str = "") -> None:
        """评议公示 → 镇初审 (exit: → 县审核批准). Not before the publicity's minimum has passed."""
        self.require_status(self.Status.PUBLICITY, self.Status.EXIT_PUBLICITY,
                            message=_("Only a case in publicity can end its publicity."))
        earliest = max(self.publicity_earliest_end(), self.publicity_ends_on or self.publicity_earliest_end())
        if on < earliest:
            raise ValidationError(_("The publicity cannot end before %(date)s."), params={"date": earliest})
        self.status = (self.Status.TOWNSHIP_REVIEW if self.status == self.Status.PUBLICITY
                       else self.Status.EXIT_COUNTY_REVIEW)
        fields = ["status"]
        if minutes.strip():
            self.publicity_minutes = minutes
            fields.append("publicity_minutes")
        self.commit(by, fields, reason="end_publicity")

    @transition
    def township_approve(self, *, by, on: dt.date) -> None:
        """镇初审 → 县审定."""
        self.require_status(self.Status.TOWNSHIP_REVIEW, message=_("Only a case in township review can pass it."))
        self.status = self.Status.COUNTY_REVIEW
        self.township_reviewed_on = on
        self.commit(by, ["status", "township_reviewed_on"], reason="township_approve")

    @transition
    def county_approve(self, *, by, on: dt.date, note: str = "") -> None:
        """县审定 → 监测帮扶中: the watch tag goes on, the decision clock stops."""
        self.require_status(self.Status.COUNTY_REVIEW, message=_("Only a case awaiting the county can be approved."))
        fields = self._record_county(by, note)
        self.status = self.Status.MONITORED
        self.decided_on = on
        self.commit(by, ["status", "decided_on", *fields], reason="county_approve" + (" (on behalf)" if fields else ""))
        self._tag_household(True)
        self._close_clock()

    @transition
    def reject(self, *, by, on: dt.date, reason: str) -> None:
        """Any entry step → 不予纳入, with the reason."""
        self.require_status(*self.ENTRY_STATUSES, message=_("Only a case not yet decided can be refused."))
        if not reason.strip():
            raise ValidationError(_("Say why the household is not included."))
        self.status = self.Status.REJECTED
        self.decided_on = on
        self.rejection_reason = reason
        self.commit(by, ["status", "decided_on", "rejection_reason"], reason="reject")
        self._close_clock()

    @transition
    def apply_exit(self, *, by, on: dt.date) -> None:
        """监测帮扶中 → 风险消除申请. A household without labour capacity on 兜底 stays monitored."""
        self.require_status(self.Status.MONITORED, message=_("Only a monitored household can apply for elimination."))
        if self.no_labour_on_guarantee:
            raise ValidationError(_("A household without labour capacity on basic guarantee stays monitored."))
        self.status = self.Status.EXIT_APPLIED
        self.exit_applied_on = on
        self.publicity_starts_on = self.publicity_ends_on = None
        self.commit(by, ["status", "exit_applied_on", "publicity_starts_on", "publicity_ends_on"],
                    reason="apply_exit")

    @transition
    def approve_elimination(self, *, by, on: dt.date, note: str = "") -> None:
        """县审核批准 → 风险已消除: the record is kept, the watch tag comes off."""
        self.require_status(self.Status.EXIT_COUNTY_REVIEW,
                            message=_("Only an elimination awaiting the county can be approved."))
        fields = self._record_county(by, note)
        self.status = self.Status.ELIMINATED
        self.eliminated_on = on
        self.commit(by, ["status", "eliminated_on", *fields],
                    reason="approve_elimination" + (" (on behalf)" if fields else ""))
        self._tag_household(False)

    @transition
    def refuse_elimination(self, *, by, reason: str) -> None:
        """Any exit step → back to 监测帮扶中."""
        self.require_status(self.Status.EXIT_APPLIED, self.Status.EXIT_VERIFYING, self.Status.EXIT_PUBLICITY,
                            self.Status.EXIT_COUNTY_REVIEW, message=_("Only an elimination under way can be refused."))
        if not reason.strip():
            raise ValidationError(_("Say why the risk is not eliminated."))
        self.status = self.Status.MONITORED
        self.commit(by, ["status"], reason=f"refuse_elimination: {reason}"[:100])


def sees_details(user) -> bool:
    """Income, health and measures: for cadres and the township; not for grid workers and household heads (联户长),
    who see only that the household is monitored and when to visit, nor for the county."""
    if user.is_superuser:
        return True
    return user.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR, User.Role.TOWNSHIP_CADRE,
                         User.Role.VILLAGE_CADRE)


def _months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError


class SecurityCheck(models.Model):
    """三保障 and 饮水 checked on a visit. A failing item is an open problem on the case until a later check passes."""

    class Schooling(models.TextChoices):
        IN_SCHOOL = "in_school", _("In school")
        DROPPED_OUT = "dropped_out", _("Dropped out")
        TAUGHT_AT_HOME = "taught_at_home", _("Taught at home")

    class Housing(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    case = models.ForeignKey(MonitoringCase, models.PROTECT, related_name="checks", verbose_name=_("case"))
    visit = models.ForeignKey("households.Visit", models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("visit"))
    checked_on = models.DateField(_("checked on"), default=timezone.localdate)
    checked_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("checked by"))
    # [{"name": "…", "status": "in_school"}] for each child aged 6–15.
    schooling = models.JSONField(_("compulsory schooling"), default=list, blank=True)
    all_insured = models.BooleanField(_("all members insured"), default=True)
    serious_illness = models.BooleanField(_("serious or chronic illness"), default=False)
    family_doctor = models.BooleanField(_("family doctor contracted"), default=True)
    housing_grade = models.CharField(_("housing grade"), max_length=1, choices=Housing, default=Housing.A)
    water_ok = models.BooleanField(_("drinking water safe"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("security check")
        verbose_name_plural = _("security checks")
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.checked_on}"

    @property
    def problems(self) -> list[str]:
        """The failing items, in Chinese (they are stored on the case and printed on its papers)."""
        found = []
        if any(c.get("status") == self.Schooling.DROPPED_OUT for c in self.schooling or []):
            found.append("义务教育")
        if not self.all_insured:
            found.append("基本医疗")
        if self.housing_grade in (self.Housing.C, self.Housing.D):
            found.append("住房安全")
        if not self.water_ok:
            found.append("饮水安全")
        return found

    @property
    def passes(self) -> bool:
        return not self.problems


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(case__in=MonitoringCase.objects.visible_to(user).values("pk"))


class Measure(models.Model):
    """一户一策: one help measure of the case's plan."""

    case = models.ForeignKey(MonitoringCase, models.PROTECT, related_name="measures", verbose_name=_("case"))
    category = models.ForeignKey(MeasureCategory, models.PROTECT, related_name="+", verbose_name=_("category"))
    what = models.CharField(_("measure"), max_length=200)
    owner = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("responsible person"))
    owner_name = models.CharField(_("responsible person or unit"), max_length=100, blank=True)
    planned_on = models.DateField(_("planned for"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    objects = MeasureQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return self.what

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    @property
    def done_on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.planned_on


class RevealQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_superuser:
            return self.all()
        if user.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR):
            return self.filter(township=user.township_id)
        return self.none()


class DetailReveal(models.Model):
    """Who saw a monitored household's income, health and measures, when and why. Rows are only ever added."""

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    case = models.ForeignKey(MonitoringCase, models.PROTECT, related_name="reveals", verbose_name=_("case"))
    subject = models.CharField(_("whose"), max_length=64)
    reason = models.CharField(_("reason"), max_length=200)
    user = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("revealed by"))
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = RevealQuerySet.as_manager()

    class Meta:
        verbose_name = _("reveal log entry")
        verbose_name_plural = _("reveal log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.subject}"
