from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self) -> None:
        # The sections register themselves in the registry when their module is imported.
        from . import sections  # noqa: F401
