import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import PublicityEvent, TrainingSession


class PublicityEventTable(tables.Table):
    held_on = tables.DateColumn(format="Y-m-d", linkify=("outreach:event-detail", {"pk": tables.A("pk")}))
    village = tables.Column(accessor="village__name", verbose_name=_("village"))
    policy_names = tables.Column(verbose_name=_("policies explained"), empty_values=(), orderable=False)
    reached = tables.Column(verbose_name=_("households reached"), orderable=False)

    class Meta:
        model = PublicityEvent
        fields = ["held_on", "village", "place", "audience", "attendance", "policy_names", "reached"]
        row_attrs = {"data-testid": "event-row"}
        empty_text = _("No publicity events.")

    def render_policy_names(self, record):
        return "、".join(p.name for p in record.policies.all())


class TrainingSessionTable(tables.Table):
    held_on = tables.DateColumn(format="Y-m-d", linkify=("outreach:training-detail", {"pk": tables.A("pk")}))
    village = tables.Column(accessor="village__name", verbose_name=_("village"), default=_("The whole township"))
    came = tables.Column(verbose_name=_("came to the session"), orderable=False)

    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "village", "place", "trainer", "hours", "came"]
        row_attrs = {"data-testid": "training-row"}
        empty_text = _("No training sessions.")
