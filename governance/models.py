"""The township's machinery: the organisation (一中心一张网十联户), users with roles and scopes,
the shared responsibility assignment (包案) of disputes and petitions, and the working-day calendar."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.audit import audited_history
from core.concurrency import Versioned

from .scoping import NOTHING, InSubquery, ScopedQuerySet, ScopeKind, scope_of

admin_code_validator = RegexValidator(r"^\d{12}$", _("Enter the 12-digit statistical division code."))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CaseCounter(models.Model):
    """The last case number given per township and year (JF-2026-0001, XF-2026-0001, …). ``take`` locks the row
    with SELECT … FOR UPDATE, so two registrations at the same moment get two numbers; a unique constraint on the
    case's number is the backstop. Disputes and petitions each keep their own table of it."""

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.township_id}/{self.year}: {self.last}"

    @classmethod
    def take(cls, township, year: int) -> int:
        """The next sequence number; must run inside the registering transaction (the row stays locked)."""
        cls.objects.bulk_create([cls(township=township, year=year)], ignore_conflicts=True)
        counter = cls.objects.select_for_update().get(township=township, year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


# --- Organisation -------------------------------------------------------------------------------------


class TownshipQuerySet(ScopedQuerySet):
    scope_township_path = "pk"
    scope_village_path = "villages"
    scope_grid_path = None

    @classmethod
    def _village_q(cls, village_ids):
        from .models import Village

        return Q(pk__in=Village.objects.filter(pk__in=village_ids).values("township"))


class Township(TimeStampedModel):
    name = models.CharField(_("name"), max_length=64)
    code = models.CharField(_("division code"), max_length=12, unique=True, validators=[admin_code_validator])
    webhook_url = models.URLField(_("webhook URL"), blank=True)

    objects = TownshipQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class VillageQuerySet(ScopedQuerySet):
    scope_township_path = "township"
    scope_village_path = "pk"
    scope_grid_path = None


class Village(TimeStampedModel):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("Administrative village")
        COMMUNITY = "community", _("Community")

    township = models.ForeignKey(Township, models.PROTECT, related_name="villages", verbose_name=_("township"))
    name = models.CharField(_("name"), max_length=64)
    code = models.CharField(_("division code"), max_length=12, blank=True, validators=[admin_code_validator])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.VILLAGE)

    objects = VillageQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["township", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="governance_village_unique_name"),
        ]

    #: str() of a village is its name: a dropdown lists villages from (pk, name) rows (core/widgets.py).
    choice_label_field = "name"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:village-detail", kwargs={"pk": self.pk})


class GridQuerySet(ScopedQuerySet):
    scope_township_path = "village__township"
    scope_village_path = "village"
    scope_grid_path = "pk"

    def active(self):
        return self.filter(merged_into__isnull=True)


class Grid(TimeStampedModel):
    village = models.ForeignKey(Village, models.PROTECT, related_name="grids", verbose_name=_("village"))
    name = models.CharField(_("name"), max_length=64)
    leader = models.ForeignKey(
        "governance.User", models.SET_NULL, null=True, blank=True, related_name="led_grids",
        verbose_name=_("grid leader"),
    )
    description = models.TextField(_("description"), blank=True)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_grids", verbose_name=_("merged into")
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)

    objects = GridQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["village", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="governance_grid_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.village.name} {self.name}" if "village" in self._state.fields_cache else self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:grid-detail", kwargs={"pk": self.pk})

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def merge_into(self, target: Grid) -> None:
        """合并网格: this grid ends and ``target`` takes over. The grid stays, readable, with ``merged_into`` set;
        moving its households, heads and workers is the service's job (structure.grid_merge)."""
        if self.is_merged:
            raise ValidationError(_("This grid has already been merged into another grid."))
        if target.pk == self.pk:
            raise ValidationError(_("A grid cannot be merged into itself."))
        if target.is_merged:
            raise ValidationError(_("The grid to merge into has itself been merged; choose a current grid."))
        if target.village_id != self.village_id:
            raise ValidationError(_("Grids can only be merged within one village."))
        self.merged_into = target
        self.merged_at = timezone.now()
        self.save(update_fields=["merged_into", "merged_at", "updated_at"])


class GridMergeQuerySet(ScopedQuerySet):
    scope_township_path = "source__village__township"
    scope_village_path = "source__village"
    scope_grid_path = "source"


class GridMerge(models.Model):
    """The record of one merge: which grid went into which, who did it, why, and what moved."""

    source = models.OneToOneField(Grid, models.PROTECT, related_name="merge_record", verbose_name=_("merged grid"))
    target = models.ForeignKey(Grid, models.PROTECT, related_name="merges_received", verbose_name=_("merged into"))
    reason = models.CharField(_("reason"), max_length=200)
    merged_by = models.ForeignKey(
        "governance.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("merged by")
    )
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    households_moved = models.PositiveIntegerField(_("households moved"), default=0)
    heads_moved = models.PositiveIntegerField(_("household heads moved"), default=0)

    objects = GridMergeQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("grid merge")
        verbose_name_plural = _("grid merges")
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", _("Enter a mainland mobile (11 digits starting with 1) or a landline.")
)


