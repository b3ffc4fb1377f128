"""Idempotent writes: a request with an ``Idempotency-Key`` header is taken once.

The first answer (a 2xx) is stored with the key, per user (a person, or an integration's service user); a retry with
the same key and the same body gets that answer again (``Idempotent-Replayed: true``) and creates nothing. The same
key with another body or on another endpoint is refused with 422 ``idempotency_key_reused``. Two retries racing each
other: the second waits on the key's unique index, its write is rolled back, and it answers as a retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .errors import error_response
from .models import IdempotentRequest
from .permissions import token_of

HEADER = "Idempotency-Key"


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form body: every value of every key
        data = {key: values for key, values in data.lists()}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).hexdigest()


def _replay(stored: IdempotentRequest, request, fingerprint: str) -> Response:
    if stored.request_hash != fingerprint or stored.endpoint != request.path:
        return error_response("idempotency_key_reused")
    return Response(stored.response_body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})


def idempotent(request, handler: Callable[[], Response]) -> Response:
    """``handler()`` once per key; without the header, every time."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    if not (1 <= len(key) <= 128) or not key.isprintable():
        return error_response("idempotency_key_invalid")
    fingerprint = _fingerprint(request)
    stored = IdempotentRequest.objects.filter(user=request.user, key=key).first()
    if stored is not None:
        return _replay(stored, request, fingerprint)
    try:
        with transaction.atomic():
            response = handler()
            if 200 <= response.status_code < 300:
                body = json.loads(JSONRenderer().render(response.data))
                IdempotentRequest.objects.create(
                    user=request.user, token=token_of(request), key=key, endpoint=request.path,
                    request_hash=fingerprint, status_code=response.status_code, response_body=body,
                )
    except IntegrityError:
        # The same key taken meanwhile by a concurrent retry: this request's write was undone with it.
        stored = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, request, fingerprint)
    return response
