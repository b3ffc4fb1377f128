from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = _("Safety hazards")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .rounds_sheet import register

        register()
        from casework.notices import register_approvals

        from .approvals import pending_for

        register_approvals("hazards", pending_for)
        # The field catalogue is data its migration seeds; a flush (a transactional test's teardown) empties it, and
        # Django sends post_migrate after a flush: put the starting list back (none is changed, none is duplicated).
        post_migrate.connect(_ensure_fields, sender=self)


def _ensure_fields(sender, **kwargs) -> None:
    from .catalogue import ensure_fields

    ensure_fields()
