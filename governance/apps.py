from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit  # noqa: F401  (connects the history IP recorder)

        post_migrate.connect(_ensure_reference_data, sender=self)

        from django.contrib.auth.signals import user_logged_in

        from .middleware import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.on_login, dispatch_uid="lht-session-renewed-at-login")


def _ensure_reference_data(sender, using="default", **kwargs) -> None:
    """The holiday calendar is reference data: present after every migrate and every flush."""
    from .workdays import ensure_calendar

    ensure_calendar()
