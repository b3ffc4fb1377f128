from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_reference_data, sender=self)


def _ensure_reference_data(sender, using="default", **kwargs) -> None:
    """The holiday calendar is reference data: present after every migrate and every flush."""
    from .workdays import ensure_calendar

    ensure_calendar()
