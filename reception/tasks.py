"""Celery tasks of the reception rota (beat, daily)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import Session


@shared_task(acks_late=True)
def flag_missed_sessions() -> int:
    """Past sessions nobody checked in to are flagged missed."""
    return Session.flag_missed(timezone.localdate())
