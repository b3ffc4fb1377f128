"""安全隐患排查整治: the numbered hazard (YH-年-序号) on casework's rectification engine (casework/rectification.py),
its field catalogue (kept as data), photos with a server-written caption, and the 五落实 plan of a 重大 hazard.

Nothing here is deleted: a misgraded hazard is closed out and registered again (先销号后新增)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import CaseCounter
from casework.rectification import CloseOutBase, LookBackBase, RecheckBase, RectifiableCase, RectificationBase
from core.audit import audited_history
from core.catalogue import CatalogueEntry
from governance.models import TimeStampedModel, User
from households.idnumbers import mask_phone
from households.phones import validate_phone
from households.storage import _random_path, private_storage

from .querysets import HazardChildQuerySet, HazardQuerySet


class HazardField(CatalogueEntry):
    """领域: the catalogue of hazard fields (用火用电/消防、燃气、道路交通 …), kept as data (seeded by migration 0002)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("hazard field")
        verbose_name_plural = _("hazard fields")


class HazardCounter(CaseCounter):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="hazards_hazardcounter_unique_year"),
        ]


class Hazard(RectifiableCase):
    class Grade(models.TextChoices):
        GENERAL = "general", _("Ordinary hazard")
        MAJOR = "major", _("Major hazard")

    class Source(models.TextChoices):
        PATROL = "patrol", _("Routine patrol")
        CAMPAIGN = "campaign", _("Special screening")
        HOUSEHOLD_HEAD = "household_head", _("Reported by a household head")
        VISIT = "visit", _("Found on a visit")
        RESIDENTS = "residents", _("Reported by residents")
        DEPARTMENT = "department", _("Pushed by a department")
        ASSIGNED = "assigned", _("Assigned by a higher level")

    class PartyKind(models.TextChoices):
        HOUSEHOLD = "household", _("Household")
        BUSINESS = "business", _("Business")
        COLLECTIVE = "collective", _("Village collective")
        DEPARTMENT = "department", _("Department")

    class Handling(models.TextChoices):
        IMMEDIATE = "immediate", _("Fixed on the spot")
        DEADLINE = "deadline", _("Rectify by a deadline")

    village = models.ForeignKey("governance.Village", models.PROTECT, related_name="hazards", verbose_name=_("village"))
    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="hazards", verbose_name=_("grid"))
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True,
                                  related_name="hazards", verbose_name=_("household"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    field = models.ForeignKey(HazardField, models.PROTECT, related_name="hazards", verbose_name=_("field"))
    grade = models.CharField(_("grade"), max_length=8, choices=Grade, default=Grade.GENERAL)
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.PATROL)
    party_kind = models.CharField(_("responsible party"), max_length=16, choices=PartyKind, default=PartyKind.HOUSEHOLD)
    party_name = models.CharField(_("responsible person or body"), max_length=100)
    party_phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    description = models.TextField(_("description"))
    found_on = models.DateField(_("found on"), default=timezone.localdate)
    found_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("found by"))
    reporting_head = models.ForeignKey("governance.HouseholdHead", models.PROTECT, null=True, blank=True,
                                       related_name="reported_hazards", verbose_name=_("reporting household head"))
    visit = models.ForeignKey("households.Visit", models.SET_NULL, null=True, blank=True, related_name="hazards",
                              verbose_name=_("visit"))
    handling = models.CharField(_("handling"), max_length=16, choices=Handling, default=Handling.DEADLINE)
    # The phone's own id of a report made without signal (static/js/offline.js): taken once, as Visit.client_id.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)
    found_in_return = models.ForeignKey(
        "casework.Return", models.PROTECT, null=True, blank=True, related_name="found_hazards",
        limit_choices_to={"campaign__kind": "hazards"}, verbose_name=_("found in screening return"))

    assignments = GenericRelation("casework.ResponsibilityAssignment", content_type_field="case_type",
                                  object_id_field="case_id", related_query_name="hazard")

    objects = HazardQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])
    #: What a round's page reads of each hazard it lists (casework.rounds.found_in_campaign): ``str`` names the field.
    FOUND_LIST_RELATED = ("field",)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="hazards_hazard_unique_number"),
        ]
        indexes = [
            models.Index(fields=["township", "found_on"], name="hazards_hazard_town_date"),
            models.Index(fields=["village", "status"], name="hazards_hazard_vill_status"),
            models.Index(fields=["grid", "found_on"], name="hazards_hazard_grid_date"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.field.name if self.field_id else ''}".strip()

    def get_absolute_url(self) -> str:
        return reverse("hazards:detail", kwargs={"pk": self.pk})

    @property
    def is_major(self) -> bool:
        return self.grade == self.Grade.MAJOR

    @property
    def masked_party_phone(self) -> str:
        return mask_phone(self.party_phone)

    @property
    def assignment(self):
        cached = getattr(self, "_prefetched_objects_cache", {}).get("assignments")
        if cached is not None:
            return next(iter(cached), None)
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = self.assignments.select_related("lead", "supervised_by").first()
        return self._assignment_cache

    # --- Who may act ---------------------------------------------------------------------------------------

    def can_act(self, user) -> bool:
        """Work the hazard (verify, rectify, re-check, ask for 销号): township staff, the cadres of its village,
        the worker of its grid, and those who answer for its 包案."""
        from core.scoping import scope_of

        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_superuser:
            return True
        R = User.Role
        if user.role == R.TOWNSHIP_STAFF:
            return user.township_id == self.township_id
        a = self.assignment
        if a is not None and (a.lead_id == user.pk or a.team.filter(pk=user.pk).exists()):
            return user.role != R.HOUSEHOLD_HEAD
        scope = scope_of(user)
        if user.role in (R.TOWNSHIP_CADRE, R.VILLAGE_CADRE):
            return self.village_id in scope.village_ids
        if user.role == R.GRID_WORKER:
            return self.grid_id in scope.grid_ids
        return False

    def can_approve(self, user) -> bool:
        """销号 approval, 回头看 and the 五落实 plan: township staff and supervisors of the township."""
        if user.is_superuser:
            return True
        return (user.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR)
                and user.township_id == self.township_id)


