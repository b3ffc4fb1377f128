from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment and star ratings")

    def ready(self) -> None:
        from governance.views import register_head_panel

        from .views import head_panel

        register_head_panel("assessment", head_panel)
        if apps.is_installed("honours"):
            from .honours_metric import register

            register()