class HouseholdHeadQuerySet(ScopedQuerySet):
    scope_township_path = "grid__village__township"
    scope_village_path = "grid__village"
    scope_grid_path = "grid"
    scope_head_path = "pk"

    def active(self):
        return self.filter(status=HouseholdHead.Status.ACTIVE)


class HouseholdHead(TimeStampedModel):
    """联户长: a trusted resident appointed (聘任) for a term and linked to about ten households of one grid."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In office")
        ENDED = "ended", _("Left office")

    grid = models.ForeignKey(Grid, models.PROTECT, related_name="household_heads", verbose_name=_("grid"))
    name = models.CharField(_("name"), max_length=32)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    appointed_on = models.DateField(_("appointed on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=32, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    ended_on = models.DateField(_("left office on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)

    objects = HouseholdHeadQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("household head")
        verbose_name_plural = _("household heads")
        ordering = ["grid", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"], condition=~Q(certificate_number=""),
                name="governance_householdhead_unique_certificate",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:head-detail", kwargs={"pk": self.pk})

    @property
    def in_office(self) -> bool:
        return self.status == self.Status.ACTIVE

    def current_term(self) -> HeadTerm | None:
        return self.terms.filter(ended_on__isnull=True).order_by("-starts_on", "-pk").first()

    def end_term(self, *, on, reason: str, by=None) -> None:
        """离任: the appointment ends on ``on`` for ``reason``; the record and its terms stay."""
        if not self.in_office:
            raise ValidationError(_("This household head has already left office."))
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for leaving office."))
        if on < self.appointed_on:
            raise ValidationError(_("The end of office cannot be before the appointment."))
        if on > timezone.localdate():
            raise ValidationError(_("The end of office cannot be in the future."))
        self.status, self.ended_on, self.end_reason = self.Status.ENDED, on, reason
        self.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
        term = self.current_term()
        if term is not None:
            term.ended_on, term.end_reason, term.ended_by = on, reason, by
            term.save(update_fields=["ended_on", "end_reason", "ended_by", "updated_at"])

    def reappoint(self, *, on, term_ends_on, certificate_number: str, by=None) -> HeadTerm:
        """续聘 / 再聘: a head who left office is appointed again for a new term, with a new certificate."""
        if self.in_office:
            raise ValidationError(_("This household head is in office; end the current term first."))
        if self.grid.is_merged:
            raise ValidationError(_("The head's grid has been merged; move the head to a current grid first."))
        if self.ended_on and on < self.ended_on:
            raise ValidationError(_("The new term cannot start before the last one ended."))
        self.status, self.appointed_on, self.term_ends_on = self.Status.ACTIVE, on, term_ends_on
        self.certificate_number, self.ended_on, self.end_reason = certificate_number, None, ""
        self.save(update_fields=[
            "status", "appointed_on", "term_ends_on", "certificate_number", "ended_on", "end_reason", "updated_at",
        ])
        return HeadTerm.objects.create(
            head=self, grid=self.grid, certificate_number=certificate_number, starts_on=on,
            ends_on=term_ends_on, appointed_by=by,
        )

    def move_to(self, grid: Grid) -> None:
        """调整网格: the head serves another grid of the same township from now on."""
        if not self.in_office:
            raise ValidationError(_("Only a household head in office can be moved to another grid."))
        if grid.pk == self.grid_id:
            raise ValidationError(_("The household head already serves this grid."))
        if grid.is_merged:
            raise ValidationError(_("This grid has been merged into another; choose a current grid."))
        if grid.village.township_id != self.grid.village.township_id:
            raise ValidationError(_("A household head can only move within the township."))
        self.grid = grid
        self.save(update_fields=["grid", "updated_at"])


class HeadTermQuerySet(ScopedQuerySet):
    scope_township_path = "head__grid__village__township"
    scope_village_path = "head__grid__village"
    scope_grid_path = "head__grid"
    scope_head_path = "head"


class HeadTerm(TimeStampedModel):
    """One appointment (聘任) of a household head: certificate (聘书), term, and how it ended (离任)."""

    head = models.ForeignKey(HouseholdHead, models.PROTECT, related_name="terms", verbose_name=_("household head"))
    grid = models.ForeignKey(Grid, models.PROTECT, related_name="+", verbose_name=_("grid at appointment"))
    certificate_number = models.CharField(_("certificate number"), max_length=32, blank=True)
    starts_on = models.DateField(_("appointed on"))
    ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    ended_on = models.DateField(_("left office on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=200, blank=True)
    appointed_by = models.ForeignKey(
        "governance.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("appointed by")
    )
    ended_by = models.ForeignKey(
        "governance.User", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ended by")
    )

    objects = HeadTermQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        ordering = ["head", "-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_number"], condition=~Q(certificate_number=""),
                name="governance_headterm_unique_certificate",
            ),
            models.UniqueConstraint(
                fields=["head"], condition=Q(ended_on__isnull=True), name="governance_headterm_one_open_per_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head} {self.starts_on}–{self.ended_on or self.ends_on or ''}"


# --- Users, roles and scopes --------------------------------------------------------------------------


class UserQuerySet(ScopedQuerySet):
    scope_township_path = "township"
    scope_village_path = None
    scope_grid_path = None

    def manageable_by(self, user) -> UserQuerySet:
        """The accounts ``user`` sees in user management: those of their scope, never an administrator
        (superuser or admin-site staff) unless they are a superuser themselves."""
        qs = self.visible_to(user)
        if not getattr(user, "is_superuser", False):
            qs = qs.filter(is_superuser=False, is_staff=False)
        return qs


class LhtUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        TOWNSHIP_STAFF = "township_staff", _("Township staff")
        SUPERVISOR = "supervisor", _("Supervisor")
        TOWNSHIP_CADRE = "township_cadre", _("Township cadre for villages")
        VILLAGE_CADRE = "village_cadre", _("Village cadre")
        GRID_WORKER = "grid_worker", _("Grid worker")
        HOUSEHOLD_HEAD = "household_head", _("Household head")

    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.VILLAGE_CADRE)
    display_name = models.CharField(_("display name"), max_length=32, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    township = models.ForeignKey(
        Township, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("township")
    )
    villages = models.ManyToManyField(Village, blank=True, related_name="cadres", verbose_name=_("villages"))
    grids = models.ManyToManyField(Grid, blank=True, related_name="workers", verbose_name=_("grids"))
    household_head = models.OneToOneField(
        HouseholdHead, models.SET_NULL, null=True, blank=True, related_name="user",
        verbose_name=_("household head record"),
    )
    # Bumped whenever the role or scope changes: the session hash includes it, so old sessions end.
    scope_version = models.PositiveIntegerField(default=1, editable=False)
    # The password was set by someone else (a new login, a reset): the user must choose their own before going on
    # (core.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("must change the password"), default=False)

    objects = LhtUserManager()
    history = audited_history(excluded_fields=["password", "last_login"], m2m_fields=[villages, grids])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("governance:user-detail", kwargs={"pk": self.pk})

    def _get_session_auth_hash(self, secret=None):
        key_salt = "governance.User.session_auth_hash"
        value = f"{self.password}|{self.role}|{self.scope_version}|{self.is_active}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def is_township_wide(self) -> bool:
        return self.is_superuser or self.role in (self.Role.TOWNSHIP_STAFF, self.Role.SUPERVISOR)

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles

    #: Who stands above whom, for managing accounts. The system administrator (superuser) is above every role; then
    #: the supervisor (镇领导, who approves close-outs, 销号), township staff, township cadres for villages, village
    #: cadres, grid workers and household heads. A user may grant a role up to their own rank (``may_grant``), and
    #: may change the role, the password or the activity of an account strictly below their own (``outranks``):
    #: never their own role, never someone at or above their level.
    ROLE_RANK = {
        Role.HOUSEHOLD_HEAD: 10,
        Role.GRID_WORKER: 20,
        Role.VILLAGE_CADRE: 30,
        Role.TOWNSHIP_CADRE: 40,
        Role.TOWNSHIP_STAFF: 50,
        Role.SUPERVISOR: 60,
    }
    SUPERUSER_RANK = 100

    @property
    def rank(self) -> int:
        return self.SUPERUSER_RANK if self.is_superuser else self.ROLE_RANK.get(self.role, 0)

    def may_grant(self, role: str) -> bool:
        return self.is_superuser or self.ROLE_RANK.get(role, self.SUPERUSER_RANK) <= self.rank

    def outranks(self, other: User) -> bool:
        return self.pk != other.pk and self.rank > other.rank


# --- Working-day calendar -----------------------------------------------------------------------------


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a statutory holiday on a weekday, or a 调休 make-up workday
    on a weekend. Seeded from the chinese-calendar package; the system administrator enters next year's when
    announced (one screen, governance:calendar-year), which confirms the year (CalendarYear)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up workday")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    name = models.CharField(_("name"), max_length=32, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """A year whose official arrangement (国务院办公厅's notice: holidays and 调休 days) is in the calendar: known
    to the chinese-calendar package or entered by the system administrator. A later year is counted on the
    provisional calendar (workdays.provisional_days), and the deadlines that fall in it are unconfirmed."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        "governance.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


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
    team = models.ManyToManyField(User, blank=True, related_name="team_assignments", verbose_name=_("team"))
    deadline = models.DateField(_("deadline"))
    is_open = models.BooleanField(_("open"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    supervision_level = models.CharField(
        _("supervision"), max_length=8, choices=SupervisionLevel, default=SupervisionLevel.NONE, blank=True
    )
    supervision_comment = models.TextField(_("supervision comment"), blank=True)
    supervised_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supervised by")
    )
    supervised_at = models.DateTimeField(_("supervised at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = audited_history(m2m_fields=[team])

    class Meta:
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


# --- Heartbeats -----------------------------------------------------------------------------------------


class Heartbeat(models.Model):
    """When a background job last finished (``worker``, ``reminder_scan``, …); /healthz reads these."""

    key = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, key: str) -> None:
        from django.utils import timezone

        cls.objects.update_or_create(key=key, defaults={"at": timezone.now()})

    @classmethod
    def last(cls, key: str):
        return cls.objects.filter(key=key).values_list("at", flat=True).first()


# --- Reminders and notifications ------------------------------------------------------------------------


class Reminder(models.Model):
    """One deadline stage that one assignment reached, for one deadline: 黄色预警 (due soon, due today),
    红色预警 (overdue) or the escalation to the supervisors. Only the scan (governance/reminders.py) makes them;
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
        """"yellow" (黄色预警) before and on the deadline, "red" (红色预警) after it."""
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


class Notification(models.Model):
    """A reminder for one recipient on one channel. Inbox rows are delivered when made; email and webhook rows are
    claimed by the delivery task with a conditional UPDATE, so a delivered row is never sent again."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("In-app inbox")
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Not delivered")
        CANCELLED = "cancelled", _("Cancelled")

    reminder = models.ForeignKey(Reminder, models.CASCADE, related_name="notifications", verbose_name=_("reminder"))
    # NULL: the township's group robot (Township.webhook_url), one per reminder.
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
        return f"{self.reminder_id} → {self.recipient_id or 'township'} ({self.channel})"

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

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)
