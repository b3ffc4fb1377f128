from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import audit  # noqa: F401  (connects the history IP recorder)
        from .middleware import IdleSessionMiddleware

        user_logged_in.connect(IdleSessionMiddleware.on_login, dispatch_uid="lht-session-renewed-at-login")
