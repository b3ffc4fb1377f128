"""Households (户), their members (成员), special-group tags (特殊群体) and visits (走访 / 民情日记)."""

from __future__ import annotations

import functools

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import CaseCounter
from casework.rectification import (
    OPEN_STATUSES,
    CloseOutBase,
    LookBackBase,
    RecheckBase,
    RectifiableCase,
    RectificationBase,
    RectificationStatus,
)
from casework.scoping import CaseQuerySet
from core.audit import audited_history
from core.catalogue import CatalogueEntry
from core.concurrency import Versioned, transition
from core.scoping import InSubquery, Scope, ScopedQuerySet, ScopeKind
from governance.models import TimeStampedModel

from .idnumbers import mask_id_number, mask_phone, validate_id_number
from .storage import private_storage, upload_to_imports, upload_to_visits


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

    #: str() of a tag is its name: a dropdown lists tags from (pk, name) rows (core/widgets.py).
    choice_label_field = "name"

    def __str__(self) -> str:
        return self.name

    @property
    def is_sensitive(self) -> bool:
        return self.category == self.Category.FOCUS


def in_scope_grids(scope: Scope) -> Q | None:
    """A township's, county's or villages' rows (households, visits) as "grid = ANY(their grids)", the grids listed
    before the scan: the count of a list reads the index on grid alone (a join through grid and village took three
    times as long for households, and 42 -> 12 ms for a township's 280,000 visits), and a deep page's keys come from
    the (grid, …) index in order (a county's households, page 200: 9 -> 1 ms). None for the other scopes."""
    from governance.models import Grid

    if scope.kind == ScopeKind.TOWNSHIP:
        return Q(InSubquery("grid_id", Grid.objects.filter(village__township=scope.township_id).values("pk")))
    if scope.kind == ScopeKind.TOWNSHIPS:
        return Q(InSubquery("grid_id", Grid.objects.filter(village__township__in=scope.township_ids).values("pk")))
    if scope.kind == ScopeKind.VILLAGES:
        return Q(InSubquery("grid_id", Grid.objects.filter(village__in=scope.village_ids).values("pk")))
    return None


class HouseholdQuerySet(ScopedQuerySet):
    scope_township_path = "grid__village__township"
    scope_village_path = "grid__village"
    scope_grid_path = "grid"
    scope_head_path = "household_head"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return in_scope_grids(scope) or super().scope_q(scope)

    def with_member_summary(self, user) -> HouseholdQuerySet:
        """Each household read gets ``all_tags``: the tags ``user`` may see of its ``tag_ids`` (households/summary.py),
        the household's own first, then its members' (member by member), each once; the tags read once for the
        households read together (a page, or a chunk of an export)."""
        return self.after_fetch(functools.partial(attach_member_summary, user=user))


