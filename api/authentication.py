"""Who a request to /api/ is: a token (``Authorization: Bearer lht_…``), or the logged-in session of the web pages
(the browsable documentation, and the web's own scripts)."""

from __future__ import annotations

import datetime as dt

from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone
from rest_framework import authentication

from governance.backends import JSONIds
from governance.models import Township

from .errors import ApiError
from .models import ApiToken, hash_token

#: ``last_used_at`` is written at most this often (not a write for every request).
LAST_USED_EVERY = dt.timedelta(minutes=5)


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise ApiError("authentication_failed")
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise ApiError("authentication_failed") from exc
        token = self._token(raw)
        if token is None or not token.is_active or not token.user.is_active:
            raise ApiError("authentication_failed")
        user = token.user
        # A county user's townships come with the token, as with a session (governance/backends.py): one query.
        user.county_township_ids = token.county_township_ids
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def _token(self, raw: str) -> ApiToken | None:
        townships = (Township.objects.filter(county=OuterRef("user__county")).order_by().values("county")
                     .annotate(ids=JSONIds("pk")).values("ids"))
        return (ApiToken.objects.select_related("user")
                .annotate(county_township_ids=Subquery(townships, output_field=JSONField()))
                .filter(key_hash=hash_token(raw)).first())

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
