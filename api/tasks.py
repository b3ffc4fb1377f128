"""Keeping the idempotency record short: a phone retries within hours or days, not months."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import IdempotentRequest


@shared_task
def purge_idempotency_records() -> int:
    """Forget the answers to writes older than API_IDEMPOTENCY_DAYS (harmless twice)."""
    cutoff = timezone.now() - dt.timedelta(days=settings.API_IDEMPOTENCY_DAYS)
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
