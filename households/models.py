"""Households (户), their members (成员), special-group tags (特殊群体) and visits (走访 / 民情日记)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.audit import audited_history
from governance.models import TimeStampedModel
from governance.scoping import ScopedQuerySet

from .idnumbers import mask_id_number, mask_phone, validate_id_number


class Tag(models.Model):
    """A special group. Focus-person tags (五类人员) are sensitive: shown only to roles that need them."""

    class Category(models.TextChoices):
        SPECIAL = "special", _("Special group")
        POVERTY_WATCH = "poverty_watch", _("Poverty-return monitoring")
        FOCUS = "focus", _("Focus person")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32)
    category = models.CharField(_("category"), max_length=16, choices=Category, default=Category.SPECIAL)
    applies_to_households = models.BooleanField(_("for households"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sensitive(self) -> bool:
        return self.category == self.Category.FOCUS


class HouseholdQuerySet(ScopedQuerySet):
    scope_township_path = "grid__village__township"
    scope_village_path = "grid__village"
    scope_grid_path = "grid"
    scope_head_path = "household_head"


class Household(TimeStampedModel):
    class ResidenceType(models.TextChoices):
        PERMANENT = "permanent", _("Permanent residents")
        FLOATING = "floating", _("Floating population")
        NOMINAL = "nominal", _("Registered but absent")

    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="households", verbose_name=_("grid"))
    household_head = models.ForeignKey(
        "governance.HouseholdHead", models.SET_NULL, null=True, blank=True, related_name="households",
        verbose_name=_("linked household head"),
    )
    head_name = models.CharField(_("head of household"), max_length=32)
    address = models.CharField(_("address"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=32, blank=True)
    residence_type = models.CharField(
        _("residence type"), max_length=16, choices=ResidenceType, default=ResidenceType.PERMANENT
    )
    # 四个清楚: family situation, state of mind, cause of difficulty, what help is needed.
    family_situation = models.TextField(_("family situation"), blank=True)
    state_of_mind = models.TextField(_("state of mind"), blank=True)
    difficulty_cause = models.TextField(_("cause of difficulty"), blank=True)
    help_needed = models.TextField(_("help needed"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="households", verbose_name=_("tags"))

    objects = HouseholdQuerySet.as_manager()
    history = audited_history(m2m_fields=[tags])

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["grid", "house_number", "pk"]
        indexes = [models.Index(fields=["grid", "household_head"], name="households_household_grid_head")]

    def __str__(self) -> str:
        return f"{self.head_name} · {self.house_number or self.address}"


class ResidentQuerySet(ScopedQuerySet):
    scope_township_path = "household__grid__village__township"
    scope_village_path = "household__grid__village"
    scope_grid_path = "household__grid"
    scope_head_path = "household__household_head"


class Resident(TimeStampedModel):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Sibling")
        CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        AT_HOME = "at_home", _("At home")
        MIGRANT_WORKER = "migrant_worker", _("Working away")
        STUDENT = "student", _("At school")
        MILITARY = "military", _("In the army")
        DECEASED = "deceased", _("Deceased")
        MOVED_OUT = "moved_out", _("Moved out")
        OTHER = "other", _("Other")

    household = models.ForeignKey(Household, models.CASCADE, related_name="residents", verbose_name=_("household"))
    # Copied from the household's grid: one resident per ID number in a township is a database rule.
    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    name = models.CharField(_("name"), max_length=32)
    id_number = models.CharField(_("ID number"), max_length=18, validators=[validate_id_number])
    gender = models.CharField(_("gender"), max_length=8, choices=Gender)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    relation = models.CharField(_("relation to head"), max_length=16, choices=Relation, default=Relation.HEAD)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.AT_HOME)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="residents", verbose_name=_("tags"))

    objects = ResidentQuerySet.as_manager()
    history = audited_history(m2m_fields=[tags])

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["household", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "id_number"], name="households_resident_unique_id_number"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class VisitQuerySet(ScopedQuerySet):
    scope_township_path = "grid__village__township"
    scope_village_path = "grid__village"
    scope_grid_path = "grid"
    scope_head_path = None

    def visible_to(self, user):
        from governance.scoping import ScopeKind, scope_of

        scope = scope_of(user)
        if scope.kind == ScopeKind.HOUSEHOLDS:
            # A household head sees the visits to their own households, and their own visits.
            return self.filter(
                Q(pk__in=Visit.households.through.objects.filter(
                    household__household_head=scope.household_head_id).values("visit"))
                | Q(visitor_head=scope.household_head_id)
            )
        return super().visible_to(user)


class Visit(TimeStampedModel):
    """走访 / 民情日记: who visited, when, which households, how, the four topics (四访) and what came of it."""

    class Method(models.TextChoices):
        IN_HOME = "in_home", _("Home visit")
        PHONE = "phone", _("Phone call")
        MEETING = "meeting", _("Discussion meeting")
        YARD_MEETING = "yard_meeting", _("Courtyard meeting")

    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="visits", verbose_name=_("grid"))
    households = models.ManyToManyField(Household, related_name="visits", verbose_name=_("households"))
    visitor = models.ForeignKey(
        "governance.User", models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("visitor")
    )
    visitor_head = models.ForeignKey(
        "governance.HouseholdHead", models.PROTECT, null=True, blank=True, related_name="visits",
        verbose_name=_("visiting household head"),
    )
    visited_on = models.DateField(_("visited on"))
    method = models.CharField(_("method"), max_length=16, choices=Method, default=Method.IN_HOME)
    # 四访: 访生活状况, 访生产情况, 访政策落实, 访发展大计
    topic_living = models.BooleanField(_("living conditions"), default=False)
    topic_production = models.BooleanField(_("production"), default=False)
    topic_policy = models.BooleanField(_("policy implementation"), default=False)
    topic_development = models.BooleanField(_("development plans"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = VisitQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["grid", "visited_on"], name="households_visit_grid_date")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_method_display()}"
