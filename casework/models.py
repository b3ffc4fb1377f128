"""What every case type shares: its number (``CaseCounter``), the 包案 responsibility assignment with its deadline,
the reminders the deadline scan makes and the notifications that carry them.

These models were made in governance and moved here (migrations/0001_initial.py): their tables keep the names
they were made with (``db_table``), and their history tables stay registered under governance's label, where
django-simple-history made them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import audited_history
from core.concurrency import Versioned, transition
from core.scoping import NOTHING, InSubquery, ScopedQuerySet, ScopeKind, scope_of
from governance.models import Grid, TimeStampedModel, Township, User, Village


def case_number(app_label: str, year: int, sequence: int) -> str:
    """The one numbering rule: the case type's prefix, the year, a sequence of four digits or more."""
    return f"{settings.CASE_NUMBER_PREFIXES[app_label]}-{year}-{sequence:04d}"


class CaseCounter(models.Model):
    """The last case number given per township and year (JF-2026-0001, XF-2026-0001, …). ``take`` locks the row
    with SELECT … FOR UPDATE, so two registrations at the same moment get two numbers; a unique constraint on the
    case's number is the backstop. Each case type keeps its own table of it (``class DisputeCounter(CaseCounter)``)."""

    township = models.ForeignKey(Township, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.township_id}/{self.year}: {self.last}"

    @classmethod
    def next_number(cls, township, year: int) -> tuple[str, int]:
        """The case's number and sequence (JF-2026-0001): the prefix is the case type's, from
        ``settings.CASE_NUMBER_PREFIXES`` by app label. Inside the registering transaction, as ``take``."""
        sequence = cls.take(township, year)
        return case_number(cls._meta.app_label, year, sequence), sequence

    @classmethod
    def take(cls, township, year: int) -> int:
        """The next sequence number; must run inside the registering transaction (the row stays locked)."""
        cls.objects.bulk_create([cls(township=township, year=year)], ignore_conflicts=True)
        counter = cls.objects.select_for_update().get(township=township, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


# --- Responsibility assignment (包案) -------------------------------------------------------------------


class AssignmentQuerySet(ScopedQuerySet):
    """Where the case is: township staff and supervisors the township, cadres their villages, a grid worker the
    cases of their grids (a case of the village alone, with no grid, is not theirs). A household head answers for
    no 包案 as such: their cases' pages show the assignment. Lead officials and team members, wherever they sit,
    reach the assignments they answer for."""

    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = "grid"

    def visible_to(self, user):
        # A lead official or team member reaches the cases they answer for, wherever they are. Conditions, not a
        # union of querysets or a join of the team: no duplicate rows, and it combines with anything.
        scope = scope_of(user)
        if scope.kind == ScopeKind.ALL:
            return self.all()  # (an empty Q would vanish from the OR below and narrow instead of widen)
        q = NOTHING if scope.kind == ScopeKind.HOUSEHOLDS else self.scope_q(scope)
        if getattr(user, "is_authenticated", False):
            team = self.model.team.through.objects.filter(user=user).values("responsibilityassignment_id")
            q |= Q(lead=user) | Q(InSubquery("pk", team))
        return self.filter(q)

    def open(self):
        return self.filter(is_open=True)

    def of_cases(self, model):
        """The assignments of one kind of case (Dispute, Petition), by the case type's id: ContentType caches it."""
        from django.contrib.contenttypes.models import ContentType

        return self.filter(case_type=ContentType.objects.get_for_model(model))


class ResponsibilityAssignment(Versioned, TimeStampedModel):
    """包案: 一个案子、一名领导、一支队伍、定办结时限. One definition for disputes and petitions, so that one
    reminder scan serves both. The case is reached through ``case`` (a generic link); ``case_label`` and
    ``case_url`` are copied from it so that reminders and lists need no join into the case apps."""

    class SupervisionLevel(models.TextChoices):
        NONE = "", _("Not supervised")
        YELLOW = "yellow", _("Yellow card")
        RED = "red", _("Red card")

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    village = models.ForeignKey(
        Village, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("village")
    )
    # Copied from the case (a dispute's grid, a petition's household's grid), as the village is: a grid worker sees
    # the 包案 of their grids' cases only. None for a case of the village alone.
    grid = models.ForeignKey(Grid, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("grid"))
    case_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    case_id = models.PositiveBigIntegerField()
    case = GenericForeignKey("case_type", "case_id")
    case_label = models.CharField(_("case"), max_length=200)
    case_url = models.CharField(max_length=200, blank=True)

    lead = models.ForeignKey(
        User, models.PROTECT, related_name="led_assignments", verbose_name=_("lead official")
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=100)
    team = models.ManyToManyField(User, blank=True, related_name="team_assignments", verbose_name=_("team"),
                                  db_table="governance_responsibilityassignment_team")
    deadline = models.DateField(_("deadline"))
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # A case of the county (难事不出县): a dispute escalated to the county, a petition registered at the county. Kept by
    # the case type's services (``assignment_set_county``); the case's own history records why. Overdue, its
    # escalation reaches the county's leaders, as it does when the lead official is a county user.
    at_county = models.BooleanField(_("county-level case"), default=False)

    supervision_level = models.CharField(
        _("supervision"), max_length=8, choices=SupervisionLevel, default=SupervisionLevel.NONE, blank=True
    )
    supervision_comment = models.TextField(_("supervision comment"), blank=True)
    supervised_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supervised by")
    )
    supervised_at = models.DateTimeField(_("supervised at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()
    # at_county is copied from the case, whose own history says when it went to the county.
    history = audited_history(m2m_fields=[team], app="governance", excluded_fields=["at_county"])

    class Meta:
        db_table = "governance_responsibilityassignment"
        verbose_name = _("responsibility assignment")
        verbose_name_plural = _("responsibility assignments")
        ordering = ["deadline"]
        constraints = [
            models.UniqueConstraint(fields=["case_type", "case_id"], name="governance_assignment_one_per_case"),
        ]
        indexes = [
            # The reminder scan reads only open assignments by deadline.
            models.Index(fields=["deadline"], condition=Q(is_open=True), name="governance_assignment_open_due"),
        ]

    def __str__(self) -> str:
        return self.case_label

    @property
    def is_supervised(self) -> bool:
        return bool(self.supervision_level)


class AssignmentCheck(TimeStampedModel):
    """四包 of a 包案: 包调查研究、包协调处理、包督办落实、包教育稳控, each ticked off by the lead official (or the
    team) with the day it was done and a note. One row per item, made when first touched."""

    class Item(models.TextChoices):
        INVESTIGATE = "investigate", _("Investigation")
        COORDINATE = "coordinate", _("Coordination and handling")
        FOLLOW_UP = "follow_up", _("Supervision of implementation")
        STABILISE = "stabilise", _("Education and stabilisation")

    assignment = models.ForeignKey(ResponsibilityAssignment, models.CASCADE, related_name="checks",
                                   verbose_name=_("responsibility assignment"))
    item = models.CharField(_("responsibility"), max_length=16, choices=Item)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("updated by"))

    history = audited_history()

    class Meta:
        verbose_name = _("four responsibilities check")
        verbose_name_plural = _("four responsibilities checks")
        ordering = ["assignment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="casework_assignmentcheck_unique_item"),
        ]

    def __str__(self) -> str:
        return self.get_item_display()


# --- Reminders and notifications ------------------------------------------------------------------------


class Reminder(models.Model):
    """One deadline stage that one assignment reached, for one deadline: 临期预警 (due soon, due today),
    逾期预警 (overdue) or the escalation to the supervisors. Only the scan (casework/reminders.py) makes them;
    the unique constraint on (assignment, stage, deadline) is what makes the scan safe to run twice, at once
    or after a crash. A new deadline is a new key, so its stages apply again."""

    DUE_PREFIX = "due_"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    ESCALATED = "escalated"

    assignment = models.ForeignKey(
        ResponsibilityAssignment, models.CASCADE, related_name="reminders", verbose_name=_("responsibility assignment")
    )
    stage = models.CharField(_("stage"), max_length=16)
    deadline = models.DateField(_("deadline"))
    created_at = models.DateTimeField(_("created at"))
    # Set in the scan's own transaction once the notifications exist; NULL only inside that transaction.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "governance_reminder"
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "stage", "deadline"], name="governance_reminder_once_per_stage"
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(notified_at__isnull=True), name="governance_reminder_fresh"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.stage} {self.deadline}"

    @classmethod
    def due_stage(cls, working_days: int) -> str:
        return f"{cls.DUE_PREFIX}{working_days}"

    @property
    def due_in_working_days(self) -> int | None:
        if self.stage.startswith(self.DUE_PREFIX) and self.stage[len(self.DUE_PREFIX):].isdigit():
            return int(self.stage[len(self.DUE_PREFIX):])
        return None

    @property
    def level(self) -> str:
        """"yellow" (临期预警) before and on the deadline, "red" (逾期预警) after it."""
        return "red" if self.stage in (self.OVERDUE, self.ESCALATED) else "yellow"

    def get_stage_display(self) -> str:
        from django.utils.translation import gettext, ngettext

        days = self.due_in_working_days
        if days is not None:
            return ngettext(
                "Due in %(days)d working day", "Due in %(days)d working days", days
            ) % {"days": days}
        return {
            self.DUE_TODAY: gettext("Due today"),
            self.OVERDUE: gettext("Overdue"),
            self.ESCALATED: gettext("Overdue, escalated to the supervisors"),
        }.get(self.stage, self.stage)

    def get_level_display(self) -> str:
        from django.utils.translation import gettext

        return gettext("Red alert") if self.level == "red" else gettext("Yellow alert")

    @property
    def is_current(self) -> bool:
        """Still worth telling: the case is open and this is still its deadline."""
        return self.assignment.is_open and self.assignment.deadline == self.deadline


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user):
        """A user's in-app inbox. Owner only: nobody else's scope reaches it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user, channel=Notification.Channel.INBOX)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def robot_rows(self, township_id: int | None = None):
        """The reminders for a township's group robot (no recipient, the webhook channel)."""
        rows = self.filter(recipient__isnull=True, channel=Notification.Channel.WEBHOOK, reminder__isnull=False)
        return rows if township_id is None else rows.filter(reminder__assignment__township_id=township_id)

    def due(self, *, now, stale):
        """Waiting and due, or taken by a worker that has not finished for longer than the claim timeout."""
        return self.filter(
            Q(status=Notification.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Notification.Status.SENDING, claimed_at__lt=stale)
        )


