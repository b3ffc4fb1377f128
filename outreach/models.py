"""宣传 and 培训: which policies were explained to which households (on a visit or at a publicity event), and the
training sessions of household heads and the township's people with who came."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.catalogue import CatalogueEntry
from core.scoping import NOTHING, Scope, ScopedQuerySet, ScopeKind
from governance.models import TimeStampedModel
from households.models import Visit
from households.storage import private_storage, upload_to_visits


class Policy(CatalogueEntry):
    """A policy the township explains (医保缴费, 养老, 防返贫, 防诈骗 …): a catalogue kept as data."""

    name = models.CharField(_("policy name"), max_length=64)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("publicised policy")
        verbose_name_plural = _("publicised policies")


class PolicyExplainedQuerySet(ScopedQuerySet):
    """Seen exactly where the visit is seen."""

    def visible_to(self, user):
        return self.filter(visit__in=Visit.objects.visible_to(user).values("pk"))


class PolicyExplained(models.Model):
    """A policy explained on a visit, to the visit's households."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="policies_explained", verbose_name=_("visit"))
    policy = models.ForeignKey(Policy, models.PROTECT, related_name="+", verbose_name=_("publicised policy"))

    objects = PolicyExplainedQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy explained on a visit")
        verbose_name_plural = _("policies explained on visits")
        constraints = [models.UniqueConstraint(fields=["visit", "policy"], name="outreach_policyexplained_once")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.policy}"


class PublicityEventQuerySet(ScopedQuerySet):
    scope_township_path = "village__township"
    scope_village_path = "village"
    scope_grid_path = None  # grid workers and household heads see their village's events


class PublicityEvent(TimeStampedModel):
    """A publicity event (宣讲会, 院坝会, 赶集宣传 …): where, when, for whom, which policies, and the households reached."""

    village = models.ForeignKey("governance.Village", models.PROTECT, related_name="+", verbose_name=_("village"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    audience = models.CharField(_("event audience"), max_length=200, help_text=_("Who came, e.g. 留守老人、村民代表"))
    attendance = models.PositiveIntegerField(_("people present"), default=0)
    policies = models.ManyToManyField(Policy, related_name="events", verbose_name=_("policies explained"))
    materials = models.TextField(_("materials handed out"), blank=True)
    households = models.ManyToManyField("households.Household", blank=True, related_name="publicity_events",
                                        verbose_name=_("households reached"))
    recorded_by = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    objects = PublicityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicity event")
        verbose_name_plural = _("publicity events")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["village", "held_on"], name="outreach_event_village_date")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:event-detail", args=[self.pk])


class EventPhotoQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        return self.filter(event__in=PublicityEvent.objects.visible_to(user).values("pk"))


class EventPhoto(models.Model):
    event = models.ForeignKey(PublicityEvent, models.CASCADE, related_name="photos", verbose_name=_("publicity event"))
    image = models.FileField(_("photo"), upload_to=upload_to_visits, storage=private_storage)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicity photo")
        verbose_name_plural = _("publicity photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.pk}"


class TrainingQuerySet(ScopedQuerySet):
    """A township's session (no village) is seen by everyone of the township; a village's by those of that village."""

    scope_township_path = "township"

    @classmethod
    def scope_q(cls, scope: Scope) -> Q:
        if scope.kind in (ScopeKind.VILLAGES, ScopeKind.GRIDS, ScopeKind.HOUSEHOLDS):
            if scope.township_id is None:
                return NOTHING
            return Q(township=scope.township_id) & (Q(village__isnull=True) | Q(village__in=scope.village_ids))
        return super().scope_q(scope)


class TrainingSession(TimeStampedModel):
    """A training session (集中培训, 能力培训 …): topic, date, place, trainer, hours, materials, and who came."""

    township = models.ForeignKey("governance.Township", models.PROTECT, related_name="+", verbose_name=_("township"))
    village = models.ForeignKey("governance.Village", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"), help_text=_("Leave empty for a session of the township"))
    topic = models.CharField(_("training topic"), max_length=100)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    trainer = models.CharField(_("trainer"), max_length=64)
    hours = models.DecimalField(_("training hours"), max_digits=4, decimal_places=1)
    materials = models.TextField(_("training materials"), blank=True)
    heads_attended = models.ManyToManyField("governance.HouseholdHead", blank=True, related_name="trainings",
                                            verbose_name=_("household heads who came"))
    users_attended = models.ManyToManyField("governance.User", blank=True, related_name="trainings",
                                            verbose_name=_("staff who came"))
    recorded_by = models.ForeignKey("governance.User", models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24),
                                              name="outreach_training_hours_range")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:training-detail", args=[self.pk])