def upload_to_hazards(instance, filename: str) -> str:
    return _random_path("hazards", filename)


class HazardPhoto(models.Model):
    """A photo before or after rectification or of a re-check, re-encoded (EXIF stripped), kept privately and
    served by a scoped view. The caption (time, place, who) is written by the server when it is received, as
    evidence against 走过场; the uploader cannot set it."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After rectification")
        RECHECK = "recheck", _("Re-check")

    case = models.ForeignKey(Hazard, models.CASCADE, related_name="photos", verbose_name=_("hazard"))
    stage = models.CharField(_("stage"), max_length=8, choices=Stage, default=Stage.BEFORE)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    image = models.FileField(_("photo"), upload_to=upload_to_hazards, storage=private_storage)
    caption = models.CharField(_("caption"), max_length=200, editable=False)
    taken_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    objects = HazardChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return self.caption


class Rectification(RectificationBase):
    case = models.ForeignKey(Hazard, models.CASCADE, related_name="rectifications", verbose_name=_("hazard"))
    history = audited_history()

    class Meta(RectificationBase.Meta):
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")


class Recheck(RecheckBase):
    case = models.ForeignKey(Hazard, models.CASCADE, related_name="rechecks", verbose_name=_("hazard"))
    history = audited_history()

    class Meta(RecheckBase.Meta):
        verbose_name = _("re-check")
        verbose_name_plural = _("re-checks")


class CloseOut(CloseOutBase):
    case = models.ForeignKey(Hazard, models.CASCADE, related_name="closeouts", verbose_name=_("hazard"))
    history = audited_history()

    class Meta(CloseOutBase.Meta):
        verbose_name = _("close-out")
        verbose_name_plural = _("close-outs")


class LookBack(LookBackBase):
    case = models.ForeignKey(Hazard, models.CASCADE, related_name="lookbacks", verbose_name=_("hazard"))
    history = audited_history()

    class Meta(LookBackBase.Meta):
        verbose_name = _("look-back")
        verbose_name_plural = _("look-backs")


class ControlPlan(TimeStampedModel):
    """五落实 of a 重大 hazard: 措施、责任人、资金、时限、应急预案, and the day it was reported upward."""

    case = models.OneToOneField(Hazard, models.CASCADE, related_name="control_plan", verbose_name=_("hazard"))
    measures = models.TextField(_("measures"), blank=True)
    owner = models.CharField(_("person responsible"), max_length=100, blank=True)
    funds = models.CharField(_("funds"), max_length=100, blank=True)
    time_limit = models.DateField(_("time limit"), null=True, blank=True)
    contingency = models.TextField(_("contingency plan"), blank=True)
    reported_up_on = models.DateField(_("reported upward on"), null=True, blank=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("control plan")
        verbose_name_plural = _("control plans")

    def __str__(self) -> str:
        return str(self.case_id)

    @property
    def is_complete(self) -> bool:
        return all([self.measures, self.owner, self.funds, self.time_limit, self.contingency])
