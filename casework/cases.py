"""The abstract case every case type builds on: its township and number, its status moved by guarded transitions,
each move saved with one history row naming who made it.

A transition is a model method decorated with ``core.concurrency.transition`` (the row locked and re-read); it
checks the current status with ``require_status``, sets the fields that change together and saves them with
``commit``::

    @transition
    def accept(self, *, by) -> None:
        self.require_status(self.Status.REGISTERED, message=_("Only a registered dispute can be accepted."))
        self.status = self.Status.ACCEPTED
        self.commit(by, ["status"], reason="accept")
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.concurrency import Versioned
from governance.models import TimeStampedModel, Township


class TransitionError(ValidationError):
    """A transition that the current status does not allow."""


class GuardedStatus:
    """``require_status`` and ``commit`` for any model with a ``status`` (a case, a visit's demand)."""

    def require_status(self, *allowed: str, message, params: dict | None = None) -> None:
        if self.status not in allowed:
            raise TransitionError(message, code="transition", params=params)

    def commit(self, by, fields: list[str], *, reason: str = "") -> None:
        """Save ``fields`` (and ``updated_at``) as one history row by ``by``, with ``reason`` when given."""
        self._history_user = by
        if reason:
            self._change_reason = reason
        self.save(update_fields=[*fields, "updated_at"])


class Case(GuardedStatus, Versioned, TimeStampedModel):
    """Abstract: what a dispute, a petition and the case types to come have in common. Each declares its own
    ``Status`` and ``status`` field, its counter (``casework.models.CaseCounter``) and its history."""

    township = models.ForeignKey(Township, models.PROTECT, related_name="+", verbose_name=_("township"))
    number = models.CharField(_("number"), max_length=24, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number
