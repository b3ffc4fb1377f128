import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    default = True  # the app's own config; AxesConfig below is named in INSTALLED_APPS for django-axes

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import audit  # noqa: F401  (connects the history IP recorder)
        from .middleware import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.on_login, dispatch_uid="lht-session-renewed-at-login")


class AxesConfig(axes.apps.AppConfig):
    """django-axes (login lock-out) under a name the admin shows in the user's language."""

    default = False
    verbose_name = _("Login protection")
