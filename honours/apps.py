from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("Red and black lists")

    def ready(self) -> None:
        from casework.notices import register_approvals

        from . import sources  # noqa: F401 - registers the starting metrics
        from .approvals import pending_for

        register_approvals("honours", pending_for)
