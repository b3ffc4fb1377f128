"""The plumbing's one table: when each background job last finished, for /healthz (core/health.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a background job last finished (``worker``, ``reminder_scan``, …); /healthz reads these."""

    key = models.CharField(max_length=32, unique=True)
    at = models.DateTimeField()

    class Meta:
        # Made when this lived in governance; the table keeps its name (migrations/0001_initial.py).
        db_table = "governance_heartbeat"
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, key: str) -> None:
        from django.utils import timezone

        cls.objects.update_or_create(key=key, defaults={"at": timezone.now()})

    @classmethod
    def last(cls, key: str):
        return cls.objects.filter(key=key).values_list("at", flat=True).first()
