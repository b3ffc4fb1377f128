"""群众接待日 and leaders' 接访: the rota of reception sessions, generated from rules, with swaps and check-in.

A module above the case types (like dashboards): it may read petitions, disputes and households; they never
import it (tests/test_architecture.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases import TransitionError
from core.audit import audited_history
from core.scoping import ScopedQuerySet, ScopeKind, scope_of
from governance.models import TimeStampedModel, Township, User

ONE_DAY = dt.timedelta(days=1)


class Place(models.TextChoices):
    SERVICE_CENTRE = "service_centre", _("Public service centre")
    PETITION_ROOM = "petition_room", _("Petition reception room")
    VILLAGE_OFFICE = "village_office", _("Village office")


class SessionKind(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Leaders' reception day")
    MARKET_DAY = "market_day", _("Market-day reception")
    FIELD_VISIT = "field_visit", _("Collective field visit")
    APPOINTMENT = "appointment", _("Appointment")


#: The published notice and the ledgers are Chinese whatever the UI language.
PLACE_ZH = {Place.SERVICE_CENTRE: "便民服务中心", Place.PETITION_ROOM: "信访接待室", Place.VILLAGE_OFFICE: "村部"}
KIND_ZH = {SessionKind.RECEPTION_DAY: "领导接待日", SessionKind.MARKET_DAY: "赶集日接访",
           SessionKind.FIELD_VISIT: "集中下访", SessionKind.APPOINTMENT: "约访"}


class LeaderQuerySet(ScopedQuerySet):
    """Leaders and rules belong to the township, no village: township-wide roles see them (the published rota is
    public through the notice page, not through these)."""

    scope_township_path = "township"
    scope_village_path = None
    scope_grid_path = None


class Leader(TimeStampedModel):
    """A township leader who receives visitors: name, post (职务) and portfolio (分管工作), as published."""

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    user = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="reception_leaders", verbose_name=_("login")
    )
    name = models.CharField(_("name"), max_length=32)
    post = models.CharField(_("post"), max_length=64)
    portfolio = models.CharField(_("portfolio"), max_length=200, blank=True)
    is_active = models.BooleanField(_("In office"), default=True)

    objects = LeaderQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("receiving leader")
        verbose_name_plural = _("receiving leaders")
        ordering = ["township", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class Rule(TimeStampedModel):
    """How sessions recur: weekly on a weekday; monthly on a day moved past holidays; on market days (逢三六九,
    on the lunar or the solar calendar)."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly, moved past holidays")
        MARKET = "market", _("Market days")

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    kind = models.CharField(_("recurrence"), max_length=10, choices=Kind)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 is Monday, 6 is Sunday.")
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    market_digits = models.CharField(
        _("market days"), max_length=20, blank=True,
        help_text=_("The last digits of the day, e.g. 3,6,9 for 逢三六九."),
    )
    lunar = models.BooleanField(_("lunar calendar"), default=False)
    skip_holidays = models.BooleanField(_("skip holidays"), default=True)
    session_kind = models.CharField(_("kind"), max_length=16, choices=SessionKind, default=SessionKind.RECEPTION_DAY)
    place = models.CharField(_("place"), max_length=20, choices=Place, default=Place.SERVICE_CENTRE)
    start = models.TimeField(_("start"), default=dt.time(8, 30))
    end = models.TimeField(_("end"), default=dt.time(12, 0))
    leaders = models.ManyToManyField(Leader, related_name="rules", verbose_name=_("leaders"))
    units = models.CharField(_("units attending"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = LeaderQuerySet.as_manager()
    history = audited_history(m2m_fields=[leaders])

    class Meta:
        verbose_name = _("rota rule")
        verbose_name_plural = _("rota rules")
        ordering = ["township", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_session_kind_display()}"

    def digits(self) -> set[int]:
        return {int(part) % 10 for part in self.market_digits.replace("，", ",").split(",") if part.strip().isdigit()}

    def dates_between(self, first: dt.date, last: dt.date, calendar) -> list[dt.date]:
        """The session dates of this rule in [first, last], on the given ``WorkCalendar``."""
        found: list[dt.date] = []
        if self.kind == self.Kind.MONTHLY:
            year, month = first.year, first.month
            while dt.date(year, month, 1) <= last:
                try:
                    day = dt.date(year, month, self.day_of_month or 1)
                except ValueError:  # the 31st of a short month: its last day
                    day = dt.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY
                while not calendar.is_workday(day):  # moved past the holiday or weekend
                    day += ONE_DAY
                if first <= day <= last:
                    found.append(day)
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            return found
        day = first
        digits = self.digits()
        while day <= last:
            if self.kind == self.Kind.WEEKLY:
                hit = day.weekday() == self.weekday
            else:
                if self.lunar:
                    from lunardate import LunarDate

                    number = LunarDate.from_solar_date(day.year, day.month, day.day).day
                else:
                    number = day.day
                hit = number % 10 in digits
            if hit and (not self.skip_holidays or calendar.is_workday(day)):
                found.append(day)
            day += ONE_DAY
        return found

    @transaction.atomic
    def generate(self, first: dt.date, last: dt.date, calendar=None) -> list[Session]:
        """Sessions for [first, last]; a date that already has this rule's session is left as it is."""
        from governance.workdays import WorkCalendar

        calendar = calendar or WorkCalendar.load()
        existing = set(Session.objects.filter(rule=self, date__range=(first, last)).values_list("date", flat=True))
        leaders = list(self.leaders.all())
        made = []
        for day in self.dates_between(first, last, calendar):
            if day in existing:
                continue
            session = Session.objects.create(
                township=self.township, rule=self, date=day, start=self.start, end=self.end, place=self.place,
                kind=self.session_kind, units=self.units,
            )
            session.leaders.set(leaders)
            made.append(session)
        return made


class SessionQuerySet(LeaderQuerySet):
    def visible_to(self, user):
        """Township-wide roles, and the leaders on duty (whatever their role): the session is theirs to check in."""
        own = Q(pk__in=Session.leaders.through.objects.filter(leader__user_id=user.pk).values("session_id"))
        return self.filter(self.scope_q(scope_of(user)) | own) if user.is_authenticated else self.none()

    def missed(self):
        return self.filter(status=Session.Status.MISSED)


class Session(TimeStampedModel):
    """One reception session of the published rota."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    rule = models.ForeignKey(Rule, models.SET_NULL, null=True, blank=True, related_name="sessions",
                             verbose_name=_("rota rule"))
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    place = models.CharField(_("place"), max_length=20, choices=Place, default=Place.SERVICE_CENTRE)
    place_note = models.CharField(_("place details"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind, default=SessionKind.RECEPTION_DAY)
    leaders = models.ManyToManyField(Leader, related_name="sessions", verbose_name=_("leaders on duty"))
    units = models.CharField(_("units attending"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.SCHEDULED)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(Leader, models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("checked in by"))

    objects = SessionQuerySet.as_manager()
    history = audited_history(m2m_fields=[leaders])

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["date", "start"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reception:session-detail", kwargs={"pk": self.pk})

    @property
    def place_zh(self) -> str:
        return PLACE_ZH.get(self.place, self.place)

    @property
    def kind_zh(self) -> str:
        return KIND_ZH.get(self.kind, self.kind)

    # --- swaps -------------------------------------------------------------------------------------------

    @transaction.atomic
    def swap(self, *, from_leader: Leader, to_leader: Leader, by, reason: str, today: dt.date) -> Swap:
        """A leader who cannot come hands the session to another, at least RECEPTION_SWAP_DAYS_AHEAD days before."""
        ahead = settings.RECEPTION_SWAP_DAYS_AHEAD
        if (self.date - today).days < ahead:
            raise TransitionError(
                _("A swap must be recorded at least %(days)s days before the session.") % {"days": ahead}
            )
        if not self.leaders.filter(pk=from_leader.pk).exists():
            raise TransitionError(_("%(leader)s is not on duty at this session.") % {"leader": from_leader.name})
        if to_leader.township_id != self.township_id or self.leaders.filter(pk=to_leader.pk).exists():
            raise TransitionError(_("Choose another leader of the township who is not on duty already."))
        if not reason.strip():
            raise TransitionError(_("Give the reason for the swap."))
        self.leaders.remove(from_leader)
        self.leaders.add(to_leader)
        return Swap.objects.create(session=self, from_leader=from_leader, to_leader=to_leader, by=by,
                                   reason=reason.strip())

    # --- check-in ----------------------------------------------------------------------------------------

    def leader_of(self, user) -> Leader | None:
        return next((leader for leader in self.leaders.all() if leader.user_id == user.pk), None)

    @transaction.atomic
    def check_in(self, user, *, now=None) -> None:
        """签到: a leader on duty opens the session on their phone, on its day."""
        now = now or timezone.now()
        leader = self.leader_of(user)
        if leader is None:
            raise TransitionError(_("Only a leader on duty can check in."))
        if timezone.localdate(now) != self.date:
            raise TransitionError(_("Check-in is possible on the day of the session only."))
        if self.checked_in_at is not None:
            raise TransitionError(_("The session is already checked in."))
        self.checked_in_at = now
        self.checked_in_by = leader
        self.status = self.Status.HELD
        self.save(update_fields=["checked_in_at", "checked_in_by", "status", "updated_at"])

    @classmethod
    def flag_missed(cls, today: dt.date) -> int:
        """Sessions of past days nobody checked in to are flagged missed."""
        stale = cls.objects.filter(status=cls.Status.SCHEDULED, date__lt=today)
        count = 0
        for session in stale:
            session.status = cls.Status.MISSED
            session.save(update_fields=["status", "updated_at"])
            count += 1
        return count


class Swap(models.Model):
    session = models.ForeignKey(Session, models.CASCADE, related_name="swaps", verbose_name=_("session"))
    from_leader = models.ForeignKey(Leader, models.PROTECT, related_name="+", verbose_name=_("from"))
    to_leader = models.ForeignKey(Leader, models.PROTECT, related_name="+", verbose_name=_("to"))
    by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by"))
    requested_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("swap")
        verbose_name_plural = _("swaps")
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"{self.from_leader.name} → {self.to_leader.name}"


# --- the register of walk-ins ---------------------------------------------------------------------------------


class ReceptionQuerySet(ScopedQuerySet):
    """Township staff and supervisors see the register; village cadres (and 包村干部) the rows of their villages;
    the leaders on duty the rows of their sessions. Grid workers and 联户长 do not see it."""

    scope_township_path = "township"
    scope_village_path = "village"
    scope_grid_path = None

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        scope = scope_of(user)
        readers = (ScopeKind.ALL, ScopeKind.TOWNSHIPS, ScopeKind.TOWNSHIP, ScopeKind.VILLAGES)  # the county reads too
        q = self.scope_q(scope) if scope.kind in readers else Q(pk__in=[])
        own = Q(session__in=Session.leaders.through.objects.filter(leader__user_id=user.pk).values("session_id"))
        return self.filter(q | own)


class Reception(TimeStampedModel):
    """One walk-in at a session (来访登记), ending in one outcome."""

    class Outcome(models.TextChoices):
        NONE = "", _("No outcome yet")
        ANSWERED = "answered", _("Answered on the spot")
        PETITION = "petition", _("Became a petition")
        DISPUTE = "dispute", _("Became a dispute")
        DEMAND = "demand", _("Became a demand")
        REFERRED = "referred", _("Referred to a unit")
        RETURN_VISIT = "return_visit", _("Return visit booked")

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    session = models.ForeignKey(Session, models.PROTECT, related_name="receptions", verbose_name=_("session"))
    received_at = models.DateTimeField(_("came at"), default=timezone.now)
    village = models.ForeignKey("governance.Village", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    resident = models.ForeignKey("households.Resident", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("resident"))
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("household"))
    visitor_name = models.CharField(_("visitor"), max_length=32)
    visitor_id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    visitor_phone = models.CharField(_("phone"), max_length=20, blank=True)
    head_count = models.PositiveIntegerField(_("head count"), default=1)
    request = models.TextField(_("request"))
    category = models.CharField(_("category"), max_length=16, blank=True)
    instruction = models.TextField(_("leader's instruction"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, default=Outcome.NONE, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    case_type = models.ForeignKey("contenttypes.ContentType", models.PROTECT, null=True, blank=True, related_name="+")
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    return_on = models.DateField(_("return visit on"), null=True, blank=True)
    repeat_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("repeat of"))
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    objects = ReceptionQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["visitor_id_number"], name="reception_visitor_id")]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d} {self.visitor_name}"

    @property
    def masked_id(self) -> str:
        from core.masking import mask_id_number

        return mask_id_number(self.visitor_id_number)

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of_id is not None
