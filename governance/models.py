"""The organisation (一中心一张网十联户): townships, villages, grids, household heads and their terms, users with
roles and scopes, and the working-day calendar. What cases share (包案, reminders) is in casework."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.audit import audited_history
from core.scoping import Scope, ScopedQuerySet, ScopeKind

admin_code_validator = RegexValidator(r"^\d{12}$", _("Enter the 12-digit statistical division code."))
county_code_validator = RegexValidator(r"^\d{6}$", _("Enter the 6-digit administrative division code."))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


# --- Organisation -------------------------------------------------------------------------------------


class CountyQuerySet(ScopedQuerySet):
    """A county's users see their county; anyone else the county of the townships they see."""

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.kind == ScopeKind.ALL:
            return Q()
        if scope.kind == ScopeKind.TOWNSHIPS:
            return Q(pk=scope.county_id)
        townships = Township.objects.filter(TownshipQuerySet.scope_q(scope)).exclude(county=None)
        return Q(pk__in=townships.values("county"))


class County(TimeStampedModel):
    """县/区: the townships of one county, the level above them (难事不出县)."""

    name = models.CharField(_("name"), max_length=64)
    code = models.CharField(_("division code"), max_length=6, unique=True, validators=[county_code_validator])

    objects = CountyQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class TownshipQuerySet(ScopedQuerySet):
    scope_township_path = "pk"
    scope_village_path = "villages"
    scope_grid_path = None

    @classmethod
    def _village_q(cls, village_ids):
        from .models import Village

        return Q(pk__in=Village.objects.filter(pk__in=village_ids).values("township"))


