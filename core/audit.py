"""The audit trail: django-simple-history rows that also record the client address, and their field diffs.

Every audited model declares ``history = audited_history()``; detail pages show ``history_entries(obj)``.
"""

from dataclasses import dataclass

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .addresses import client_ip


class AddressedHistoricalModel(models.Model):
    """Abstract base of every history table: who and when come from simple-history, the address from here."""

    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        abstract = True


def audited_history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(bases=[AddressedHistoricalModel], **kwargs)


@receiver(pre_create_historical_record)
def _record_address(sender, history_instance, **kwargs) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        history_instance.ip_address = client_ip(request)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class HistoryEntry:
    record: object
    action: str
    changes: list[FieldChange]


ACTION_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _names(related_model, ids, cache: dict) -> list[str]:
    """Objects' names for their ids (a deleted object shows its id), one query per missing batch."""
    missing = [i for i in ids if i is not None and (related_model, i) not in cache]
    if missing:
        found = related_model._base_manager.in_bulk(missing)
        for i in missing:
            cache[(related_model, i)] = str(found[i]) if i in found else f"#{i}"
    return [cache[(related_model, i)] for i in ids if i is not None]


def _display(model, field_name: str, value, cache: dict):
    """A value as people read it: choices by label, related objects by name, not by id."""
    try:
        field = model._meta.get_field(field_name)
    except Exception:
        return value
    if field.many_to_many:
        key = field.m2m_reverse_field_name()
        return "、".join(_names(field.related_model, [row.get(key) for row in value or []], cache))
    if field.is_relation and value is not None:
        value = getattr(value, "pk", value)
        return (_names(field.related_model, [value], cache) or [value])[0]
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def history_entries(obj, limit: int = 50) -> list[HistoryEntry]:
    """The newest ``limit`` history rows of ``obj`` with what changed, field by field (two queries, and one
    for the names of related objects that changed)."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    entries = []
    names: dict = {}
    for record, previous in zip(records, records[1:] + [None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        str(field.verbose_name),
                        _display(model, change.field, change.old, names),
                        _display(model, change.field, change.new, names),
                    )
                )
        entries.append(HistoryEntry(record, ACTION_LABELS.get(record.history_type, ""), changes))
    return entries
