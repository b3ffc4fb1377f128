"""信访台账: petitions (信访件), their petitioners, the statutory clock (信访工作条例), progress (办理过程),
the 四包 checklist, the reply and the petitioner's satisfaction, and close-out (销号). Nothing here is ever deleted.

The 包案 itself (lead official, unit, team, deadline, 挂牌督办) is governance's shared ResponsibilityAssignment,
reached through ``Petition.assignments`` (a generic relation; one assignment per petition)."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from casework.cases import Case
from casework.models import CaseCounter, ResponsibilityAssignment
from casework.scoping import CaseQuerySet
from core.audit import audited_history
from core.concurrency import transition
from governance.models import COUNTY_ROLES, TimeStampedModel
from households.idnumbers import mask_id_number, mask_phone, validate_id_number

#: 集体访: five people or more.
COLLECTIVE_MIN = 5
#: A petition on the same subject by the same person or household within this many days is a 重复访.
REPEAT_WINDOW_DAYS = 365


def accept_days() -> int:
    return settings.PETITION_ACCEPT_DAYS


def handle_days() -> int:
    return settings.PETITION_HANDLE_DAYS


def extension_max_days() -> int:
    return settings.PETITION_EXTENSION_MAX_DAYS


class PetitionQuerySet(CaseQuerySet):
    """By village for cadres; a petition of a household belongs to the household's grid, so grid workers see the
    petitions of their grids' households (not those of the village alone) and household heads those of their own
    households. A lead official or team member reaches the petitions they answer for wherever those are."""

    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = "household__grid"
    scope_head_path = "household__household_head"

    def open(self) -> PetitionQuerySet:
        return self.exclude(status__in=Petition.FINISHED)

    def overdue(self, today: dt.date | None = None) -> PetitionQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def supervised(self) -> PetitionQuerySet:
        return self.filter(assignments__supervision_level__in=ResponsibilityAssignment.SupervisionLevel.values[1:])

    def of_form(self, form: str) -> PetitionQuerySet:
        return self.filter(Petition.FORM_Q[form])


def choice_labels() -> dict[str, dict[str, str]]:
    """The choice labels in the active language, translated once: ``get_FOO_display`` hashes every lazy label
    on every call, which costs more than the rest of a list row."""
    return _choice_labels(translation.get_language())


@functools.lru_cache(maxsize=16)
def _choice_labels(language: str | None) -> dict[str, dict[str, str]]:
    # Once per language and process (the catalogues do not change while it runs).
    return {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (
            ("channel", Petition.Channel), ("subject", Petition.Subject), ("status", Petition.Status),
            ("satisfaction", Petition.Satisfaction), ("form", Petition.Form),
        )
    }


class PetitionCounter(CaseCounter):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="petitions_petitioncounter_unique_year"),
        ]


class Petition(Case):
    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        VISIT = "visit", _("In person")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Telephone")
        RECEPTION_DAY = "reception_day", _("Leaders' reception day")
        REFERRED = "referred", _("Referred or assigned from above")

    class Form(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual petition")
        COLLECTIVE = "collective", _("Collective petition")
        SKIP_LEVEL = "skip_level", _("Skip-level petition")
        REPEAT = "repeat", _("Repeat petition")
        FIRST = "first", _("First petition")

    class Subject(models.TextChoices):
        LAND = "land", _("Land acquisition and demolition")
        AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
        SOCIAL_SECURITY = "social_security", _("Social security")
        ENVIRONMENT = "environment", _("Environmental protection")
        CONSTRUCTION = "construction", _("Urban and rural construction")
        LABOUR = "labour", _("Labour protection")
        LEGAL = "legal", _("Law and litigation")
        CONDUCT = "conduct", _("Conduct of officials")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Awaiting acceptance")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        CLOSE_REQUESTED = "close_requested", _("Close-out requested")
        CLOSED = "closed", _("Closed out")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    #: No longer on the clock: closed out (销号) or not accepted (不予受理).
    FINISHED = (Status.CLOSED, Status.NOT_ACCEPTED)

    class Satisfaction(models.TextChoices):
        NONE = "", _("Not yet asked")
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    FORM_Q = {
        Form.INDIVIDUAL: Q(head_count__lt=COLLECTIVE_MIN),
        Form.COLLECTIVE: Q(head_count__gte=COLLECTIVE_MIN),
        Form.SKIP_LEVEL: Q(skip_level=True),
        Form.REPEAT: Q(repeat_of__isnull=False),
        Form.FIRST: Q(repeat_of__isnull=True),
    }

    village = models.ForeignKey(
        "governance.Village", models.PROTECT, null=True, blank=True, related_name="petitions",
        verbose_name=_("village"),
    )
    household = models.ForeignKey(
        "households.Household", models.PROTECT, null=True, blank=True, related_name="petitions",
        verbose_name=_("household"),
    )
    source_visit = models.ForeignKey(
        "households.Visit", models.SET_NULL, null=True, blank=True, related_name="petitions",
        verbose_name=_("from visit"),
    )
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)

    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel)
    referred_by = models.CharField(_("referred by"), max_length=100, blank=True)
    skip_level = models.BooleanField(_("went over levels"), default=False)
    subject = models.CharField(_("subject"), max_length=16, choices=Subject)
    head_count = models.PositiveIntegerField(_("head count"), default=1)
    content = models.TextField(_("content"))
    demands = models.TextField(_("demands"), blank=True)
    repeat_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="repeats", verbose_name=_("repeat of")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registered by")
    )

    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.REGISTERED)
    round = models.PositiveSmallIntegerField(_("round"), default=1)

    # The clock. ``due_on`` is the date chased now: the statutory date of the current stage, or an earlier
    # deadline set by the 包案 (三定); the assignment's deadline is kept equal to it.
    acceptance_due_on = models.DateField(_("acceptance due"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("accepted by"),
    )
    declined_on = models.DateField(_("not accepted on"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("not accepted by"),
    )
    decline_reason = models.TextField(_("reason for not accepting"), blank=True)
    handling_due_on = models.DateField(_("handling due"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.TextField(_("reason for extension"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("extension approved by"),
    )
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    due_on = models.DateField(_("due on"))

    reply_text = models.TextField(_("written reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction, default=Satisfaction.NONE, blank=True
    )
    closed_at = models.DateTimeField(_("closed out at"), null=True, blank=True)
    # The reason of the latest correction of what was registered (the history keeps each with what it changed).
    correction_note = models.TextField(_("reason for the correction"), blank=True)

    assignments = GenericRelation(
        ResponsibilityAssignment, content_type_field="case_type", object_id_field="case_id",
        related_query_name="petition",
    )

    objects = PetitionQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="petitions_petition_unique_number"),
            models.UniqueConstraint(
                fields=["township", "year", "sequence"], name="petitions_petition_unique_sequence"
            ),
            models.CheckConstraint(condition=Q(head_count__gte=1), name="petitions_petition_head_count_positive"),
        ]
        indexes = [
            # Overdue lists and figures read open petitions by due date.
            models.Index(
                fields=["due_on"], condition=~Q(status__in=["closed", "not_accepted"]), name="petitions_petition_open_due"
            ),
            models.Index(fields=["township", "received_on"], name="petitions_petition_received"),
            # The list's order: a county's first page reads its 25 newest from here instead of sorting 20,000.
            models.Index(fields=["-received_on", "-sequence"], name="petitions_petition_order"),
            models.Index(fields=["township", "subject"], name="petitions_petition_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_subject_display()}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", kwargs={"pk": self.pk})

    # --- Derived facts -----------------------------------------------------------------------------

    @property
    def is_collective(self) -> bool:
        return self.head_count >= COLLECTIVE_MIN

    @property
    def forms(self) -> list[Form]:
        """The forms that apply (个体访 or 集体访; 越级访; 重复访 or 初信初访)."""
        result = [self.Form.COLLECTIVE if self.is_collective else self.Form.INDIVIDUAL]
        if self.skip_level:
            result.append(self.Form.SKIP_LEVEL)
        result.append(self.Form.REPEAT if self.repeat_of_id else self.Form.FIRST)
        return result

    @property
    def statutory_due_on(self) -> dt.date:
        if self.handling_due_on is None:
            return self.acceptance_due_on
        return self.handling_due_on + dt.timedelta(days=self.extension_days)

    @property
    def registered_at_county(self) -> bool:
        """Brought to the county and registered there (its township handles it): a case of the county, whose
        overdue 包案 is escalated to the county's leaders."""
        return self.registered_by.role in COUNTY_ROLES

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_finished(self) -> bool:
        """Closed out or not accepted: nothing more is done on it and no clock runs."""
        return self.status in self.FINISHED

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.NOT_ACCEPTED

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def is_overdue(self) -> bool:
        return not self.is_finished and self.days_left() < 0

    @property
    def can_extend(self) -> bool:
        return self.status == self.Status.HANDLING and not self.extension_days

    # --- Transitions -------------------------------------------------------------------------------
    # Each guards the current state, sets the related fields together, saves them and leaves one history row.

    @transition
    def accept(self, *, by, on: dt.date) -> None:
        """受理: the handling clock starts (60 days from acceptance)."""
        self.require_status(self.Status.REGISTERED, message=_("Only a petition awaiting acceptance can be accepted."))
        if on < self.received_on or on > timezone.localdate():
            raise ValidationError(_("The acceptance date must lie between receipt and today."))
        self.accepted_on, self.accepted_by = on, by
        self.handling_due_on = on + dt.timedelta(days=handle_days())
        self.due_on = self.handling_due_on
        self.status = self.Status.HANDLING
        self.commit(by, ["accepted_on", "accepted_by", "handling_due_on", "due_on", "status"])

    @transition
    def decline(self, *, by, on: dt.date, reason: str) -> None:
        """不予受理: the petition is not taken up (with the reason the notice gives); it leaves the open ledger."""
        self.require_status(
            self.Status.REGISTERED, message=_("Only a petition awaiting acceptance can be declined.")
        )
        if not reason.strip():
            raise ValidationError(_("Give the reason for not accepting the petition."))
        if on < self.received_on or on > timezone.localdate():
            raise ValidationError(_("The date must lie between receipt and today."))
        self.declined_on, self.declined_by, self.decline_reason = on, by, reason.strip()
        self.status = self.Status.NOT_ACCEPTED
        self.commit(by, ["declined_on", "declined_by", "decline_reason", "status"])

    @transition
    def set_deadline(self, *, by, deadline: dt.date) -> None:
        """三定's 定时限: an internal deadline no later than the statutory date of the current stage."""
        self.require_status(
            self.Status.REGISTERED, self.Status.HANDLING, self.Status.REPLIED, self.Status.CLOSE_REQUESTED,
            message=_("A closed petition has no deadline to set."),
        )
        if deadline > self.statutory_due_on:
            raise ValidationError(
                _("The deadline cannot be later than the statutory date (%(date)s).") % {"date": self.statutory_due_on}
            )
        if deadline < self.received_on:
            raise ValidationError(_("The deadline cannot be before the petition was received."))
        if deadline != self.due_on:
            self.due_on = deadline
            self.commit(by, ["due_on"])

    @transition
    def extend(self, *, by, days: int, reason: str) -> None:
        """延期: once per round, at most PETITION_EXTENSION_MAX_DAYS days, approved and with a reason."""
        self.require_status(self.Status.HANDLING, message=_("Only a petition being handled can be extended."))
        if self.extension_days:
            raise ValidationError(_("This petition has already been extended once."))
        limit = extension_max_days()
        if not 1 <= days <= limit:
            raise ValidationError(_("An extension is from 1 to %(days)s days.") % {"days": limit})
        if not reason.strip():
            raise ValidationError(_("Give the reason for the extension."))
        self.extension_days, self.extension_reason = days, reason.strip()
        self.extension_approved_by, self.extended_at = by, timezone.now()
        self.due_on = self.statutory_due_on
        self.commit(by, ["extension_days", "extension_reason", "extension_approved_by", "extended_at", "due_on"])

    @transition
    def record_reply(self, *, by, text: str, on: dt.date) -> None:
        """答复意见: the written reply closes the handling clock (on time or late)."""
        self.require_status(self.Status.HANDLING, self.Status.REPLIED, message=_("Only a petition being handled can be replied to."))
        if not text.strip():
            raise ValidationError(_("Write the reply."))
        if on < self.accepted_on or on > timezone.localdate():
            raise ValidationError(_("The reply date must lie between acceptance and today."))
        self.reply_text, self.replied_on = text.strip(), on
        self.reply_on_time = on <= self.due_on
        self.status = self.Status.REPLIED
        self.commit(by, ["reply_text", "replied_on", "reply_on_time", "status"])

    @transition
    def record_satisfaction(self, *, by, level: str) -> None:
        self.require_status(self.Status.REPLIED, message=_("Satisfaction is recorded after the reply."))
        if level not in self.Satisfaction.values or not level:
            raise ValidationError(_("Choose the petitioner's satisfaction."))
        self.satisfaction = level
        self.commit(by, ["satisfaction"])

    @transition
    def request_closeout(self, *, by, outcome: str, reason: str = "", note: str = "") -> CloseOut:
        """销号 is asked for by the handler, with the 到位 outcome that applied; approval is someone else's."""
        self.require_status(self.Status.REPLIED, message=_("Close-out can be requested once the reply is given."))
        if not self.satisfaction:
            raise ValidationError(_("Record the petitioner's satisfaction before asking for close-out."))
        if outcome not in CloseOut.Outcome.values:
            raise ValidationError(_("Choose which outcome (到位) applied."))
        if self.satisfaction == self.Satisfaction.DISSATISFIED and not reason.strip():
            raise ValidationError(_("The petitioner is dissatisfied: say why the petition is closed anyway."))
        closeout = CloseOut(
            petition=self, round=self.round, requested_by=by, outcome=outcome, dissatisfied_reason=reason.strip(),
            note=note.strip(), reply_text=self.reply_text, replied_on=self.replied_on, satisfaction=self.satisfaction,
        )
        closeout._history_user = by
        closeout.save()
        self.status = self.Status.CLOSE_REQUESTED
        self.commit(by, ["status"])
        return closeout

    def pending_closeout(self) -> CloseOut:
        closeout = self.closeouts.filter(decision=CloseOut.Decision.PENDING).order_by("-pk").first()
        if self.status != self.Status.CLOSE_REQUESTED or closeout is None:
            raise ValidationError(_("No close-out is waiting for approval."))
        return closeout

    @transition
    def decide_closeout(self, *, by, approve: bool, comment: str = "") -> CloseOut:
        """Approve (the petition leaves the open ledger) or send back; never by the one who asked."""
        closeout = self.pending_closeout()
        if closeout.requested_by_id == by.pk:
            raise ValidationError(_("Close-out must be approved by someone other than the person who asked for it."))
        if not approve and not comment.strip():
            raise ValidationError(_("Say why the close-out is sent back."))
        closeout.decide(by=by, approve=approve, comment=comment)
        if approve:
            self.status, self.closed_at = self.Status.CLOSED, timezone.now()
        else:
            self.status = self.Status.REPLIED
        self.commit(by, ["status", "closed_at"])
        return closeout

    #: What a correction may change; the first two move the statutory clock.
    CLOCK_FIELDS = ("received_on", "accepted_on")
    CORRECTABLE = (*CLOCK_FIELDS, "channel", "referred_by", "subject", "head_count", "content", "demands")

    @transition
    def correct(self, *, by, reason: str, changes: dict, petitioner_note: str = "") -> None:
        """更正: put right what was registered wrongly, with the reason; one history row shows what changed. A new
        date of receipt or acceptance moves the statutory dates with it (the services say who may)."""
        if not reason.strip():
            raise ValidationError(_("Give the reason for the correction."))
        changes = {k: v for k, v in changes.items() if k in self.CORRECTABLE and getattr(self, k) != v}
        if "accepted_on" in changes and self.accepted_on is None:
            raise ValidationError(_("The petition has not been accepted: there is no acceptance date to correct."))
        received = changes.get("received_on", self.received_on)
        accepted = changes.get("accepted_on", self.accepted_on)
        if accepted is not None and accepted < received:
            raise ValidationError(_("The acceptance date cannot be before the date of receipt."))
        if changes.get("head_count", self.head_count) < self.petitioners.count():
            raise ValidationError(_("The head count cannot be smaller than the number of petitioners named."))
        old_statutory = self.statutory_due_on
        for name, value in changes.items():
            setattr(self, name, value)
        fields = [*changes, "correction_note"]
        if any(name in changes for name in self.CLOCK_FIELDS):
            fields += self._reset_clock(old_statutory)
        self.correction_note = " · ".join(part for part in (reason.strip(), petitioner_note) if part)
        self.commit(by, fields, reason="correct")

    def _reset_clock(self, old_statutory: dt.date) -> list[str]:
        """The statutory dates from the corrected dates; an internal deadline stays unless it is now too late."""
        self.acceptance_due_on = self.received_on + dt.timedelta(days=accept_days())
        if self.accepted_on is not None and self.round == 1:
            self.handling_due_on = self.accepted_on + dt.timedelta(days=handle_days())
        if not self.is_finished and (self.due_on == old_statutory or self.due_on > self.statutory_due_on):
            self.due_on = self.statutory_due_on
        return ["acceptance_due_on", "handling_due_on", "due_on"]

    @transition
    def reopen(self, *, by, reason: str) -> None:
        """A new round: handling starts again today with a fresh 60-day clock; the old round stays on record."""
        self.require_status(self.Status.CLOSED, message=_("Only a closed-out petition can be reopened."))
        if not reason.strip():
            raise ValidationError(_("Give the reason for reopening."))
        today = timezone.localdate()
        self.round += 1
        self.status, self.closed_at = self.Status.HANDLING, None
        self.reply_text, self.replied_on, self.reply_on_time, self.satisfaction = "", None, None, ""
        self.extension_days, self.extension_reason, self.extension_approved_by, self.extended_at = 0, "", None, None
        self.handling_due_on = today + dt.timedelta(days=handle_days())
        self.due_on = self.handling_due_on
        self.commit(by, [
            "round", "status", "closed_at", "reply_text", "replied_on", "reply_on_time", "satisfaction",
            "extension_days", "extension_reason", "extension_approved_by", "extended_at", "handling_due_on", "due_on",
        ])
        ProgressEntry.objects.create(
            petition=self, round=self.round, done_on=today, handler=str(by), recorded_by=by,
            kind=ProgressEntry.Kind.REOPENED, action=reason.strip(),
        )


