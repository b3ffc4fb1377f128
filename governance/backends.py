"""The authentication backend: Django's ModelBackend, loading a request's user together with what their scope needs.

A county user's scope is every township of their county (``User.scope``): without this, working it out cost every page
of a county user one query more than a township user's, whose township is in their own row. Here the ids of the
county's townships come in the user's row, as a JSON array from a subquery: the same single query that loads the user.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, JSONField, OuterRef, Subquery

from .models import Township, User


class JSONIds(Aggregate):
    """The ids of a group as a JSON array (PostgreSQL ``jsonb_agg``, SQLite ``json_group_array``)."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def with_county_townships(users):
    """``county_township_ids`` on each user: the townships of their county (None without a county)."""
    townships = (Township.objects.filter(county=OuterRef("county")).order_by().values("county")
                 .annotate(ids=JSONIds("pk")).values("ids"))
    return users.annotate(county_township_ids=Subquery(townships, output_field=JSONField()))


# Built once: every request reads its user through it (a queryset is not changed by the ``get`` made from it).
_USERS = with_county_townships(User._default_manager.all())


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = _USERS.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
