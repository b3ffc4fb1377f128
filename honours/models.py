"""红黑榜 as a published rule: a ``ListDefinition`` (who is ranked, by which metric, over which period, how many red and
black or which thresholds, the minimum denominator, the publication window and the follow-up deadline); each
``ListIssue`` is one period's list, computed as a snapshot, given a 上榜理由 per entry by its drafter, approved by a
supervisor who did not draft it, published for a window and then expired. Each black entry gets a ``FollowUp`` (整改)
with an owner and a deadline. ``HygieneInspection`` is the score sheet of the household hygiene 评比, whose lists are
published at village level only and name a household by house number or initials."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.scoping import NOTHING, Scope, ScopedQuerySet, ScopeKind
from governance.models import TimeStampedModel


class TransitionRefused(Exception):
    """A change the list's state or the user's part does not allow; the message says why."""


class ListDefinitionQuerySet(ScopedQuerySet):
    """The rules are the township's: its staff and supervisors (and the county) read them; everyone else reads a
    published list, which carries its rule."""

    scope_township_path = "township"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.kind in (ScopeKind.VILLAGES, ScopeKind.GRIDS, ScopeKind.HOUSEHOLDS):
            return NOTHING
        return super().scope_q(scope)


class ListDefinition(TimeStampedModel):
    class Subject(models.TextChoices):
        VILLAGE = "village", _("Villages")
        GRID = "grid", _("Grids")
        HEAD = "head", _("Household heads")
        HOUSEHOLD = "household", _("Households (hygiene)")

    class Period(models.TextChoices):
        MONTH = "month", _("Monthly list")
        QUARTER = "quarter", _("Quarterly list")
        YEAR = "year", _("Yearly list")

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    village = models.ForeignKey(
        "governance.Village", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village"),
        help_text=_("Rank only inside this village (required for households); empty: the whole township"))
    name = models.CharField(_("list name"), max_length=64)
    subject = models.CharField(_("ranked subjects"), max_length=16, choices=Subject)
    metric = models.CharField(_("list metric"), max_length=32)
    period = models.CharField(_("list period"), max_length=8, choices=Period, default=Period.MONTH)
    eval_day = models.PositiveSmallIntegerField(
        _("evaluation day"), default=5, validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("The list of a period is evaluated by this day of the next month"))
    red_count = models.PositiveSmallIntegerField(_("red list: top N"), default=3)
    black_count = models.PositiveSmallIntegerField(_("black list: bottom M"), default=3)
    red_threshold = models.DecimalField(_("red list threshold"), max_digits=8, decimal_places=2, null=True,
                                        blank=True, help_text=_("Optional: only values at least this good are red"))
    black_threshold = models.DecimalField(_("black list threshold"), max_digits=8, decimal_places=2, null=True,
                                          blank=True, help_text=_("Optional: only values at least this bad are black"))
    min_denominator = models.PositiveIntegerField(
        _("minimum denominator"), default=5,
        help_text=_("A subject with fewer (households, petitions, inspections) is not ranked"))
    publish_days = models.PositiveSmallIntegerField(_("days published"), default=30,
                                                    validators=[MinValueValidator(1), MaxValueValidator(366)])
    follow_up_days = models.PositiveSmallIntegerField(_("days to rectify a black entry"), default=15,
                                                      validators=[MinValueValidator(1), MaxValueValidator(180)])
    notes = models.TextField(_("rule notes"), blank=True, help_text=_("Praise for red, what black entries must do"))
    created_by = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("drafted by"))
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ListDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("red and black list rule")
        verbose_name_plural = _("red and black list rules")
        ordering = ["township", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:definition-detail", args=[self.pk])

    def clean(self):
        from .sources import metric_for

        if self.subject == self.Subject.HOUSEHOLD and not self.village_id:
            raise ValidationError({"village": gettext("A household list is published at village level only: choose "
                                                 "the village.")})
        metric = metric_for(self.metric)
        if metric is None or self.subject not in metric.subjects:
            raise ValidationError({"metric": gettext("This metric does not rank these subjects.")})
        if self.village_id and self.township_id and self.village.township_id != self.township_id:
            raise ValidationError({"village": gettext("Choose a village of the township.")})

    @property
    def metric_info(self):
        from .sources import metric_for

        return metric_for(self.metric)

    def period_of(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The last whole period before ``day``: the period a list drafted that day is about."""
        if self.period == self.Period.YEAR:
            return dt.date(day.year - 1, 1, 1), dt.date(day.year - 1, 12, 31)
        first_of_month = day.replace(day=1)
        if self.period == self.Period.QUARTER:
            quarter_start = first_of_month.replace(month=(day.month - 1) // 3 * 3 + 1)
            end = quarter_start - dt.timedelta(days=1)
            return end.replace(day=1, month=(end.month - 1) // 3 * 3 + 1), end
        end = first_of_month - dt.timedelta(days=1)
        return end.replace(day=1), end


class ListIssueQuerySet(ScopedQuerySet):
    """Drafts and lists awaiting approval: the township's staff and supervisors (and the county). A published list:
    everyone of the township (a village's list, everyone of that village)."""

    scope_township_path = "township"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.kind in (ScopeKind.VILLAGES, ScopeKind.GRIDS, ScopeKind.HOUSEHOLDS):
            if scope.township_id is None:
                return NOTHING
            return (Q(status=ListIssue.Status.PUBLISHED, township=scope.township_id)
                    & (Q(village__isnull=True) | Q(village__in=scope.village_ids)))
        return super().scope_q(scope)

    def current(self, today: dt.date):
        return self.filter(status=ListIssue.Status.PUBLISHED, published_from__lte=today, published_until__gte=today)


class ListIssue(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft list")
        SUBMITTED = "submitted", _("Awaiting approval")
        PUBLISHED = "published", _("Published list")

    definition = models.ForeignKey(ListDefinition, models.PROTECT, related_name="issues", verbose_name=_("list rule"))
    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    village = models.ForeignKey("governance.Village", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    evaluated_on = models.DateField(_("evaluated on"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    drafted_by = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("drafted by"))
    submitted_by = models.ForeignKey("governance.User", models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey("governance.User", models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_from = models.DateField(_("published from"), null=True, blank=True)
    published_until = models.DateField(_("published until"), null=True, blank=True)
    returned_note = models.CharField(_("why it was sent back"), max_length=200, blank=True)

    objects = ListIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("red and black list")
        verbose_name_plural = _("red and black lists")
        ordering = ["-period_end", "-pk"]
        indexes = [models.Index(fields=["township", "status", "published_until"], name="honours_issue_current")]

    def __str__(self) -> str:
        return f"{self.definition.name}（{self.period_label}）"

    def get_absolute_url(self) -> str:
        return reverse("honours:issue-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        start, end = self.period_start, self.period_end
        if start.year == end.year and start.month == end.month:
            return f"{start.year}年{start.month}月"
        if start.year == end.year:
            return f"{start.year}年{start.month}–{end.month}月"
        return f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"

    def is_current(self, today: dt.date) -> bool:
        return (self.status == self.Status.PUBLISHED and self.published_from is not None
                and self.published_from <= today <= self.published_until)

    def is_expired(self, today: dt.date) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_until is not None and self.published_until < today

    # --- Transitions (the services wrap them with the follow-ups) ---

    def ranked(self):
        return self.entries.exclude(board=Entry.Board.EXCLUDED)

    def missing_reasons(self) -> int:
        return self.ranked().filter(reason="").count()

    def submit(self, *, by) -> None:
        if self.status != self.Status.DRAFT:
            raise TransitionRefused(gettext("Only a draft can be submitted."))
        if self.missing_reasons():
            raise TransitionRefused(gettext("Write the reason of every entry first (上榜理由)."))
        self.status, self.submitted_by, self.submitted_at = self.Status.SUBMITTED, by, timezone.now()
        self.returned_note = ""
        self.save(update_fields=["status", "submitted_by", "submitted_at", "returned_note", "updated_at"])

    def may_decide(self, user) -> bool:
        from governance.permissions import SUPERVISORS

        return (self.status == self.Status.SUBMITTED and user.has_role(*SUPERVISORS)
                and user.pk not in (self.drafted_by_id, self.submitted_by_id))

    def approve(self, *, by, today: dt.date) -> None:
        if not self.may_decide(by):
            raise TransitionRefused(gettext("A supervisor who did not draft the list approves it, once submitted."))
        self.status, self.approved_by, self.approved_at = self.Status.PUBLISHED, by, timezone.now()
        self.published_from = today
        self.published_until = today + dt.timedelta(days=self.definition.publish_days - 1)
        self.save(update_fields=["status", "approved_by", "approved_at", "published_from", "published_until",
                                 "updated_at"])

    def send_back(self, *, by, note: str) -> None:
        if not self.may_decide(by):
            raise TransitionRefused(gettext("A supervisor who did not draft the list approves it, once submitted."))
        if not note.strip():
            raise TransitionRefused(gettext("Say why the list goes back to its drafter."))
        self.status, self.returned_note = self.Status.DRAFT, note.strip()[:200]
        self.save(update_fields=["status", "returned_note", "updated_at"])


class Entry(models.Model):
    class Board(models.TextChoices):
        RED = "red", _("Red list")
        BLACK = "black", _("Black list")
        EXCLUDED = "excluded", _("Not ranked (below the minimum denominator)")

    issue = models.ForeignKey(ListIssue, models.CASCADE, related_name="entries", verbose_name=_("red and black list"))
    board = models.CharField(_("list board"), max_length=8, choices=Board)
    rank = models.PositiveIntegerField(_("rank on the list"), null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(_("subject"))
    label = models.CharField(_("listed as"), max_length=64)
    value = models.DecimalField(_("entry value"), max_digits=10, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveIntegerField(_("entry numerator"), default=0)
    denominator = models.PositiveIntegerField(_("entry denominator"), default=0)
    display = models.CharField(_("entry figure"), max_length=64)
    reason = models.CharField(_("reason for listing"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["board", "rank", "pk"]

    def __str__(self) -> str:
        return f"{self.get_board_display()} {self.label}"


class FollowUpQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(entry__issue__in=ListIssue.objects.visible_to(user).values("pk"))


class FollowUp(models.Model):
    """整改 for a black entry: the owner, the deadline, and when and how it was done."""

    entry = models.OneToOneField(Entry, models.CASCADE, related_name="follow_up", verbose_name=_("list entry"))
    owner = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("rectification owner"))
    deadline = models.DateField(_("rectification deadline"))
    done_on = models.DateField(_("rectified on"), null=True, blank=True)
    note = models.CharField(_("what was done"), max_length=300, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification follow-up")
        verbose_name_plural = _("rectification follow-ups")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.entry.label} {self.deadline}"

    def may_close(self, user) -> bool:
        from governance.models import User

        return self.done_on is None and (user.pk == self.owner_id or user.has_role(User.Role.TOWNSHIP_STAFF))


class HygieneInspectionQuerySet(ScopedQuerySet):
    scope_township_path = "household__grid__village__township"
    scope_village_path = "household__grid__village"
    scope_grid_path = "household__grid"
    scope_head_path = "household__household_head"


def _score(label):
    return models.PositiveSmallIntegerField(label, default=0, validators=[MaxValueValidator(20)])


class HygieneInspection(TimeStampedModel):
    """A household's hygiene score sheet (卫生评比): five items of 20 points each, as 76hw.com's 积分制 and 温泉镇's
    five aspects."""

    ITEMS = [("sundries", _("Nothing piled around the house")), ("waste", _("Waste sorted")),
             ("yard", _("Yard clean and tidy")), ("toilet", _("Toilet clean")), ("livestock", _("Livestock penned"))]

    household = models.ForeignKey("households.Household", models.PROTECT, related_name="hygiene_inspections",
                                  verbose_name=_("household"))
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("hygiene inspector"))
    sundries = _score(_("Nothing piled around the house"))
    waste = _score(_("Waste sorted"))
    yard = _score(_("Yard clean and tidy"))
    toilet = _score(_("Toilet clean"))
    livestock = _score(_("Livestock penned"))
    total = models.PositiveSmallIntegerField(_("hygiene score"), default=0, editable=False)
    note = models.CharField(_("what was seen"), max_length=200, blank=True)

    objects = HygieneInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("hygiene inspection")
        verbose_name_plural = _("hygiene inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.total}"

    def save(self, *args, **kwargs):
        # The total is the sum of the items, kept on the row for the list and the ranking.
        self.total = sum(getattr(self, name) for name, _label in self.ITEMS)
        super().save(*args, **kwargs)
