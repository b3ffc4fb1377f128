"""Disputes (矛盾纠纷排查调处): the case, its parties, mediators and mediation sessions, and its level history.

The lifecycle is a set of guarded model methods: 已登记 → 已受理 → 调解中 → 调解成功 / 调解不成 → 移交或引导诉讼仲裁
→ 已回访 → 已结案. Each method checks the current state, sets the related fields together, saves only those
fields and so writes one history row (django-simple-history), with the transition named as the change reason.
Changing the level (小事不出村、大事不出乡、难事不出县) keeps a ``LevelChange`` row per move.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.cases import Case, TransitionError
from casework.models import CaseCounter
from casework.rectification import CloseOutBase
from core.audit import audited_history
from core.concurrency import transition
from governance.models import COUNTY_ROLES, TimeStampedModel, User
from households.idnumbers import mask_id_number, mask_phone, validate_id_number
from households.models import Resident
from households.phones import validate_phone

from .querysets import DisputeQuerySet, PartyQuerySet


class DisputeCounter(CaseCounter):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="disputes_disputecounter_unique_year"),
        ]


class AgreementCounter(models.Model):
    """The last 调解协议书 number given per mediation committee and year (青石调字〔2026〕第3号): each committee (a
    village's or the township's 人民调解委员会) numbers its own agreements. ``committee`` is a key such as
    ``village:12``; ``take`` locks the row as ``CaseCounter.take`` does."""

    committee = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="disputes_agreementcounter_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.committee}/{self.year}: {self.last}"

    @classmethod
    def take(cls, committee: str, year: int) -> int:
        cls.objects.bulk_create([cls(committee=committee, year=year)], ignore_conflicts=True)
        counter = cls.objects.select_for_update().get(committee=committee, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


class Dispute(Case):
    class Kind(models.TextChoices):
        NEIGHBOUR = "neighbour", _("Neighbour dispute")
        FAMILY = "family", _("Marriage and family")
        LAND = "land", _("Land or forest rights")
        EXPROPRIATION = "expropriation", _("Land expropriation and demolition")
        LABOUR = "labour", _("Labour and wages")
        ENVIRONMENT = "environment", _("Environmental pollution")
        CONTRACT = "contract", _("Contract and debt")
        DAMAGES = "damages", _("Compensation for damage")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        SCREENING = "screening", _("Found in screening")
        RESIDENTS = "residents", _("Reported by residents")
        HOUSEHOLD_HEAD = "household_head", _("Reported by a household head")
        VISIT = "visit", _("Found on a visit")
        ASSIGNED = "assigned", _("Assigned by a higher level")

    class Risk(models.TextChoices):
        GENERAL = "general", _("Ordinary")
        SIGNIFICANT = "significant", _("Relatively serious")
        MAJOR = "major", _("Serious")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ACCEPTED = "accepted", _("Accepted")
        MEDIATING = "mediating", _("Mediating")
        SUCCEEDED = "succeeded", _("Mediation succeeded")
        FAILED = "failed", _("Mediation failed")
        REFERRED = "referred", _("Handed over or referred")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CLOSE_REQUESTED = "close_requested", _("Close-out requested")
        CLOSED = "closed", _("Closed")

    class Level(models.TextChoices):
        VILLAGE = "village", _("Village level")
        TOWNSHIP = "township", _("Township level")
        COUNTY = "county", _("County level")

    class Method(models.TextChoices):
        PEOPLE = "people", _("People's mediation")
        ADMINISTRATIVE = "administrative", _("Administrative mediation")
        JUDICIAL = "judicial", _("Judicial mediation")

    class Outcome(models.TextChoices):
        NONE = "", _("Not yet")
        SUCCESS = "success", _("Succeeded")
        FAILURE = "failure", _("Failed")

    class AgreementForm(models.TextChoices):
        ORAL = "oral", _("Oral agreement")
        WRITTEN = "written", _("Written agreement")

    class Fulfilment(models.TextChoices):
        PENDING = "pending", _("Not yet carried out")
        PARTIAL = "partial", _("Partly carried out")
        FULFILLED = "fulfilled", _("Carried out")

    class ClosingOutcome(models.TextChoices):
        """The 四到位 of mediation, with the values of the petitions' five 到位 outcomes they map onto."""

        RESOLVED = "resolved", pgettext_lazy("dispute closing", "Reasonable demand resolved")
        EDUCATED = "educated", pgettext_lazy("dispute closing", "Excessive demand explained")
        STABILISED = "stabilised", pgettext_lazy("dispute closing", "Unreasonable pestering stabilised")
        LEGAL = "legal", pgettext_lazy("dispute closing", "Unlawful conduct dealt with by law")

    class Route(models.TextChoices):
        HANDOVER = "handover", _("Handed over to a department")
        LITIGATION = "litigation", _("Guided to litigation")
        ARBITRATION = "arbitration", _("Guided to arbitration")

    LEVEL_ORDER = {Level.VILLAGE: 0, Level.TOWNSHIP: 1, Level.COUNTY: 2}
    SERIOUS_RISKS = (Risk.SIGNIFICANT, Risk.MAJOR)

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("dispute type"), max_length=16, choices=Kind)
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.RESIDENTS)
    village = models.ForeignKey(
        "governance.Village", models.PROTECT, related_name="disputes", verbose_name=_("village")
    )
    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="disputes", verbose_name=_("grid"))
    description = models.TextField(_("description"))
    amount = models.DecimalField(
        _("amount involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_involved = models.PositiveIntegerField(_("people involved"), default=2)
    risk = models.CharField(_("risk level"), max_length=16, choices=Risk, default=Risk.GENERAL)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    registered_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("registered by")
    )
    reporting_head = models.ForeignKey(
        "governance.HouseholdHead", models.PROTECT, null=True, blank=True, related_name="reported_disputes",
        verbose_name=_("reporting household head"),
    )
    visit = models.ForeignKey(
        "households.Visit", models.SET_NULL, null=True, blank=True, related_name="disputes", verbose_name=_("visit")
    )

    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.REGISTERED)
    level = models.CharField(_("handling level"), max_length=16, choices=Level, default=Level.VILLAGE)
    handler = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="handled_disputes", verbose_name=_("handler")
    )
    handler_name = models.CharField(_("handling person or body"), max_length=100, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    method = models.CharField(_("mediation method"), max_length=16, choices=Method, blank=True)
    mediation_started_on = models.DateField(_("mediation started on"), null=True, blank=True)
    outcome = models.CharField(_("mediation result"), max_length=8, choices=Outcome, default=Outcome.NONE, blank=True)
    # The level at which the mediation ended: the "share resolved at village level" counts these.
    resolved_level = models.CharField(_("resolved at level"), max_length=16, choices=Level, blank=True)
    mediation_ended_on = models.DateField(_("mediation ended on"), null=True, blank=True)

    agreement_form = models.CharField(_("agreement form"), max_length=8, choices=AgreementForm, blank=True)
    agreement_terms = models.TextField(_("agreed terms"), blank=True)
    fulfilment = models.CharField(_("fulfilment"), max_length=16, choices=Fulfilment, blank=True)
    # What the 人民调解协议书 says beyond the terms (Ministry of Justice format).
    dispute_points = models.TextField(_("points in dispute"), blank=True)
    performance = models.TextField(_("how the agreement is carried out"), blank=True)
    performance_due = models.DateField(_("carried out by"), null=True, blank=True)
    # Given once, the first time the written agreement is numbered: the committee's own sequence of the year.
    agreement_committee = models.CharField(_("mediation committee"), max_length=64, blank=True)
    agreement_number = models.CharField(_("agreement number"), max_length=40, blank=True)
    fulfilment_note = models.TextField(_("fulfilment note"), blank=True)

    failure_reason = models.TextField(_("why mediation failed"), blank=True)
    route = models.CharField(_("referral"), max_length=16, choices=Route, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=100, blank=True)
    referral_note = models.TextField(_("referral note"), blank=True)

    follow_up_on = models.DateField(_("follow-up visit on"), null=True, blank=True)
    follow_up_notes = models.TextField(_("follow-up notes"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    closing_outcome = models.CharField(_("closing outcome"), max_length=16, choices=ClosingOutcome,
                                       blank=True)
    # Why a closed dispute was taken up again (the history keeps each reopening with its reason).
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    # Found during a 矛盾纠纷排查 round: the village's return lists it (casework.rounds.finding_links).
    found_in_return = models.ForeignKey(
        "casework.Return", models.PROTECT, null=True, blank=True, related_name="found_disputes",
        limit_choices_to={"campaign__kind": "disputes"}, verbose_name=_("found in screening return"))

    # 包案: the shared assignment of governance, reached through its generic link.
    assignments = GenericRelation(
        "casework.ResponsibilityAssignment", content_type_field="case_type", object_id_field="case_id",
        related_query_name="dispute",
    )

    objects = DisputeQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-registered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="disputes_dispute_unique_number"),
        ]
        indexes = [
            models.Index(fields=["township", "registered_on"], name="disputes_dispute_town_date"),
            # The list's order: a county's first page reads its 25 newest from here instead of sorting 40,000.
            models.Index(fields=["-registered_on", "-id"], name="disputes_dispute_order"),
            models.Index(fields=["village", "status"], name="disputes_dispute_vill_status"),
            models.Index(fields=["grid", "registered_on"], name="disputes_dispute_grid_date"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", kwargs={"pk": self.pk})

    # --- Reading -------------------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def is_serious(self) -> bool:
        return self.risk in self.SERIOUS_RISKS

    @property
    def assignment(self):
        """The 包案 assignment, if any (uses ``prefetch_related("assignments")`` when present)."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get("assignments")
        if cached is not None:
            return next(iter(cached), None)
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = self.assignments.select_related("lead", "supervised_by").first()
        return self._assignment_cache

    @property
    def overdue(self) -> bool:
        annotated = getattr(self, "is_overdue", None)
        if annotated is not None:
            return annotated
        a = self.assignment
        return bool(a and a.is_open and a.deadline < timezone.localdate())

    @property
    def needs_assignment(self) -> bool:
        return self.is_serious and not self.is_closed and self.assignment is None

    @property
    def has_agreement(self) -> bool:
        return self.outcome == self.Outcome.SUCCESS and bool(self.agreement_form)

    @property
    def is_written_agreement(self) -> bool:
        return self.has_agreement and self.agreement_form == self.AgreementForm.WRITTEN

    def agreement_refusal(self) -> str | None:
        """Why the township may not issue this dispute's agreement (None when it may): a judicial mediation ends in
        the court's own mediation document, and what the county resolved the county's body issues."""
        if self.method == self.Method.JUDICIAL:
            return _("A judicial mediation ends in the court's own mediation document: the township does not issue "
                     "it. Print the referral from the dispute page instead.")
        if (self.resolved_level or self.level) == self.Level.COUNTY:
            return _("This dispute was mediated at county level: its agreement is issued by the county's mediation "
                     "body, not by the township.")
        return None

    def mediation_committee(self) -> tuple[str, str, str]:
        """The body that issues the agreement: (counter key, full name, short name for the number). People's
        mediation: the 人民调解委员会 of the village or of the township, by the level that mediated;
        administrative mediation: the township's government."""
        if self.method == self.Method.ADMINISTRATIVE:
            name = self.township.name
            return f"government:{self.township_id}", f"{name}人民政府", f"{_place_stem(name)}政"
        if (self.resolved_level or self.level) == self.Level.VILLAGE:
            name, key = self.village.name, f"village:{self.village_id}"
        else:
            name, key = self.township.name, f"township:{self.township_id}"
        return key, f"{name}人民调解委员会", _place_stem(name)

    def result_label(self) -> str:
        """化解结果, as the ledger writes it."""
        if self.outcome == self.Outcome.SUCCESS:
            parts = [str(self.Outcome.SUCCESS.label)]
            if self.agreement_form:
                parts.append(str(self.get_agreement_form_display()))
            if self.fulfilment:
                parts.append(str(self.get_fulfilment_display()))
            return " / ".join(parts)
        if self.outcome == self.Outcome.FAILURE:
            parts = [str(self.Outcome.FAILURE.label)]
            if self.route:
                parts.append(str(self.get_route_display()))
            return " / ".join(parts)
        return ""

    # --- Who may act ----------------------------------------------------------------------------------

    def is_assigned_to(self, user) -> bool:
        a = self.assignment
        if a is None or not getattr(user, "pk", None):
            return False
        return a.lead_id == user.pk or a.team.filter(pk=user.pk).exists()

    def can_act(self, user) -> bool:
        """May ``user`` (who can see the dispute) work on it? A village cadre keeps seeing a dispute of their
        village that went up to the township or county, but only the level that handles it acts on it."""
        from core.scoping import scope_of

        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_superuser:
            return True
        R = User.Role
        at_county = self.level == self.Level.COUNTY and self.township.county_id is not None
        if user.role in COUNTY_ROLES:
            # 难事不出县: the county's users handle what was escalated to the county, in their own county.
            if at_county and user.in_county_of(self.township_id):
                return True
            return self.is_assigned_to(user)
        if user.role == R.TOWNSHIP_STAFF and user.township_id == self.township_id:
            # Escalated to a county: the township reads it until the county hands it down.
            return not at_county
        if user.role in (R.SUPERVISOR, *CASE_ROLES) and self.is_assigned_to(user):
            return True
        scope = scope_of(user)
        if user.role == R.TOWNSHIP_CADRE:
            return self.level in (self.Level.VILLAGE, self.Level.TOWNSHIP) and self.village_id in scope.village_ids
        if self.level != self.Level.VILLAGE:
            return False
        if user.role == R.VILLAGE_CADRE:
            return self.village_id in scope.village_ids
        if user.role == R.GRID_WORKER:
            return self.grid_id in scope.grid_ids
        return False

    def can_assign(self, user) -> bool:
        """包案 is decided by township staff or a supervisor of the dispute's township, or by a county user of its
        county (a county leader may take a township's case as its lead official)."""
        if user.is_superuser:
            return True
        if user.role in COUNTY_ROLES:
            return user.in_county_of(self.township_id)
        return user.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR) and user.township_id == self.township_id

    # --- Transitions ----------------------------------------------------------------------------------

    @transition
    def accept(self, *, by) -> None:
        """已登记 → 已受理."""
        self.require_status(self.Status.REGISTERED, message=_("Only a registered dispute can be accepted."))
        self.status = self.Status.ACCEPTED
        self.accepted_at = timezone.now()
        fields = ["status", "accepted_at"]
        if self.handler_id is None and not self.handler_name:
            self.handler = by
            fields.append("handler")
        self.commit(by, fields, reason="accept")

    @transition
    def start_mediation(self, *, by, method: str, on: dt.date, mediators=(), mediator_names=()) -> None:
        """已受理 (or 调解不成, to try again, e.g. after escalation) → 调解中, with the method and the mediators."""
        self.require_status(
            self.Status.ACCEPTED, self.Status.FAILED,
            message=_("Mediation can start only on an accepted dispute or after a failed mediation."),
        )
        if method not in self.Method.values:
            raise ValidationError(_("Choose a mediation method."))
        if not mediators and not [n for n in mediator_names if n.strip()]:
            raise ValidationError(_("Name at least one mediator."))
        self.status = self.Status.MEDIATING
        self.method = method
        self.mediation_started_on = on
        self.outcome = self.Outcome.NONE
        self.mediation_ended_on = None
        self.commit(by, ["status", "method", "mediation_started_on", "outcome", "mediation_ended_on"],
                    reason="start_mediation")
        existing_users = set(self.mediators.filter(user__isnull=False).values_list("user_id", flat=True))
        existing_names = set(self.mediators.filter(user__isnull=True).values_list("name", flat=True))
        Mediator.objects.bulk_create(
            [Mediator(dispute=self, user=u, name=str(u)) for u in mediators if u.pk not in existing_users]
            + [Mediator(dispute=self, name=n.strip()) for n in mediator_names
               if n.strip() and n.strip() not in existing_names]
        )

    @transition
    def add_session(self, *, by, held_on: dt.date, place: str, participants: str, content: str,
                    result: str = "") -> MediationSession:
        self.require_status(
            self.Status.MEDIATING,
            message=_("Sessions are recorded while the dispute is being mediated."),
        )
        return MediationSession.objects.create(
            dispute=self, held_on=held_on, place=place, participants=participants, content=content, result=result,
            recorded_by=by,
        )

    @transition
    def record_success(self, *, by, on: dt.date, agreement_form: str, terms: str, fulfilment: str,
                       dispute_points: str = "", performance: str = "", performance_due: dt.date | None = None
                       ) -> None:
        """调解中 → 调解成功, with the agreement (oral or written), its terms and whether it was carried out."""
        self.require_status(
            self.Status.MEDIATING,
            message=_("Only a dispute being mediated can end in an agreement."),
        )
        if agreement_form not in self.AgreementForm.values:
            raise ValidationError(_("Say whether the agreement is oral or written."))
        if not terms.strip():
            raise ValidationError(_("Write down the agreed terms."))
        self.status = self.Status.SUCCEEDED
        self.outcome = self.Outcome.SUCCESS
        self.resolved_level = self.level
        self.mediation_ended_on = on
        self.agreement_form = agreement_form
        self.agreement_terms = terms
        self.fulfilment = fulfilment or self.Fulfilment.PENDING
        self.dispute_points = dispute_points
        self.performance = performance
        self.performance_due = performance_due
        self.commit(by, ["status", "outcome", "resolved_level", "mediation_ended_on", "agreement_form",
                         "agreement_terms", "fulfilment", "dispute_points", "performance", "performance_due"],
                    reason="record_success")

    @transition
    def number_agreement(self, *, by) -> str:
        """Give the written agreement its committee's next number of the year, once (青石调字〔2026〕第3号)."""
        if self.agreement_number:
            return self.agreement_number
        if not self.is_written_agreement:
            raise TransitionError(_("Only a written agreement gets a number."), code="transition")
        refusal = self.agreement_refusal()
        if refusal:
            raise TransitionError(refusal, code="issuer")
        key, name, short = self.mediation_committee()
        year = (self.mediation_ended_on or timezone.localdate()).year
        sequence = AgreementCounter.take(key, year)
        self.agreement_committee = name
        self.agreement_number = f"{short}调字〔{year}〕第{sequence}号"
        self.commit(by, ["agreement_committee", "agreement_number"], reason="number_agreement")
        return self.agreement_number

    @transition
    def record_failure(self, *, by, on: dt.date, reason: str) -> None:
        """调解中 → 调解不成."""
        self.require_status(self.Status.MEDIATING, message=_("Only a dispute being mediated can fail."))
        if not reason.strip():
            raise ValidationError(_("Say why the mediation failed."))
        self.status = self.Status.FAILED
        self.outcome = self.Outcome.FAILURE
        self.resolved_level = self.level
        self.mediation_ended_on = on
        self.failure_reason = reason
        self.commit(by, ["status", "outcome", "resolved_level", "mediation_ended_on", "failure_reason"],
                    reason="record_failure")

    @transition
    def refer(self, *, by, route: str, to: str = "", note: str = "") -> None:
        """调解不成 → 移交 (to a department) or 引导诉讼/仲裁."""
        self.require_status(
            self.Status.FAILED,
            message=_("Only a dispute whose mediation failed can be handed over or referred."),
        )
        if route not in self.Route.values:
            raise ValidationError(_("Choose how the dispute is handed over or referred."))
        if route == self.Route.HANDOVER and not to.strip():
            raise ValidationError(_("Say which department the dispute is handed over to."))
        self.status = self.Status.REFERRED
        self.route = route
        self.referred_to = to
        self.referral_note = note
        self.commit(by, ["status", "route", "referred_to", "referral_note"], reason="refer")

    @transition
    def record_fulfilment(self, *, by, fulfilment: str, note: str = "") -> None:
        """履行情况: how far the agreement has been carried out (after success, until closure)."""
        self.require_status(
            self.Status.SUCCEEDED, self.Status.FOLLOWED_UP,
            message=_("Fulfilment is recorded for a dispute that ended in an agreement and is not closed."),
        )
        if self.outcome != self.Outcome.SUCCESS or fulfilment not in self.Fulfilment.values:
            raise ValidationError(_("Choose how far the agreement has been carried out."))
        self.fulfilment = fulfilment
        self.fulfilment_note = note
        self.commit(by, ["fulfilment", "fulfilment_note"], reason="record_fulfilment")

    @transition
    def follow_up(self, *, by, on: dt.date, notes: str) -> None:
        """调解成功 or 移交/引导 → 已回访."""
        self.require_status(
            self.Status.SUCCEEDED, self.Status.REFERRED,
            message=_("A follow-up visit is made after an agreement or after the dispute was handed over or referred."),
        )
        if not notes.strip():
            raise ValidationError(_("Write what the follow-up visit found."))
        self.status = self.Status.FOLLOWED_UP
        self.follow_up_on = on
        self.follow_up_notes = notes
        self.commit(by, ["status", "follow_up_on", "follow_up_notes"], reason="follow_up")

    @property
    def closing_needs_approval(self) -> bool:
        """较大/重大: the close-out is asked for by one person and approved by another; 一般 closes in one step."""
        return self.is_serious

    def pending_closeout(self) -> DisputeCloseOut | None:
        return self.closeouts.filter(decision=DisputeCloseOut.Decision.PENDING).order_by("-pk").first()

    def can_decide_closeout(self, user) -> bool:
        """Who approves a close-out: township staff or a supervisor of the township (or the county), never the
        person who asked for it."""
        if self.status != self.Status.CLOSE_REQUESTED or not self.can_assign(user):
            return False
        pending = self.pending_closeout()
        return pending is not None and pending.requested_by_id != user.pk

    @transition
    def close(self, *, by, outcome: str = "", note: str = "") -> DisputeCloseOut | None:
        """已回访 → 已结案 with the 到位 outcome that applied; a 较大/重大 dispute goes to 待审批销号 instead, and
        someone else approves (``decide_closeout``). Closing needs a result: an agreement, or a hand-over or
        referral."""
        self.require_status(
            self.Status.FOLLOWED_UP,
            message=_("Only a dispute that has had its follow-up visit can be closed."),
        )
        has_outcome = (self.outcome == self.Outcome.SUCCESS and self.agreement_terms) or (
            self.outcome == self.Outcome.FAILURE and self.route
        )
        if not has_outcome:
            raise TransitionError(_("A dispute cannot be closed without an outcome."), code="outcome")
        if outcome not in self.ClosingOutcome.values:
            raise ValidationError(_("Choose which outcome (到位) applied."))
        if (self.outcome == self.Outcome.SUCCESS and self.fulfilment != self.Fulfilment.FULFILLED
                and not note.strip()):
            raise TransitionError(
                _("The agreement has not been carried out in full: say in the closing note why the case is closed."),
                code="fulfilment",
            )
        if self.closing_needs_approval:
            if self.pending_closeout() is not None:
                raise ValidationError(_("A close-out is already waiting for approval."))
            closeout = DisputeCloseOut.objects.create(
                case=self, round=self.closeouts.count() + 1, requested_by=by, outcome=outcome, note=note.strip())
            self.status = self.Status.CLOSE_REQUESTED
            self.commit(by, ["status"], reason="request_closeout")
            return closeout
        self._mark_closed(by, outcome=outcome, note=note, reason="close")
        return None

    @transition
    def decide_closeout(self, *, by, approve: bool, comment: str = "") -> DisputeCloseOut:
        """Approve (已结案, with the requested outcome) or send back (已回访 again); never by the one who asked."""
        self.require_status(self.Status.CLOSE_REQUESTED, message=_("No close-out is waiting for approval."))
        closeout = self.pending_closeout()
        if closeout is None:
            raise ValidationError(_("No close-out is waiting for approval."))
        if closeout.requested_by_id == by.pk:
            raise ValidationError(_("Close-out must be approved by someone other than the person who asked for it."))
        if not approve and not comment.strip():
            raise ValidationError(_("Say why the close-out is sent back."))
        closeout.decision = closeout.Decision.APPROVED if approve else closeout.Decision.REJECTED
        closeout.decided_by, closeout.decided_at, closeout.comment = by, timezone.now(), comment.strip()
        closeout.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
        if approve:
            self._mark_closed(by, outcome=closeout.outcome, note=closeout.note, reason="closeout_approved")
        else:
            self.status = self.Status.FOLLOWED_UP
            self.commit(by, ["status"], reason="closeout_sent_back")
        return closeout

    def _mark_closed(self, by, *, outcome: str, note: str, reason: str) -> None:
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.closing_note = note
        self.closing_outcome = outcome
        self.commit(by, ["status", "closed_at", "closing_note", "closing_outcome"], reason=reason)

    @transition
    def reopen(self, *, by, reason: str) -> None:
        """已结案 → 调解中: the dispute flared up again or was closed by mistake. The earlier outcome, agreement and
        follow-up stay on record (and in the history) until the new mediation records its own."""
        self.require_status(self.Status.CLOSED, message=_("Only a closed dispute can be reopened."))
        if not reason.strip():
            raise ValidationError(_("Give the reason for reopening the dispute."))
        self.status = self.Status.MEDIATING
        self.closed_at = None
        self.reopen_reason = reason.strip()
        self.commit(by, ["status", "closed_at", "reopen_reason"], reason="reopen")

    @transition
    def change_level(self, *, by, to_level: str, reason: str, handler=None, handler_name: str = "") -> LevelChange:
        """Escalate (村 → 镇 → 县) or hand down, recording who, when, why and the new handler."""
        if self.is_closed:
            raise TransitionError(_("The level of a closed dispute cannot change."), code="transition")
        if to_level not in self.Level.values or to_level == self.level:
            raise ValidationError(_("Choose a level other than the current one."))
        if not reason.strip():
            raise ValidationError(_("Give the reason for the change of level."))
        change = LevelChange.objects.create(
            dispute=self, from_level=self.level, to_level=to_level, reason=reason, changed_by=by,
            new_handler=handler, new_handler_name=handler_name,
        )
        self.level = to_level
        self.handler = handler
        self.handler_name = handler_name
        self.commit(by, ["level", "handler", "handler_name"], reason="escalate" if change.is_escalation else "hand_down")
        return change


def _place_stem(name: str) -> str:
    """青石镇 → 青石, 柳树村 → 柳树: the place's name without its kind, as agreement numbers abbreviate it."""
    for suffix in ("街道办事处", "街道", "社区", "居委会", "村委会", "镇", "乡", "村"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


CASE_ROLES = (User.Role.TOWNSHIP_STAFF, User.Role.TOWNSHIP_CADRE, User.Role.VILLAGE_CADRE, User.Role.GRID_WORKER)


class Party(TimeStampedModel):
    """当事人: a resident in scope (``resident``) or an outside person named here."""

    class Side(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        RESPONDENT = "respondent", _("Respondent")
        OTHER = "other", _("Other party")

    Gender = Resident.Gender

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="parties", verbose_name=_("dispute"))
    side = models.CharField(_("side"), max_length=16, choices=Side, default=Side.APPLICANT)
    resident = models.ForeignKey(
        "households.Resident", models.PROTECT, null=True, blank=True, related_name="dispute_parties",
        verbose_name=_("resident"),
    )
    # For a resident, the name is copied so that the ledger and the agreement keep the name of the day.
    name = models.CharField(_("name"), max_length=32)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=200, blank=True)
    # For the 调解协议书; a resident's gender and age come from the register when left empty.
    gender = models.CharField(_("gender"), max_length=8, choices=Gender, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=16, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)

    objects = PartyQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["dispute", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""), name="disputes_party_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_resident(self) -> bool:
        return self.resident_id is not None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.resident.id_number if self.resident_id else self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.resident.phone if self.resident_id else self.phone)

    @property
    def display_address(self) -> str:
        if self.address:
            return self.address
        return self.resident.household.address if self.resident_id else ""


class Mediator(models.Model):
    """A mediator of the dispute: a user, or a named person (人民调解员, 律师, 乡贤 …)."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="mediators", verbose_name=_("dispute"))
    user = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=32)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["dispute", "pk"]

    def __str__(self) -> str:
        return self.name


class MediationSession(models.Model):
    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="sessions", verbose_name=_("dispute"))
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    participants = models.CharField(_("participants"), max_length=300)
    content = models.TextField(_("what was said"))
    result = models.CharField(_("result"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["dispute", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class DisputeCloseOut(CloseOutBase):
    """One request to close a 较大/重大 dispute (销号), with the 到位 outcome asked for, and its decision."""

    case = models.ForeignKey(Dispute, models.CASCADE, related_name="closeouts", verbose_name=_("dispute"))
    outcome = models.CharField(_("closing outcome"), max_length=16, choices=Dispute.ClosingOutcome)

    class Meta(CloseOutBase.Meta):
        verbose_name = _("dispute close-out")
        verbose_name_plural = _("dispute close-outs")


class LevelChange(models.Model):
    """One move of the dispute between levels: who, when, why, and who handles it now."""

    dispute = models.ForeignKey(Dispute, models.CASCADE, related_name="level_changes", verbose_name=_("dispute"))
    from_level = models.CharField(_("from level"), max_length=16, choices=Dispute.Level)
    to_level = models.CharField(_("to level"), max_length=16, choices=Dispute.Level)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    new_handler = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new handler")
    )
    new_handler_name = models.CharField(_("new handling person or body"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("level change")
        verbose_name_plural = _("level changes")
        ordering = ["dispute", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_level} → {self.to_level}"

    @property
    def is_escalation(self) -> bool:
        return Dispute.LEVEL_ORDER[self.to_level] > Dispute.LEVEL_ORDER[self.from_level]

    @property
    def handler_display(self) -> str:
        names = [str(self.new_handler)] if self.new_handler_id else []
        if self.new_handler_name:
            names.append(self.new_handler_name)
        return " / ".join(names)
