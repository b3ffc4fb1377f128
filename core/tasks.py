"""Celery tasks of the plumbing: the worker's heartbeat, which /healthz reads (core/health.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready

from .models import Heartbeat

logger = logging.getLogger(__name__)


@shared_task
def worker_heartbeat() -> None:
    """Proves a worker is alive and reaches the database (beat runs it; /healthz reads it)."""
    Heartbeat.beat("worker")


@worker_ready.connect
def beat_when_worker_starts(sender=None, **kwargs) -> None:
    """/healthz on the filesystem broker reads the worker's heartbeat: a worker that just started is alive."""
    try:
        Heartbeat.beat("worker")
    except Exception:  # a worker without its database still starts; /healthz tells
        logger.exception("could not record the worker heartbeat")
