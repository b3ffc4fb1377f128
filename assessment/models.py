"""考核·评议·星级: schemes of items (四员 plus 纪律 and 加分), runs that snapshot the computed values and move through
review, publicity and appeals to a final grade, and 群众评议 (sampled satisfaction) recorded by township staff.

A module above the case types (like reception): it reads households, disputes, hazards and petitions; they never
import it. The other module's figures (宣传 reach, training) are read through ``outreach.metrics`` only when that
app is installed (assessment/metrics.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audited_history
from core.scoping import ScopedQuerySet, ScopeKind, scope_of
from governance.models import TimeStampedModel, Township, User

ZERO = Decimal("0")


class SubjectKind(models.TextChoices):
    HEAD = "head", _("Household head (联户长)")
    GRID_WORKER = "grid_worker", _("Grid worker (网格员)")
    VILLAGE = "village", _("Village (村)")
    GRID = "grid", _("Grid (网格)")
    HOUSEHOLD = "household", _("Household (户)")


class Period(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    YEAR = "year", _("Yearly")


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month, quarter or year holding ``day``."""
    if kind == Period.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    first_month = day.month if kind == Period.MONTH else 3 * ((day.month - 1) // 3) + 1
    first = dt.date(day.year, first_month, 1)
    last_month = first_month if kind == Period.MONTH else first_month + 2
    after = dt.date(day.year + last_month // 12, last_month % 12 + 1, 1)
    return first, after - dt.timedelta(days=1)


def period_label(kind: str, first: dt.date) -> str:
    """In Chinese whatever the UI language: the label is printed on the papers."""
    if kind == Period.YEAR:
        return f"{first.year}年度"
    if kind == Period.QUARTER:
        return f"{first.year}年第{(first.month - 1) // 3 + 1}季度"
    return f"{first.year}年{first.month}月"


class TownshipOnlyQuerySet(ScopedQuerySet):
    """Rows of the township alone: township-wide roles (and the county over its townships) see them."""

    scope_township_path = "township"
    scope_village_path = None
    scope_grid_path = None


class Scheme(TimeStampedModel):
    """考核方案: what is scored, for whom, how often, out of how much, and where the stars and grades fall."""

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    name = models.CharField(_("scheme name"), max_length=100)
    subject_kind = models.CharField(_("assessed"), max_length=16, choices=SubjectKind, default=SubjectKind.HEAD)
    period = models.CharField(_("assessment period"), max_length=8, choices=Period, default=Period.QUARTER)
    full_score = models.DecimalField(_("full score"), max_digits=6, decimal_places=1, default=Decimal("100"))
    # [[minimum score, stars], …] from the highest band down; below the last band: 1 star.
    star_bands = models.JSONField(_("star bands"), default=list, blank=True,
                                  help_text=_("Minimum score for 5, 4, 3 and 2 stars, e.g. 90, 80, 70, 60."))
    excellent_from = models.DecimalField(_("excellent from"), max_digits=6, decimal_places=1, default=Decimal("90"))
    pass_from = models.DecimalField(_("pass from"), max_digits=6, decimal_places=1, default=Decimal("60"))
    publicity_days = models.PositiveSmallIntegerField(_("days of publicity"), default=5)
    appeal_answer_days = models.PositiveSmallIntegerField(_("days to answer an appeal"), default=5)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    approved_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("scheme approved by"))
    approved_at = models.DateTimeField(_("scheme approved at"), null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("drafted by"))
    # Who last changed its items (assessment/views.py): they do not approve the scheme either.
    items_edited_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name=_("items last changed by"))

    objects = TownshipOnlyQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["township", "-effective_from", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessment:scheme-detail", kwargs={"pk": self.pk})

    @property
    def is_approved(self) -> bool:
        return self.approved_by_id is not None

    def bands(self) -> list[tuple[Decimal, int]]:
        return sorted(((Decimal(str(score)), int(stars)) for score, stars in self.star_bands), reverse=True)

    def stars_for(self, score: Decimal) -> int:
        for minimum, stars in self.bands():
            if score >= minimum:
                return stars
        return 1

    def grade_for(self, score: Decimal) -> str:
        if score >= self.excellent_from:
            return Run.Grade.EXCELLENT
        return Run.Grade.PASS if score >= self.pass_from else Run.Grade.FAIL

    def points_in_items(self) -> Decimal:
        """The most its items can give (deductions give nothing): the full score, when the items are well set."""
        return sum((i.max_points for i in self.items.all() if not i.is_deduction), Decimal(0))

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def approve(self, *, by: User) -> None:
        """方案审定: by someone other than who drafted it."""
        if self.is_approved:
            raise ValidationError(_("This scheme is already approved."))
        if by.pk == self.created_by_id:
            raise ValidationError(_("A scheme is approved by someone other than who drafted it."))
        if by.pk == self.items_edited_by_id:
            raise ValidationError(_("A scheme is approved by someone other than who last changed its items."))
        if not self.items.exists():
            raise ValidationError(_("A scheme needs at least one item before it is approved."))
        self.approved_by, self.approved_at = by, timezone.now()
        self.save(update_fields=["approved_by", "approved_at", "updated_at"])


class ItemQuerySet(ScopedQuerySet):
    """A scheme's items are seen exactly where their scheme is seen."""

    scope_township_path = "scheme__township"
    scope_village_path = None
    scope_grid_path = None

    def visible_to(self, user):
        return self.filter(scheme__in=Scheme.objects.visible_to(user).values("pk"))


class Item(models.Model):
    """考核细则: one line of the scheme, computed from data the product holds or entered by hand with evidence."""

    class Duty(models.TextChoices):
        COLLECT = "collect", _("Information collector (民情信息收集员)")
        PUBLICISE = "publicise", _("Policy explainer (政策法规宣传员)")
        MEDIATE = "mediate", _("Dispute mediator (矛盾纠纷调解员)")
        SERVE = "serve", _("Resident helper (群众贴心服务员)")
        DISCIPLINE = "discipline", _("Discipline (纪律)")
        BONUS = "bonus", _("Bonus (加分)")

    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Computed")
        MANUAL = "manual", _("Entered by hand")

    class Metric(models.TextChoices):
        COVERAGE = "coverage", _("Share of distinct linked households visited in the period")
        CADENCE = "cadence", _("Share of cared-for households visited within their cadence")
        REPORTS = "reports", _("Disputes, hazards and demands reported")
        REPORT_TIMELINESS = "report_timeliness", _("Share of reports registered on time")
        PETITIONS = "petitions", _("Collective and skip-level petitions from own households")
        SATISFACTION = "satisfaction", _("Share satisfied in the sampled survey")
        PUBLICITY_REACH = "publicity_reach", _("Share of linked households reached with policy publicity")
        TRAINING = "training", _("Training hours attended")

    class Rule(models.TextChoices):
        BANDS = "bands", _("Bands (e.g. ≥95% → full marks)")
        PER_EVENT = "per_event", _("Points per event, with a cap")
        DEDUCTION = "deduction", _("Deduction per event, with a cap")

    scheme = models.ForeignKey(Scheme, models.CASCADE, related_name="items", verbose_name=_("assessment scheme"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    duty = models.CharField(_("duty"), max_length=12, choices=Duty)
    name = models.CharField(_("item"), max_length=100)
    kind = models.CharField(_("scoring"), max_length=8, choices=Kind, default=Kind.COMPUTED)
    metric = models.CharField(_("measure"), max_length=20, choices=Metric, blank=True)
    rule = models.CharField(_("rule"), max_length=10, choices=Rule, default=Rule.BANDS)
    # bands: [[minimum share 0–1, points], …]; per_event/deduction: {"points": p, "cap": c}.
    params = models.JSONField(_("rule settings"), default=dict, blank=True)
    max_points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    description = models.CharField(_("how it is scored"), max_length=300, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["scheme", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_deduction(self) -> bool:
        return self.rule == self.Rule.DEDUCTION

    def clean(self) -> None:
        if self.kind == self.Kind.COMPUTED and not self.metric:
            raise ValidationError({"metric": _("A computed item needs a measure.")})


class RunQuerySet(ScopedQuerySet):
    """Subjects see their own runs (a 联户长 theirs, a grid worker theirs); village cadres their village's; the
    township everything; the county its townships, read-only."""

    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = None
    scope_head_path = "head"

    def visible_to(self, user):
        if scope_of(user).kind == ScopeKind.GRIDS:
            return self.filter(worker=user.pk)
        return super().visible_to(user)

    @classmethod
    def scope_q(cls, scope):
        if scope.kind == ScopeKind.HOUSEHOLDS:
            return Q(head=scope.household_head_id)
        return super().scope_q(scope)


class Run(TimeStampedModel):
    """One subject's assessment for one period: the computed values snapshotted, manual items, appeals, the grade."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SELF = "self", _("Self-assessment")
        REVIEW = "review", _("Township review")
        PUBLICITY = "publicity", _("In publicity")
        APPEAL = "appeal", _("Handling appeals")
        FINAL = "final", _("Graded")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (优秀)")
        PASS = "pass", _("Pass (合格)")
        FAIL = "fail", _("Fail (不合格)")

    class Renewal(models.TextChoices):
        RENEW = "renew", _("Renew the appointment")
        WATCH = "watch", _("Talk to them and watch")
        NOT_RENEW = "not_renew", _("Do not renew the appointment")

    scheme = models.ForeignKey(Scheme, models.PROTECT, related_name="runs", verbose_name=_("assessment scheme"))
    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    village = models.ForeignKey("governance.Village", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    grid = models.ForeignKey("governance.Grid", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("grid"))
    head = models.ForeignKey("governance.HouseholdHead", models.PROTECT, null=True, blank=True,
                             related_name="assessment_runs", verbose_name=_("household head"))
    worker = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="assessment_runs",
                               verbose_name=_("grid worker"))
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("household"))
    subject_name = models.CharField(_("assessed"), max_length=100)
    subject_key = models.CharField(max_length=32, editable=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # [{"item": pk, "value": …, "shown": "92%", "points": "10.0", "reason": "…"}, …] for the computed items.
    snapshot = models.JSONField(_("computed values"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    self_score = models.DecimalField(_("self-assessed score"), max_digits=6, decimal_places=1, null=True, blank=True)
    self_note = models.TextField(_("self-assessment"), blank=True)
    submitted_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted for review by"))
    reviewed_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_to = models.DateField(_("publicity until"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade, blank=True)
    allowance = models.DecimalField(_("allowance (yuan)"), max_digits=9, decimal_places=2, null=True, blank=True)
    renewal = models.CharField(_("reappointment"), max_length=10, choices=Renewal, blank=True)
    finalised_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("graded by"))
    finalised_on = models.DateField(_("graded on"), null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))

    objects = RunQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-period_start", "village", "subject_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "subject_key", "period_start"],
                                    name="assessment_run_one_per_subject_period"),
        ]
        indexes = [
            models.Index(fields=["status", "publicity_to"], condition=Q(status="publicity"),
                         name="assessment_run_publicity"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:run-detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        return period_label(self.scheme.period, self.period_start)

    @property
    def star_text(self) -> str:
        return "★" * (self.stars or 0) + "☆" * (5 - (self.stars or 0)) if self.stars else ""

    @property
    def is_published(self) -> bool:
        return self.status in (self.Status.PUBLICITY, self.Status.APPEAL, self.Status.FINAL)

    def is_subject(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.head_id and user.household_head_id == self.head_id:
            return True
        return bool(self.worker_id and user.pk == self.worker_id)

    # --- The score --------------------------------------------------------------------------------------------

    def lines(self) -> list[dict]:
        """Every item of the scheme with its points: computed ones from the snapshot, manual ones from the approved
        entry (none approved: 0, with the reason)."""
        from .scoring import run_lines

        return run_lines(self)

    def total(self) -> Decimal:
        raw = sum((Decimal(line["points"]) for line in self.lines()), ZERO)
        return min(max(raw, ZERO), self.scheme.full_score)


class RunChildQuerySet(ScopedQuerySet):
    """Rows owned by a run are seen exactly where their run is seen."""

    scope_township_path = "run__township"
    scope_village_path = "run__village"
    scope_grid_path = None
    scope_head_path = "run__head"

    def visible_to(self, user):
        return self.filter(run__in=Run.objects.visible_to(user).values("pk"))


class ManualScore(TimeStampedModel):
    """A manual item's points for one run, with its evidence; counted once approved by someone else."""

    run = models.ForeignKey(Run, models.CASCADE, related_name="manual_scores", verbose_name=_("assessment"))
    item = models.ForeignKey(Item, models.PROTECT, related_name="+", verbose_name=_("assessment item"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    evidence = models.TextField(_("evidence"))
    entered_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("entered by"))
    approved_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = RunChildQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        ordering = ["run", "item__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "item"], name="assessment_manualscore_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.points}"


class Appeal(TimeStampedModel):
    """申诉: filed by the subject while the run is in publicity; answered by the township."""

    run = models.ForeignKey(Run, models.CASCADE, related_name="appeals", verbose_name=_("assessment"))
    text = models.TextField(_("grounds of the appeal"))
    filed_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("filed by"))
    filed_on = models.DateField(_("filed on"), default=timezone.localdate)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # An appeal upheld in part or whole moves one item's points (signed); the grade (定档) counts it.
    item = models.ForeignKey(Item, models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("item corrected"))
    adjustment = models.DecimalField(_("points corrected"), max_digits=5, decimal_places=1, null=True, blank=True)

    objects = RunChildQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["run", "filed_on", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def answer_due(self) -> dt.date:
        return self.filed_on + dt.timedelta(days=self.run.scheme.appeal_answer_days)


class EvaluationQuerySet(TownshipOnlyQuerySet):
    """Who said what of whom stays with the township: the rated and their village never read single answers."""


class Evaluation(TimeStampedModel):
    """群众评议: one sampled household's answer about a 联户长 or grid worker, by phone or at the door, recorded by
    township staff — never by the person rated."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        FAIRLY = "fairly", _("Fairly satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Way(models.TextChoices):
        PHONE = "phone", _("By phone")
        DOOR = "door", _("At the door")

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    head = models.ForeignKey("governance.HouseholdHead", models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("household head"))
    worker = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("grid worker"))
    household = models.ForeignKey("households.Household", models.PROTECT, related_name="+",
                                  verbose_name=_("household"))
    on = models.DateField(_("surveyed on"), default=timezone.localdate)
    way = models.CharField(_("survey way"), max_length=8, choices=Way, default=Way.PHONE)
    result = models.CharField(_("satisfaction"), max_length=16, choices=Result)
    reason = models.CharField(_("reason given"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    objects = EvaluationQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("resident evaluation")
        verbose_name_plural = _("resident evaluations")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["head", "on"], name="assessment_evaluation_head_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_result_display()}"

    @property
    def is_satisfied(self) -> bool:
        return self.result in (self.Result.SATISFIED, self.Result.FAIRLY)


#: Roles that run the assessment (create, review, grade, record evaluations): the township's, never the county's.
MANAGERS = (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR)


def can_manage(user, township_id: int | None) -> bool:
    if user.is_superuser:
        return True
    return user.role in MANAGERS and user.township_id is not None and user.township_id == township_id


REPORT_DAYS = getattr(settings, "ASSESSMENT_REPORT_DAYS", 1)
