from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from casework.notices import register_approvals

        from .approvals import pending_for

        register_approvals("petitions", pending_for)
