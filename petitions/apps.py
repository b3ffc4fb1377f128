from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from casework.notices import register_approvals
        from households.services import household_regridded

        from .approvals import pending_for
        from .services import follow_household_grid

        household_regridded.connect(follow_household_grid, dispatch_uid="petitions-follow-household-grid")
        register_approvals("petitions", pending_for)
