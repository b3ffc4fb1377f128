"""整改: the rectification engine every rectifiable case type builds on (hazards first; 人居环境 and 诉求整改 next).

Abstract models only (no table here): a case type subclasses ``RectifiableCase`` and declares its own child tables
from ``RectificationBase``, ``RecheckBase``, ``CloseOutBase`` and ``LookBackBase``, each with a foreign key named
``case`` and the related names ``rectifications``, ``rechecks``, ``closeouts`` and ``lookbacks``.

The states::

    待核实 (pending) → 整改中 (rectifying) → 待复查 (recheck) → 待销号 (closeout) → 已销号 (closed)
                          ↑ 复查不合格: round + 1, new deadline ┘                       │
                          └──────────────── 回头看 reopens (round + 1) ─────────────────┘
    side exits from 待核实 / 整改中: 已移交 (transferred, to a department with a receipt), 管控中 (controlled)

Rules kept here, the same for every case type: the re-check is done by someone other than the one who reported the
rectification; 销号 is asked for by one user and approved by another; nothing is deleted (each round keeps its rows).

The clocks are the case's 包案 ``ResponsibilityAssignment``, so the existing reminder scan chases them: while the
case is 整改中 the assignment's deadline is the 整改 deadline; once completion is reported it becomes the re-check
deadline (``RECTIFICATION_RECHECK_WORKING_DAYS`` working days later, on the working-day calendar); once the re-check
passes, or the case leaves by a side exit, the assignment is closed; a failed re-check or a 回头看 that reopens
opens it again with the new deadline. The services at the end do the transition and the clock together.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import transition
from governance.models import User
from governance.workdays import WorkCalendar

from .cases import Case


class RectificationStatus(models.TextChoices):
    PENDING = "pending", _("To be verified")
    RECTIFYING = "rectifying", _("Being rectified")
    RECHECK = "recheck", _("Awaiting re-check")
    CLOSEOUT = "closeout", _("Awaiting close-out")
    CLOSED = "closed", _("Closed out")
    TRANSFERRED = "transferred", _("Handed over")
    CONTROLLED = "controlled", _("Under control")


#: The states in which a case is still open (counted in the 整改率 denominators and the "open" figures).
OPEN_STATUSES = (
    RectificationStatus.PENDING, RectificationStatus.RECTIFYING, RectificationStatus.RECHECK,
    RectificationStatus.CLOSEOUT,
)
#: Rectified: the re-check passed (待销号) or the case is closed out.
RECTIFIED_STATUSES = (RectificationStatus.CLOSEOUT, RectificationStatus.CLOSED)


def recheck_due_on(completed_on: dt.date) -> dt.date:
    """The re-check clock: N working days after the reported completion (setting, default 3)."""
    return WorkCalendar.load().add_working_days(completed_on, settings.RECTIFICATION_RECHECK_WORKING_DAYS)


class RectifiableCase(Case):
    """Abstract: a case with a 整改 deadline, rounds of rectification and re-check, a 销号 with approval and 回头看."""

    Status = RectificationStatus

    status = models.CharField(_("status"), max_length=16, choices=RectificationStatus,
                              default=RectificationStatus.PENDING)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    requirement = models.TextField(_("rectification requirement"), blank=True)
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    completed_on = models.DateField(_("rectification completed on"), null=True, blank=True)
    recheck_due_on = models.DateField(_("re-check due on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed out at"), null=True, blank=True)
    transferred_to = models.CharField(_("handed over to"), max_length=100, blank=True)
    transfer_receipt = models.CharField(_("receipt"), max_length=200, blank=True)
    transferred_on = models.DateField(_("handed over on"), null=True, blank=True)
    control_note = models.TextField(_("control measures"), blank=True)
    review_every_days = models.PositiveSmallIntegerField(_("review every (days)"), null=True, blank=True)

    class Meta:
        abstract = True

    # --- Reading -----------------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        """整改 not done by the deadline (the re-check clock is the assignment's, see the module doc)."""
        return (self.status == self.Status.RECTIFYING and self.deadline is not None
                and self.deadline < timezone.localdate())

    def current_rectification(self):
        return self.rectifications.filter(round=self.round).order_by("-pk").first()

    def closeout_approvers(self):
        """Who may approve its 销号 (told when one is asked for): township staff and supervisors of the township."""
        return User.objects.filter(township_id=self.township_id, is_active=True,
                                   role__in=(User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR))

    def pending_closeout(self):
        return self.closeouts.filter(decision=CloseOutBase.Decision.PENDING).order_by("-pk").first()

    def may_recheck(self, user) -> bool:
        """Not the rectifier (the re-check is someone else's): what the page asks before it offers the button."""
        rectification = self.current_rectification()
        return rectification is None or rectification.by_id != user.pk

    def may_decide_closeout(self, user) -> bool:
        """A 销号 waits, asked for by someone else."""
        pending = self.pending_closeout()
        return pending is not None and pending.requested_by_id != user.pk

    # --- Transitions ---------------------------------------------------------------------------------------

    @transition
    def start_rectification(self, *, by, deadline: dt.date, requirement: str = "") -> None:
        """待核实 (or 管控中, once it can be removed) → 整改中, with the requirement and the deadline."""
        self.require_status(self.Status.PENDING, self.Status.CONTROLLED,
                            message=_("Only a case to be verified or under control can go into rectification."))
        if deadline is None:
            raise ValidationError(_("Set the rectification deadline."))
        if deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        self.status, self.deadline = self.Status.RECTIFYING, deadline
        self.requirement = requirement or self.requirement
        self.commit(by, ["status", "deadline", "requirement"], reason="start_rectification")

    @transition
    def report_completion(self, *, by, done_on: dt.date, measures: str, cost: Decimal | None = None):
        """整改中 → 待复查: what was done, when, by whom, at what cost. Starts the re-check clock."""
        self.require_status(self.Status.RECTIFYING, message=_("Completion is reported for a case being rectified."))
        if not (measures or "").strip():
            raise ValidationError(_("Say what was done."))
        if done_on > timezone.localdate():
            raise ValidationError(_("The completion date cannot be in the future."))
        if cost is not None and cost < 0:
            raise ValidationError(_("The cost cannot be negative."))
        rectification = self.rectifications.create(round=self.round, done_on=done_on, by=by,
                                                    measures=measures.strip(), cost=cost)
        self.status, self.completed_on = self.Status.RECHECK, done_on
        self.recheck_due_on = recheck_due_on(max(done_on, timezone.localdate()))
        self.commit(by, ["status", "completed_on", "recheck_due_on"], reason="report_completion")
        return rectification

    @transition
    def recheck(self, *, by, on: dt.date, passed: bool, note: str = "", new_deadline: dt.date | None = None):
        """复查 by someone other than the rectifier: pass → 待销号; fail → 整改中 again, round + 1, new deadline."""
        self.require_status(self.Status.RECHECK, message=_("Only a case awaiting re-check can be re-checked."))
        rectification = self.current_rectification()
        if rectification is not None and rectification.by_id == by.pk:
            raise ValidationError(_("The re-check must be done by someone other than the person who rectified."))
        if on > timezone.localdate():
            raise ValidationError(_("The re-check date cannot be in the future."))
        if not passed:
            if not (note or "").strip():
                raise ValidationError(_("Say what is still wrong."))
            if new_deadline is None or new_deadline < timezone.localdate():
                raise ValidationError(_("A failed re-check needs a new deadline, today or later."))
        check = self.rechecks.create(round=self.round, by=by, on=on, passed=passed, note=(note or "").strip(),
                                     new_deadline=None if passed else new_deadline)
        if passed:
            self.status = self.Status.CLOSEOUT
            self.commit(by, ["status"], reason="recheck_passed")
        else:
            self.status, self.round, self.deadline = self.Status.RECTIFYING, self.round + 1, new_deadline
            self.completed_on = self.recheck_due_on = None
            self.commit(by, ["status", "round", "deadline", "completed_on", "recheck_due_on"],
                        reason="recheck_failed")
        return check

    @transition
    def request_closeout(self, *, by, note: str = ""):
        """销号 asked for (待销号); approval is someone else's."""
        self.require_status(self.Status.CLOSEOUT, message=_("Close-out is asked for once the re-check has passed."))
        if self.pending_closeout() is not None:
            raise ValidationError(_("A close-out is already waiting for approval."))
        closeout = self.closeouts.create(round=self.round, requested_by=by, note=(note or "").strip())
        self.commit(by, [], reason="request_closeout")
        return closeout

    @transition
    def decide_closeout(self, *, by, approve: bool, comment: str = ""):
        """Approve (已销号) or send back; never by the one who asked."""
        self.require_status(self.Status.CLOSEOUT, message=_("No close-out is waiting for approval."))
        closeout = self.pending_closeout()
        if closeout is None:
            raise ValidationError(_("No close-out is waiting for approval."))
        if closeout.requested_by_id == by.pk:
            raise ValidationError(_("Close-out must be approved by someone other than the person who asked for it."))
        if not approve and not (comment or "").strip():
            raise ValidationError(_("Say why the close-out is sent back."))
        closeout.decision = CloseOutBase.Decision.APPROVED if approve else CloseOutBase.Decision.REJECTED
        closeout.decided_by, closeout.decided_at, closeout.comment = by, timezone.now(), (comment or "").strip()
        closeout.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
        if approve:
            self.status, self.closed_at = self.Status.CLOSED, timezone.now()
            self.commit(by, ["status", "closed_at"], reason="closeout_approved")
        else:
            self.commit(by, [], reason="closeout_sent_back")
        return closeout

    @transition
    def look_back(self, *, by, on: dt.date, finding: str, reopen: bool = False, new_deadline: dt.date | None = None):
        """回头看 of a closed-out case: recorded; when the fix did not hold, the case is reopened (round + 1)."""
        self.require_status(self.Status.CLOSED, message=_("A look-back is done on a closed-out case."))
        if not (finding or "").strip():
            raise ValidationError(_("Write what the look-back found."))
        if reopen and (new_deadline is None or new_deadline < timezone.localdate()):
            raise ValidationError(_("Reopening needs a new deadline, today or later."))
        lookback = self.lookbacks.create(by=by, on=on, finding=finding.strip(), reopened=reopen)
        if reopen:
            self.status, self.round, self.deadline, self.closed_at = (
                self.Status.RECTIFYING, self.round + 1, new_deadline, None)
            self.completed_on = self.recheck_due_on = None
            self.commit(by, ["status", "round", "deadline", "closed_at", "completed_on", "recheck_due_on"],
                        reason="look_back_reopened")
        return lookback

    @transition
    def transfer(self, *, by, to: str, receipt: str, on: dt.date) -> None:
        """已移交: handed to a department (住建/应急/消防/市场监管 …), with the receipt."""
        self.require_status(self.Status.PENDING, self.Status.RECTIFYING,
                            message=_("Only a case not yet rectified can be handed over."))
        if not (to or "").strip() or not (receipt or "").strip():
            raise ValidationError(_("Name the department and the receipt."))
        self.status, self.transferred_to, self.transfer_receipt, self.transferred_on = (
            self.Status.TRANSFERRED, to.strip(), receipt.strip(), on)
        self.commit(by, ["status", "transferred_to", "transfer_receipt", "transferred_on"], reason="transfer")

    @transition
    def put_under_control(self, *, by, measures: str, review_every_days: int) -> None:
        """管控中: cannot be removed (a 地灾 point), kept under review every N days."""
        self.require_status(self.Status.PENDING, self.Status.RECTIFYING,
                            message=_("Only a case not yet rectified can be put under control."))
        if not (measures or "").strip():
            raise ValidationError(_("Say how the hazard is kept under control."))
        if not review_every_days or review_every_days < 1:
            raise ValidationError(_("Say how often it is reviewed."))
        self.status, self.control_note, self.review_every_days = (
            self.Status.CONTROLLED, measures.strip(), review_every_days)
        self.commit(by, ["status", "control_note", "review_every_days"], reason="control")


# --- The child rows: abstract; a case type declares them with a foreign key named ``case`` ----------------------


class RectificationBase(models.Model):
    round = models.PositiveSmallIntegerField(_("round"))
    done_on = models.DateField(_("completed on"))
    by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("rectified by"))
    measures = models.TextField(_("measures taken"))
    cost = models.DecimalField(_("cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["case", "round", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: {self.done_on}"


class RecheckBase(models.Model):
    round = models.PositiveSmallIntegerField(_("round"))
    by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("re-checked by"))
    on = models.DateField(_("re-checked on"))
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["case", "round", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: {'+' if self.passed else '-'}"


class CloseOutBase(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Sent back")

    round = models.PositiveSmallIntegerField(_("round"))
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, default=Decision.PENDING)
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.round}: {self.decision}"


class LookBackBase(models.Model):
    """回头看: a sampled visit to a closed-out case; the finding, and whether it reopened the case."""

    by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("checked by"))
    on = models.DateField(_("checked on"))
    finding = models.TextField(_("finding"))
    reopened = models.BooleanField(_("reopened"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.on}"


# --- Services: the transition and its clock together ------------------------------------------------------------


@transaction.atomic
def rectification_start(*, case, by, deadline, requirement="", lead, responsible_unit, team=()):
    """整改中, and the 包案 assignment that carries the deadline (made, or moved to the new deadline)."""
    from .services import assignment_create, assignment_for, assignment_reopen, assignment_update

    case.start_rectification(by=by, deadline=deadline, requirement=requirement)
    assignment = assignment_for(case)
    if assignment is None:
        return assignment_create(
            case=case, township=case.township, village=getattr(case, "village", None),
            grid=getattr(case, "grid", None), lead=lead, responsible_unit=responsible_unit, deadline=deadline,
            team=list(team), by=by,
        )
    assignment_reopen(case=case, deadline=deadline)
    return assignment_update(assignment=assignment, lead=lead, responsible_unit=responsible_unit,
                             deadline=deadline, team=list(team), by=by)


def _move_clock(case, deadline) -> None:
    from .services import assignment_for, assignment_reopen, assignment_update

    assignment = assignment_for(case)
    if assignment is not None:
        assignment_reopen(case=case, deadline=deadline)
        assignment_update(assignment=assignment, deadline=deadline)


def _stop_clock(case) -> None:
    from .services import assignment_close

    assignment_close(case=case)


@transaction.atomic
def rectification_report(*, case, by, done_on, measures, cost=None):
    rectification = case.report_completion(by=by, done_on=done_on, measures=measures, cost=cost)
    _move_clock(case, case.recheck_due_on)  # the second clock: the re-check
    return rectification


@transaction.atomic
def rectification_recheck(*, case, by, on, passed, note="", new_deadline=None):
    check = case.recheck(by=by, on=on, passed=passed, note=note, new_deadline=new_deadline)
    if passed:
        _stop_clock(case)
    else:
        _move_clock(case, new_deadline)
    return check


@transaction.atomic
def rectification_look_back(*, case, by, on, finding, reopen=False, new_deadline=None):
    lookback = case.look_back(by=by, on=on, finding=finding, reopen=reopen, new_deadline=new_deadline)
    if reopen:
        _move_clock(case, new_deadline)
    return lookback


@transaction.atomic
def rectification_request_closeout(*, case, by, note=""):
    """销号 asked for; whoever may approve it is told at once (casework.notices)."""
    from .notices import closeout_requested

    closeout = case.request_closeout(by=by, note=note)
    closeout_requested(case=case, closeout=closeout, approvers=case.closeout_approvers())
    return closeout


@transaction.atomic
def rectification_decide_closeout(*, case, by, approve, comment=""):
    """销号 approved or sent back; the one who asked is told."""
    from .notices import closeout_decided

    closeout = case.decide_closeout(by=by, approve=approve, comment=comment)
    closeout_decided(case=case, closeout=closeout, approved=approve, comment=comment)
    return closeout


@transaction.atomic
def rectification_transfer(*, case, by, to, receipt, on):
    case.transfer(by=by, to=to, receipt=receipt, on=on)
    _stop_clock(case)


@transaction.atomic
def rectification_control(*, case, by, measures, review_every_days):
    case.put_under_control(by=by, measures=measures, review_every_days=review_every_days)
    _stop_clock(case)
