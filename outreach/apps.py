from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Policy publicity and training")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from households.visit_extensions import register_visit_extension

        from .visits import POLICY_SECTION

        register_visit_extension(POLICY_SECTION)
        # The policy catalogue is data its migration seeds; a flush empties it and Django sends post_migrate after a
        # flush: put the starting list back (none is changed, none is duplicated).
        post_migrate.connect(_ensure_policies, sender=self)


def _ensure_policies(sender, **kwargs) -> None:
    from .catalogue import ensure_policies

    ensure_policies()
