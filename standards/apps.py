from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "standards"
    verbose_name = _("Data standards")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_mapping, sender=self)


def _ensure_mapping(sender, **kwargs) -> None:
    """The GB/T 31000 mapping is reference data: present after every migrate and flush (rows changed in the admin are
    kept; not after a migrate to a point before its tables exist)."""
    from django.db import connection

    from . import loader
    from .models import CodeValue, DataElement

    if not {CodeValue._meta.db_table, DataElement._meta.db_table} <= set(connection.introspection.table_names()):
        return
    loader.load(DataElement, CodeValue)
