from celery import shared_task

from .models import Heartbeat


@shared_task
def worker_heartbeat() -> None:
    """Proves a worker is alive and reaches the database (beat runs it; /healthz reads it)."""
    Heartbeat.beat("worker")
