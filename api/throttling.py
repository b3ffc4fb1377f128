"""Rate limits per token (or per logged-in user), counted in the shared cache (Redis in production).

``API_RATE_READ`` and ``API_RATE_WRITE`` (settings, e.g. "1200/min" and "120/min"), read at each request so that a
test or a deployment may change them."""

from __future__ import annotations

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from .permissions import token_of


class TokenRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return None  # set per request in allow_request

    def allow_request(self, request, view):
        writing = request.method not in SAFE_METHODS
        self.scope = "write" if writing else "read"
        self.rate = settings.API_RATE_WRITE if writing else settings.API_RATE_READ
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is not None:
            ident = f"token:{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return f"api:throttle:{self.scope}:{ident}"