class Notification(models.Model):
    """A reminder, or a hand-over notice (``kind``: a 包案 assigned, a 督办, an escalation, a 销号 to approve…), for one
    recipient on one channel. Inbox rows are delivered when made; email and webhook rows are claimed by the delivery
    task with a conditional UPDATE, so a delivered row is never sent again. A notice carries its own words and link
    (``subject``, ``detail``, ``url``) and a ``key`` that makes it land once per recipient and channel
    (``casework.notices.notify``)."""

    class Kind(models.TextChoices):
        REMINDER = "", _("Deadline reminder")
        ASSIGNED = "assigned", _("Case assigned to you")
        SUPERVISED = "supervised", _("Case put under supervision")
        ESCALATED = "escalated", _("Case escalated")
        HANDED_DOWN = "handed_down", _("Case handed down")
        CLOSEOUT_REQUESTED = "closeout_requested", _("Close-out awaits your approval")
        CLOSEOUT_APPROVED = "closeout_approved", _("Close-out approved")
        CLOSEOUT_REFUSED = "closeout_refused", _("Close-out sent back")
        DEMAND_RAISED = "demand_raised", _("New demand in your village")
        CASE_NEWS = "case_news", _("New information on your case")
        DUTY_COMING = "duty_coming", _("Reception duty coming up")
        NO_OUTCOME = "no_outcome", _("Walk-in still without an outcome")

    class Channel(models.TextChoices):
        INBOX = "inbox", _("In-app inbox")
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")
        WECOM = "wecom", _("WeCom message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Not delivered")
        CANCELLED = "cancelled", _("Cancelled")

    # NULL for a hand-over notice.
    reminder = models.ForeignKey(Reminder, models.CASCADE, null=True, blank=True, related_name="notifications",
                                 verbose_name=_("reminder"))
    # Database defaults: the reminder scan inserts its rows in SQL and names none of these columns.
    kind = models.CharField(_("kind of notice"), max_length=24, choices=Kind, default=Kind.REMINDER, db_default="",
                            blank=True)
    key = models.CharField(max_length=120, blank=True, editable=False, default="", db_default="")
    subject = models.CharField(_("notice subject"), max_length=200, blank=True, default="", db_default="")
    detail = models.CharField(_("notice detail"), max_length=300, blank=True, default="", db_default="")
    url = models.CharField(max_length=300, blank=True, default="", db_default="")
    # NULL: the township's group robot (Township.webhook_url), one row per reminder, sent as one digest per tick.
    recipient = models.ForeignKey(
        User, models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("recipient")
    )
    channel = models.CharField(_("delivery channel"), max_length=8, choices=Channel)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    address = models.CharField(_("sent to"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "governance_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "recipient", "channel"], condition=Q(recipient__isnull=False),
                name="governance_notification_once",
            ),
            models.UniqueConstraint(
                fields=["reminder", "channel"], condition=Q(recipient__isnull=True),
                name="governance_notification_once_township",
            ),
            models.UniqueConstraint(
                fields=["key", "recipient", "channel"], condition=~Q(key=""), name="governance_notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"], condition=Q(channel="inbox"), name="governance_notification_inbox"
            ),
            models.Index(
                fields=["recipient"], condition=Q(channel="inbox", read_at__isnull=True),
                name="governance_notification_unread",
            ),
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="governance_notification_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id or self.key} → {self.recipient_id or 'township'} ({self.channel})"

    @property
    def is_notice(self) -> bool:
        return self.reminder_id is None

    @property
    def title(self) -> str:
        """What the row is about: the notice's subject or the reminded case."""
        return self.subject if self.is_notice else self.reminder.assignment.case_label

    @property
    def link(self) -> str:
        return self.url if self.is_notice else self.reminder.assignment.case_url

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def mark_read(self, *, now=None) -> bool:
        """Idempotent: the first read time stays."""
        from django.utils import timezone

        if self.read_at is not None:
            return False
        self.read_at = now or timezone.now()
        return bool(
            Notification.objects.filter(pk=self.pk, read_at__isnull=True).update(read_at=self.read_at)
        )