class Township(TimeStampedModel):
    county = models.ForeignKey(
        County, models.PROTECT, null=True, blank=True, related_name="townships", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=64)
    code = models.CharField(_("division code"), max_length=12, unique=True, validators=[admin_code_validator])
    # The township's group robot: WeCom's (…/cgi-bin/webhook/send?key=…) or DingTalk's (…/robot/send?access_token=…),
    # told by the address; a DingTalk robot with 加签 needs its secret (SEC…).
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    webhook_secret = models.CharField(_("DingTalk robot signing secret"), max_length=100, blank=True, default="")

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

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        # A county's users see the users of its townships and the county's own users.
        if scope.kind == ScopeKind.TOWNSHIPS:
            return Q(township__in=scope.township_ids) | Q(county=scope.county_id)
        return super().scope_q(scope)

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
        COUNTY_LEADER = "county_leader", _("County leader")
        COUNTY_STAFF = "county_staff", _("County staff")
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
    # County staff and county leaders belong to a county, not a township, and see every township of it.
    county = models.ForeignKey(
        County, models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("county")
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
    # The person in the messengers: WeCom's member userid (application messages, sign-in inside WeCom) and
    # DingTalk's unionId (sign-in with DingTalk). Set by township staff; an id nobody has signs nobody in.
    wecom_userid = models.CharField(_("WeCom user ID"), max_length=64, blank=True, default="")
    dingtalk_unionid = models.CharField(_("DingTalk unionId"), max_length=64, blank=True, default="")

    objects = LhtUserManager()
    history = audited_history(excluded_fields=["password", "last_login"], m2m_fields=[villages, grids])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(fields=["wecom_userid"], condition=~models.Q(wecom_userid=""),
                                    name="governance_user_wecom_userid_once",
                                    violation_error_message=_("This WeCom user ID belongs to another login.")),
            models.UniqueConstraint(fields=["dingtalk_unionid"], condition=~models.Q(dingtalk_unionid=""),
                                    name="governance_user_dingtalk_unionid_once",
                                    violation_error_message=_("This DingTalk unionId belongs to another login.")),
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("governance:user-detail", kwargs={"pk": self.pk})

    def _get_session_auth_hash(self, secret=None):
        key_salt = "governance.User.session_auth_hash"
        value = f"{self.password}|{self.role}|{self.scope_version}|{self.is_active}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @cached_property
    def scope(self) -> Scope:
        """The part of the deployment this user answers for (core/scoping.py), worked out once per user object: a
        request's user is one object. Every ``visible_to(user)`` starts from it."""
        if not self.is_active:
            return Scope(ScopeKind.NONE)
        if self.is_superuser:
            return Scope(ScopeKind.ALL)
        role = self.role
        if role in COUNTY_ROLES:
            if self.county_id is None:
                return Scope(ScopeKind.NONE)
            # Loaded with the request's user (governance/backends.py); a user loaded otherwise asks once.
            ids = getattr(self, "county_township_ids", None)
            if ids is None:
                ids = Township.objects.filter(county=self.county_id).values_list("pk", flat=True)
            ids = frozenset(ids)
            return Scope(ScopeKind.TOWNSHIPS, county_id=self.county_id, township_ids=ids)
        if role in (self.Role.TOWNSHIP_STAFF, self.Role.SUPERVISOR):
            if self.township_id is None:
                return Scope(ScopeKind.NONE)
            return Scope(ScopeKind.TOWNSHIP, township_id=self.township_id)
        if role in (self.Role.TOWNSHIP_CADRE, self.Role.VILLAGE_CADRE):
            ids = frozenset(self.villages.values_list("pk", flat=True))
            return Scope(ScopeKind.VILLAGES, township_id=self.township_id, village_ids=ids)
        if role == self.Role.GRID_WORKER:
            grids = list(Grid.objects.filter(pk__in=self.grids.values("pk")).values_list("pk", "village_id"))
            return Scope(
                ScopeKind.GRIDS,
                township_id=self.township_id,
                grid_ids=frozenset(g for g, _ in grids),
                village_ids=frozenset(v for _, v in grids),
            )
        if role == self.Role.HOUSEHOLD_HEAD and self.household_head_id:
            head = HouseholdHead.objects.filter(pk=self.household_head_id).select_related("grid").first()
            if head is None:
                return Scope(ScopeKind.NONE)
            return Scope(
                ScopeKind.HOUSEHOLDS,
                township_id=self.township_id,
                household_head_id=head.pk,
                head_grid_id=head.grid_id,
                grid_ids=frozenset([head.grid_id]),
                village_ids=frozenset([head.grid.village_id]),
            )
        return Scope(ScopeKind.NONE)

    @property
    def is_township_wide(self) -> bool:
        """Sees at least a whole township: the superuser, county users, township staff and supervisors."""
        return self.is_superuser or self.role in (*COUNTY_ROLES, self.Role.TOWNSHIP_STAFF, self.Role.SUPERVISOR)

    @property
    def is_county_user(self) -> bool:
        return self.role in COUNTY_ROLES and self.county_id is not None

    def in_county_of(self, township_id) -> bool:
        """A county user whose county holds ``township_id``."""
        return self.is_county_user and township_id in self.scope.township_ids

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or self.role in roles

    #: Who stands above whom, for managing accounts. The system administrator (superuser) is above every role; then
    #: the county leader (县领导/督查) and county staff (县综治中心), who grant county roles in their own county only;
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
        Role.COUNTY_STAFF: 70,
        Role.COUNTY_LEADER: 80,
    }
    SUPERUSER_RANK = 100

    @property
    def rank(self) -> int:
        return self.SUPERUSER_RANK if self.is_superuser else self.ROLE_RANK.get(self.role, 0)

    def may_grant(self, role: str) -> bool:
        """Up to one's own rank; a county role only by the superuser or a county user (in their own county: the
        forms give the new account the granter's county)."""
        if self.is_superuser:
            return True
        if role in COUNTY_ROLES and not self.is_county_user:
            return False
        return self.ROLE_RANK.get(role, self.SUPERUSER_RANK) <= self.rank

    def outranks(self, other: User) -> bool:
        return self.pk != other.pk and self.rank > other.rank


COUNTY_ROLES = (User.Role.COUNTY_STAFF, User.Role.COUNTY_LEADER)


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
