from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_reference_data, sender=self)

        from .lastvisit import connect

        connect()

        from core.todo import register

        from .todo import lines

        register("households", lines)


def _ensure_reference_data(sender, **kwargs) -> None:
    """The special-group tags and the demand categories are reference data: present after every migrate and flush
    (not after a migrate to a point before their tables exist)."""
    from django.db import connection

    from .models import DemandCategory, Tag

    tables = set(connection.introspection.table_names())
    if not {Tag._meta.db_table, DemandCategory._meta.db_table} <= tables:
        return
    from .demand_categories import ensure_demand_categories
    from .tags import ensure_tags

    ensure_tags()
    ensure_demand_categories()