class NotificationPreference(models.Model):
    """The channels a user chose. The in-app inbox is always on: it is the record of what was sent."""

    user = models.OneToOneField(
        User, models.CASCADE, primary_key=True, related_name="notification_preference", verbose_name=_("user")
    )
    email = models.BooleanField(_("by email"), default=True)
    webhook = models.BooleanField(_("by webhook"), default=False)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    # A WeCom application message to the user's own WeCom (when WeCom is configured and the user has a WeCom user ID).
    wecom = models.BooleanField(_("by WeCom message"), default=True, db_default=True)

    class Meta:
        db_table = "governance_notificationpreference"
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)


# --- 排查 rounds and their returns ------------------------------------------------------------------------


class CampaignQuerySet(ScopedQuerySet):
    """Township staff and supervisors: the township's rounds. Cadres and grid workers: the rounds that owe them a
    return (``ReturnQuerySet``). Household heads: none."""

    scope_township_path = "township"

    @classmethod
    def scope_q(cls, scope) -> Q:
        if scope.kind in (ScopeKind.VILLAGES, ScopeKind.GRIDS):
            return Q(pk__in=Return.objects.filter(ReturnQuerySet.scope_q(scope)).values("campaign"))
        if scope.kind == ScopeKind.HOUSEHOLDS:
            return NOTHING
        return super().scope_q(scope)


