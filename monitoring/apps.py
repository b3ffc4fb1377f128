from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Poverty relapse monitoring")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_reference_data, sender=self)


def _ensure_reference_data(sender, **kwargs) -> None:
    from .reference import ensure_reference

    ensure_reference()