class Household(Versioned, TimeStampedModel):
    class ResidenceType(models.TextChoices):
        PERMANENT = "permanent", _("Permanent residents")
        FLOATING = "floating", _("Floating population")
        NOMINAL = "nominal", _("Registered but absent")

    # No index of its own: the list's order index (grid, house number, id) and (grid, household head) both lead with
    # it. With a third, PostgreSQL chose between it and the order index by a hair's cost, differently after each
    # ANALYZE, and a search or tag filter then read every household's row instead of the order index alone (7 ms
    # instead of 3 for "王" over a township).
    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="households", verbose_name=_("grid"),
                             db_index=False)
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
    # What the list shows and searches, kept by the services (households/services.py, households/summary.py): how many
    # members; the text a search reads (head, house number, address and the members' names, one a line); the tags of
    # the household and its members as ",3,7,1," in the order shown (the household's own, then each member's). Not
    # edited, not in the history, not raised in version: derived from the household and its members.
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    search_text = models.TextField(default="", blank=True, editable=False)
    tag_ids = models.TextField(default="", blank=True, editable=False)
    # The day of its latest visit, kept whenever a visit is linked to it or unlinked (households/lastvisit.py): the
    # coverage figures read it with the row instead of a year of visits.
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True, editable=False)
    # The tightest care cadence (days, settings.CARE_CADENCE_DAYS) among the tags of ``tag_ids``, None without one; kept
    # with the summary (households/summary.py): the dashboard's 超期未走访 reads it with the row instead of testing
    # every household's tags against every cadence.
    care_cadence = models.PositiveSmallIntegerField(_("care cadence (days)"), null=True, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()
    history = audited_history(m2m_fields=[tags],
                              excluded_fields=["member_count", "search_text", "tag_ids", "last_visited_on",
                                               "care_cadence"])

    #: Derived columns, each written by its own keeper (households/summary.py, households/lastvisit.py).
    KEPT = frozenset({"member_count", "search_text", "tag_ids", "last_visited_on", "care_cadence"})

    def save(self, *args, **kwargs):
        """An edit saves what the household holds, never the derived columns it was read with: a member, a tag or a
        visit added meanwhile stays counted (their keepers write those columns alone)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [f.attname for f in self._meta.concrete_fields
                                       if not f.primary_key and f.attname not in self.KEPT
                                       and f.attname not in deferred]
        super().save(*args, **kwargs)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        # By grid id, then house number: an index serves it, so a list's first page reads 25 index entries. ("grid"
        # would order by the grid's own ordering, village and grid names through three joins: every household in
        # view was sorted to show 25.)
        ordering = ["grid_id", "house_number", "pk"]
        indexes = [
            models.Index(fields=["grid", "household_head"], name="households_household_grid_head"),
            # The list's order, carrying what a search and the tag filter compare (PostgreSQL; elsewhere the keys
            # only): those read the households in view from this index alone, in order, without their rows (a
            # township's 15,000 rows are wide, and reading each one for its last column cost more than the LIKE).
            models.Index(fields=["grid", "house_number", "id"], include=["search_text", "tag_ids"],
                         name="households_household_order"),
            # The dashboard's coverage per grid (households.figures.dashboard_by_grid) from this index alone: a
            # county's 300,000 households counted without reading their wide rows.
            models.Index(fields=["grid", "last_visited_on", "care_cadence"], name="households_household_coverage"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name} · {self.house_number or self.address}"

    #: What a household's ``search_text`` is made of besides its members' names (households/summary.py).
    SEARCHED_FIELDS = frozenset({"head_name", "house_number", "address"})


class ResidentQuerySet(ScopedQuerySet):
    # The resident's own township (copied from the household's grid by the services that write residents): a
    # township's or county's residents are counted from its index, not through household, grid and village (a
    # county's million residents: 450 -> 90 ms).
    scope_township_path = "township"
    scope_village_path = "household__grid__village"
    scope_grid_path = "household__grid"
    scope_head_path = "household__household_head"


class Resident(Versioned, TimeStampedModel):
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
        permissions = [
            ("reveal_sensitive", "Can reveal a full ID number or phone"),
            ("view_focus_tags", "Can see focus-person tags"),
        ]
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

    @property
    def age(self) -> int:
        """Full years today (周岁)."""
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def get_absolute_url(self) -> str:
        return reverse("households:resident-detail", args=[self.pk])


class VisitQuerySet(ScopedQuerySet):
    scope_township_path = "grid__village__township"
    scope_village_path = "grid__village"
    scope_grid_path = "grid"
    scope_head_path = None

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        return in_scope_grids(scope) or super().scope_q(scope)

    def visible_to(self, user):
        from core.scoping import ScopeKind, scope_of

        scope = scope_of(user)
        if scope.kind == ScopeKind.HOUSEHOLDS:
            # A household head sees the visits to their own households, and their own visits.
            return self.filter(
                Q(pk__in=Visit.households.through.objects.filter(
                    household__household_head=scope.household_head_id).values("visit"))
                | Q(visitor_head=scope.household_head_id)
            )
        return super().visible_to(user)

    def with_counts(self):
        """``photo_count`` and ``comment_count`` as correlated counts (no join that multiplies rows)."""
        def count(model):
            rows = model.objects.filter(visit=OuterRef("pk")).order_by().values("visit").annotate(n=Count("pk"))
            return Coalesce(Subquery(rows.values("n")), 0)

        return self.annotate(photo_count=count(VisitPhoto), comment_count=count(VisitComment))


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
    # The phone's own id of a visit logged without signal (static/js/offline.js): the server takes each id once, so a
    # send repeated after a lost answer makes no second visit.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    objects = VisitQuerySet.as_manager()
    history = audited_history()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["grid", "visited_on"], name="households_visit_grid_date"),
            # The list's order: a page of a township's 300,000 visits read in order, not all of them sorted (with
            # their photo counts) to keep 25 (make bench: 1.2 s → 0.1 s).
            models.Index(fields=["-visited_on", "-id"], name="households_visit_order"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_method_display()}"


# --- What came of a visit, and what was said about it --------------------------------------------------


class VisitChildQuerySet(ScopedQuerySet):
    """Rows owned by a visit are seen exactly where their visit is seen."""

    def visible_to(self, user):
        return self.filter(visit__in=Visit.objects.visible_to(user).values("pk"))


class VisitPhoto(models.Model):
    """A photo of a visit, re-encoded on upload (EXIF stripped) and served only through a scoped view."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="photos", verbose_name=_("visit"))
    image = models.FileField(_("photo"), upload_to=upload_to_visits, storage=private_storage)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisitChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class VisitComment(models.Model):
    """点评: a supervisor's or cadre's remark on a visit. Kept as written; never edited."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="comments", verbose_name=_("visit"))
    author = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("author"))
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisitChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit comment")
        verbose_name_plural = _("visit comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class GridTally(models.Model):
    """How many households, residents and visits a grid holds, kept by the database (households/tally.py): the lists
    add these up for their «共 N 条» instead of counting a county's rows on every page."""

    grid = models.OneToOneField("governance.Grid", models.CASCADE, primary_key=True, related_name="tally",
                                verbose_name=_("grid"))
    households = models.IntegerField(_("households"), default=0)
    residents = models.IntegerField(_("residents"), default=0)
    visits = models.IntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("grid tally")
        verbose_name_plural = _("grid tallies")

    def __str__(self):
        return f"{self.grid_id}: {self.households}/{self.residents}/{self.visits}"


class GridTagTally(models.Model):
    """How many households of a grid carry a tag, on the household or a member (its ``tag_ids``), kept by the
    database (households/tally.py): the household list filtered by a special group counts its rows from these."""

    grid = models.ForeignKey("governance.Grid", models.CASCADE, related_name="+", verbose_name=_("grid"))
    # The tag's id as the households' ``tag_ids`` carry it: no foreign key, so that a tag deleted before the
    # households' summaries are refreshed leaves a row nobody asks for rather than a refused write.
    tag_id = models.BigIntegerField(_("special group"))
    households = models.IntegerField(_("households"), default=0)

    class Meta:
        verbose_name = _("grid tally by special group")
        verbose_name_plural = _("grid tallies by special group")
        constraints = [models.UniqueConstraint(fields=["tag_id", "grid"], name="households_gridtagtally_one")]

    def __str__(self):
        return f"{self.grid_id}/{self.tag_id}: {self.households}"


class GridCharTally(models.Model):
    """How many households of a grid have a character in their searched text (``search_text``), kept by the database
    (households/tally.py): the household list searched for one character (a surname: 王) counts its rows from these,
    where counting them read every match (a county's 10,450 households for 王)."""

    grid = models.ForeignKey("governance.Grid", models.CASCADE, related_name="+", verbose_name=_("grid"))
    character = models.CharField(_("character"), max_length=1)
    households = models.IntegerField(_("households"), default=0)

    class Meta:
        verbose_name = _("grid tally by character")
        verbose_name_plural = _("grid tallies by character")
        # With the count: a search's total is read from this index alone (a county's 1,978 grids for 王).
        constraints = [models.UniqueConstraint(fields=["character", "grid"], include=["households"],
                                               name="households_gridchartally_one")]

    def __str__(self):
        return f"{self.grid_id}/{self.character}: {self.households}"


class TownshipNameTally(models.Model):
    """How many residents of a township have a character in their name, kept by the database (households/tally.py):
    the resident list searched for one character (a surname: 王) counts its rows from these, where counting them read
    every match (a county's 10,625 residents for 王)."""

    township = models.ForeignKey("governance.Township", models.CASCADE, related_name="+", verbose_name=_("township"))
    character = models.CharField(_("character"), max_length=1)
    residents = models.IntegerField(_("residents"), default=0)

    class Meta:
        verbose_name = _("township tally by character of names")
        verbose_name_plural = _("township tallies by character of names")
        constraints = [models.UniqueConstraint(fields=["character", "township"], include=["residents"],
                                               name="households_townshipnametally_one")]

    def __str__(self):
        return f"{self.township_id}/{self.character}: {self.residents}"


class DemandQuerySet(CaseQuerySet):
    scope_township_path = "township"
    scope_village_path = "grid__village"
    scope_grid_path = "grid"
    scope_head_path = "household__household_head"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        """逾期: being handled past the deadline."""
        return self.filter(status=RectificationStatus.RECTIFYING, deadline__lt=today or timezone.localdate())


class DemandCategory(CatalogueEntry):
    """诉求类别: the catalogue of demand categories (政策咨询、就业增收、社会保障 …), kept as data (seeded by a migration)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("demand category")
        verbose_name_plural = _("demand categories")


class DemandCounter(CaseCounter):
    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="households_demandcounter_unique_year"),
        ]


class Demand(RectifiableCase):
    """诉求 (SQ-年-序号): what a resident asked for, on a visit or by phone or in person, on the rectification engine
    (casework/rectification.py): 分层级 (level), 分类别 (category), 分时限 (the deadline, a 包案 assignment the reminder
    scan chases), 销号 requested by one user and approved by another. A demand answered at once needs no follow-up:
    it is settled (即办即结) with what was done, and can be reopened."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("Raised on a visit")
        PHONE = "phone", _("By phone")
        WALK_IN = "walk_in", _("Came in person")
        OTHER = "other", _("Other channel")

    class Level(models.TextChoices):
        VILLAGE = "village", _("Handled by the village")
        TOWNSHIP = "township", _("Handled by the township")
        COUNTY = "county", _("Handled by the county")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        EXPLAINED = "explained", _("Explained, not feasible")

    visit = models.ForeignKey(Visit, models.PROTECT, null=True, blank=True, related_name="demands",
                              verbose_name=_("visit"))
    household = models.ForeignKey(
        Household, models.PROTECT, null=True, blank=True, related_name="demands", verbose_name=_("household")
    )
    grid = models.ForeignKey("governance.Grid", models.PROTECT, related_name="+", verbose_name=_("grid"))
    channel = models.CharField(_("demand channel"), max_length=8, choices=Channel, default=Channel.VISIT)
    content = models.TextField(_("demand"))
    level = models.CharField(_("demand handling level"), max_length=8, choices=Level, default=Level.VILLAGE)
    category = models.ForeignKey(DemandCategory, models.PROTECT, null=True, blank=True, related_name="demands",
                                 verbose_name=_("demand category"))
    owner = models.ForeignKey("governance.User", models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("person responsible for the demand"))
    outcome = models.CharField(_("demand outcome"), max_length=16, choices=Outcome, blank=True)
    note = models.TextField(_("handling note"), blank=True)
    raised_by = models.ForeignKey(
        "governance.User", models.PROTECT, null=True, related_name="+", verbose_name=_("raised by")
    )
    # A demand logged without signal carries the phone's id, taken once (as Visit.client_id).
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True, editable=False)

    assignments = GenericRelation("casework.ResponsibilityAssignment", content_type_field="case_type",
                                  object_id_field="case_id", related_query_name="demand")

    objects = DemandQuerySet.as_manager()
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["township", "number"], name="households_demand_unique_number"),
        ]
        indexes = [
            models.Index(fields=["grid"], condition=Q(status__in=["pending", "rectifying", "recheck", "closeout"]),
                         name="households_demand_open_grid"),
            models.Index(fields=["township", "-created_at"], name="households_demand_town_date"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.content[:30]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("households:demand-detail", kwargs={"pk": self.pk})

    @property
    def village(self):
        """Where the demand is (the 包案 assignment copies it, so the village's cadres see it)."""
        return self.grid.village

    @property
    def assignment(self):
        cached = getattr(self, "_prefetched_objects_cache", {}).get("assignments")
        if cached is not None:
            return next(iter(cached), None)
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = self.assignments.select_related("lead").first()
        return self._assignment_cache

    @property
    def needs_follow_up(self) -> bool:
        """Followed up on the engine (a deadline was set): closed only through re-check and an approved 销号."""
        return self.deadline is not None

    # --- Who may act ---------------------------------------------------------------------------------------

    def can_act(self, user) -> bool:
        """Handle the demand (follow up, settle, report, re-check, ask for 销号): township staff, the cadres of its
        village, the worker of its grid, and whoever answers for it (the person responsible, the 包案 team)."""
        from core.scoping import scope_of
        from governance.models import User

        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_superuser:
            return True
        R = User.Role
        if user.role == R.HOUSEHOLD_HEAD:
            return False
        if user.role == R.TOWNSHIP_STAFF:
            return user.township_id == self.township_id
        if self.owner_id == user.pk:
            return True
        a = self.assignment
        if a is not None and (a.lead_id == user.pk or a.team.filter(pk=user.pk).exists()):
            return True
        scope = scope_of(user)
        if user.role in (R.TOWNSHIP_CADRE, R.VILLAGE_CADRE):
            return self.grid.village_id in scope.village_ids
        if user.role == R.GRID_WORKER:
            return self.grid_id in scope.grid_ids
        return False

    def can_approve(self, user) -> bool:
        """销号 approval and 回头看: township staff and supervisors of the township (as for hazards)."""
        from governance.models import User

        if user.is_superuser:
            return True
        return (user.role in (User.Role.TOWNSHIP_STAFF, User.Role.SUPERVISOR)
                and user.township_id == self.township_id)

    # --- Transitions of a demand beyond the engine's ---------------------------------------------------------

    @transition
    def settle(self, *, by, outcome: str, note: str) -> None:
        """即办即结: answered without follow-up (no deadline set) → 已销号, with what was done."""
        self.require_status(self.Status.PENDING, self.Status.RECTIFYING,
                            message=_("Only an open demand can be settled."))
        if self.needs_follow_up:
            raise ValidationError(_("A demand with a deadline is closed through re-check and an approved close-out."))
        if outcome not in self.Outcome.values:
            raise ValidationError(_("Choose how the demand was settled."))
        if not (note or "").strip():
            raise ValidationError(_("Say what was done before closing the demand."))
        self.status, self.outcome, self.note, self.closed_at = self.Status.CLOSED, outcome, note.strip(), timezone.now()
        self.commit(by, ["status", "outcome", "note", "closed_at"], reason="settle")

    @transition
    def reopen(self, *, by) -> None:
        """A settled demand the resident raises again: open once more (a followed-up one is reopened by 回头看)."""
        self.require_status(self.Status.CLOSED, message=_("Only a closed demand can be reopened."))
        if self.needs_follow_up:
            raise ValidationError(_("A followed-up demand is reopened by a look-back."))
        self.status, self.closed_at, self.outcome = self.Status.PENDING, None, ""
        self.commit(by, ["status", "closed_at", "outcome"], reason="reopen")


class DemandRectification(RectificationBase):
    case = models.ForeignKey(Demand, models.CASCADE, related_name="rectifications", verbose_name=_("demand"))
    history = audited_history()

    class Meta(RectificationBase.Meta):
        verbose_name = _("demand handling")
        verbose_name_plural = _("demand handlings")


class DemandRecheck(RecheckBase):
    case = models.ForeignKey(Demand, models.CASCADE, related_name="rechecks", verbose_name=_("demand"))
    history = audited_history()

    class Meta(RecheckBase.Meta):
        verbose_name = _("demand re-check")
        verbose_name_plural = _("demand re-checks")


class DemandCloseOut(CloseOutBase):
    case = models.ForeignKey(Demand, models.CASCADE, related_name="closeouts", verbose_name=_("demand"))
    history = audited_history()

    class Meta(CloseOutBase.Meta):
        verbose_name = _("demand close-out")
        verbose_name_plural = _("demand close-outs")


class DemandLookBack(LookBackBase):
    case = models.ForeignKey(Demand, models.CASCADE, related_name="lookbacks", verbose_name=_("demand"))
    history = audited_history()

    class Meta(LookBackBase.Meta):
        verbose_name = _("demand look-back")
        verbose_name_plural = _("demand look-backs")


# --- Sensitive information: every full view is logged ---------------------------------------------------


class RevealLogQuerySet(ScopedQuerySet):
    scope_township_path = "township"
    scope_village_path = None
    scope_grid_path = None


class RevealLog(models.Model):
    """Who saw whose full ID number or phone, when and why (PIPL). Rows are only ever added."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("phone")

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    resident = models.ForeignKey(
        Resident, models.SET_NULL, null=True, related_name="reveals", verbose_name=_("resident")
    )
    # Copied so that the log still says whose value it was if the record is ever removed.
    subject = models.CharField(_("whose"), max_length=64)
    field = models.CharField(_("what"), max_length=16, choices=Field)
    reason = models.CharField(_("reason"), max_length=200)
    user = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("revealed by"))
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = RevealLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("reveal log entry")
        verbose_name_plural = _("reveal log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.subject} {self.field}"


# --- Roster import: validate, preview, then commit all or nothing ---------------------------------------


class RosterImportQuerySet(ScopedQuerySet):
    scope_township_path = "township"
    scope_village_path = None
    scope_grid_path = None


class RosterImport(TimeStampedModel):
    """One uploaded roster. The parsed rows and the problems found are kept here between preview and commit."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Checking")
        READY = "ready", _("Ready to import")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        FAILED = "failed", _("Import failed")

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    uploaded_by = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    file_name = models.CharField(_("file"), max_length=200)
    file = models.FileField(upload_to=upload_to_imports, blank=True, storage=private_storage)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.VALIDATING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True)
    # [{"row": 7, "column": "身份证号", "message": "…"}]
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    bad_rows = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    only_valid = models.BooleanField(default=False)
    created_households = models.PositiveIntegerField(default=0)
    created_residents = models.PositiveIntegerField(default=0)
    skipped_rows = models.PositiveIntegerField(default=0)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def valid_rows(self) -> int:
        return max(0, self.total_rows - len(self.bad_rows))

    @property
    def progress(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.COMMITTING)


def attach_member_summary(households, user) -> None:
    """Sets ``all_tags`` on each of ``households`` (see ``with_member_summary``): the tags ``user`` may see."""
    from .permissions import visible_tag_list
    from .summary import tag_id_list

    if not households:
        return
    tags = {tag.pk: tag for tag in visible_tag_list(user)}
    for household in households:
        household.all_tags = [tags[pk] for pk in tag_id_list(household.tag_ids) if pk in tags]