class Petitioner(TimeStampedModel):
    """信访人: a resident of the registry (their details copied at registration) or an outside person."""

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="petitioners", verbose_name=_("petition"))
    resident = models.ForeignKey(
        "households.Resident", models.PROTECT, null=True, blank=True, related_name="petitioner_records",
        verbose_name=_("resident"),
    )
    name = models.CharField(_("name"), max_length=32)
    id_number = models.CharField(_("ID number"), max_length=18, validators=[validate_id_number])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = audited_history()

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        ordering = ["petition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "id_number"], name="petitions_petitioner_unique_person"),
        ]
        indexes = [models.Index(fields=["id_number"], name="petitions_petitioner_id_number")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_outsider(self) -> bool:
        return self.resident_id is None


class ProgressEntry(TimeStampedModel):
    """办理过程: on which day, who, what was done."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        REOPENED = "reopened", _("Reopened")

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="progress", verbose_name=_("petition"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.PROGRESS)
    done_on = models.DateField(_("date"))
    handler = models.CharField(_("who"), max_length=64)
    action = models.TextField(_("what was done"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    history = audited_history()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["petition", "done_on", "pk"]

    def __str__(self) -> str:
        return f"{self.done_on} {self.handler}"


class CloseOut(TimeStampedModel):
    """One request for 销号 and its decision. The round's reply and satisfaction are copied in, so that a
    reopened petition still shows what the earlier round ended with."""

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Reasonable demand resolved")
        EDUCATED = "educated", _("Excessive demand explained")
        ASSISTED = "assisted", _("Hardship assisted")
        STABILISED = "stabilised", _("Unreasonable pestering stabilised")
        LEGAL = "legal", _("Unlawful conduct dealt with by law")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Sent back")

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="closeouts", verbose_name=_("petition"))
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome)
    dissatisfied_reason = models.TextField(_("why closed despite dissatisfaction"), blank=True)
    note = models.TextField(_("note"), blank=True)
    reply_text = models.TextField(_("written reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Petition.Satisfaction, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("close-out")
        verbose_name_plural = _("close-outs")
        ordering = ["petition", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition"], condition=Q(decision="pending"), name="petitions_closeout_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} #{self.round} {self.get_decision_display()}"

    def decide(self, *, by, approve: bool, comment: str) -> None:
        if self.decision != self.Decision.PENDING:
            raise ValidationError(_("This close-out has already been decided."))
        self.decision = self.Decision.APPROVED if approve else self.Decision.REJECTED
        self.decided_by, self.decided_at, self.decision_comment = by, timezone.now(), comment.strip()
        self._history_user = by
        self.save(update_fields=["decision", "decided_by", "decided_at", "decision_comment", "updated_at"])
