from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Poverty relapse monitoring")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from households.visit_extensions import register_visit_extension

        from .triggers import RISK_TOGGLES

        post_migrate.connect(_ensure_reference_data, sender=self)
        register_visit_extension(RISK_TOGGLES)


def _ensure_reference_data(sender, **kwargs) -> None:
    from .reference import ensure_reference

    ensure_reference()