class Campaign(Versioned, TimeStampedModel):
    """排查任务: a round of screening over some villages (or their grids), with a period and a return date. It owes
    one ``Return`` per village or grid (made with it: ``casework.rounds.campaign_create``). The same round serves the
    安全隐患 大排查, the half-monthly 矛盾纠纷排查 and the 防返贫 集中排查."""

    class Kind(models.TextChoices):
        HAZARDS = "hazards", _("Safety hazards")
        DISPUTES = "disputes", _("Disputes")
        POVERTY = "poverty", _("Relapse into poverty")

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    kind = models.CharField(_("kind of screening"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    # For a hazard round, the fields (领域) screened; free words for the others.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    by_grid = models.BooleanField(_("one return per grid"), default=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    returns_due = models.DateField(_("returns due on"))
    checklist = models.TextField(_("checklist"), blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("created by"))

    objects = CampaignQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        ordering = ["-returns_due", "-pk"]
        indexes = [models.Index(fields=["township", "-returns_due"], name="casework_campaign_town_due")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("rounds:detail", kwargs={"pk": self.pk})


class ReturnQuerySet(ScopedQuerySet):
    """Where the return is from: cadres their villages; grid workers the returns of their grids (a village's own
    return is its cadres', as every object of the village alone is); household heads none."""

    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = "grid"

    @classmethod
    def scope_q(cls, scope) -> Q:
        if scope.kind == ScopeKind.HOUSEHOLDS:
            return NOTHING
        return super().scope_q(scope)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)


class Return(Versioned, TimeStampedModel):
    """One village's (or grid's) return to a round: how many places or households were checked and what, and what
    was found (the cases linked to it, ``found_in_return`` on each case type: ``casework.rounds.finding_links``) or
    an explicit 零报告. Its return date is a 包案 deadline (an assignment per return), so the reminder scan warns the
    village before it and flags it red after. Corrections after submitting keep the first submission and add a
    history row; nothing is deleted."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not yet due")
        SILENT = "silent", _("Silent")
        ON_TIME = "on_time", _("Submitted on time")
        LATE = "late", _("Submitted late")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="returns", verbose_name=_("screening round"))
    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    village = models.ForeignKey(Village, models.PROTECT, related_name="+", verbose_name=_("village"))
    grid = models.ForeignKey(Grid, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("grid"))

    checked_count = models.PositiveIntegerField(_("households or places checked"), null=True, blank=True)
    checked_note = models.TextField(_("what was checked"), blank=True)
    found_note = models.TextField(_("what was found"), blank=True)
    zero_report = models.BooleanField(_("nil return"), default=False)
    submitted_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    corrected_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("last corrected by"))
    corrected_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)

    objects = ReturnQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("screening return")
        verbose_name_plural = _("screening returns")
        ordering = ["campaign", "village__name", "grid__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "village"], condition=Q(grid__isnull=True),
                                    name="casework_return_one_per_village"),
            models.UniqueConstraint(fields=["campaign", "grid"], condition=Q(grid__isnull=False),
                                    name="casework_return_one_per_grid"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.place}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("rounds:return", kwargs={"pk": self.pk})

    @property
    def place(self) -> str:
        return f"{self.village.name} {self.grid.name}" if self.grid_id else self.village.name

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    def state(self, today) -> str:
        """Where the return stands on ``today``: silent (red) once its date is past with nothing submitted."""
        if self.is_submitted:
            return self.State.LATE if self.is_late else self.State.ON_TIME
        return self.State.SILENT if today > self.campaign.returns_due else self.State.PENDING

    def state_label(self, today) -> str:
        return self.State(self.state(today)).label

    @transition
    def submit(self, *, by, checked_count: int, checked_note: str, found_note: str, zero_report: bool,
               found: int, now=None) -> None:
        """Submit (or correct) the return. ``found``: how many cases are linked to it now. A 零报告 says nothing
        was found; a return that is not one says what was."""
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        if zero_report and (found or found_note.strip()):
            raise ValidationError(_("A nil return cannot list what was found: untick 零报告 or remove the findings."))
        if not zero_report and not found and not found_note.strip():
            raise ValidationError(_("Nothing was found: tick 零报告, or say what was found."))
        now = now or timezone.now()
        self.checked_count, self.checked_note = checked_count, checked_note
        self.found_note, self.zero_report = found_note, zero_report
        fields = ["checked_count", "checked_note", "found_note", "zero_report"]
        if self.is_submitted:
            self.corrected_by, self.corrected_at = by, now
            fields += ["corrected_by", "corrected_at"]
            reason = "correct"
        else:
            self.submitted_by, self.submitted_at = by, now
            self.is_late = timezone.localdate(now) > self.campaign.returns_due
            fields += ["submitted_by", "submitted_at", "is_late"]
            reason = "submit"
        self._history_user = by
        self._change_reason = reason
        self.save(update_fields=[*fields, "updated_at"])
