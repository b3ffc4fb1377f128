"""No silent overwrites (a ledger is evidence: a lost edit is a lost case).

* ``Versioned``: the records people edit carry a ``version`` that every save of the row raises by one.
* ``VersionedFormMixin`` + ``save_versioned``: an edit form carries, hidden, the version the record had when the
  form was opened. The save locks the row; when someone else saved a field of this form since, nothing is written
  and ``Conflict`` is raised. The view answers with ``conflict_response`` (HTTP 409): what changed since the form
  was opened and by whom, and the user's input kept in a form, merged with the other changes, to save again.
* ``locked`` / ``transition``: a state transition (受理, 调解, 升级, 销号, 督办 …) re-reads its row with
  SELECT … FOR UPDATE inside a transaction and checks its guard on what the row holds now, so two clicks on the
  same transition apply it once; the second meets the ordinary "not allowed in this state" refusal.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: Bookkeeping columns that never make a conflict and are not shown on the conflict page.
IGNORED = {"id", "version", "created_at", "updated_at"}


class Versioned(models.Model):
    """A ``version`` raised by one on every save of an existing row. Read the row under ``locked`` (or let
    ``save_versioned`` lock it) where the number must be exact: then concurrent writers queue on the row."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or len(update_fields)):
            if "version" in self.get_deferred_fields():
                self.refresh_from_db(fields=["version"])
            self.version += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


# --- Row locks for transitions --------------------------------------------------------------------------


def lock_row(instance: models.Model) -> models.Model:
    """A fresh copy of ``instance``'s row, locked (SELECT … FOR UPDATE) until the transaction ends."""
    return type(instance)._base_manager.select_for_update().get(pk=instance.pk)


def _take_fields(source: models.Model, target: models.Model, *, skip: set[str] = frozenset()) -> None:
    """Copy the concrete field values of ``source`` onto ``target``; related objects cached on ``target``
    are kept when their id did not change."""
    deferred = target.get_deferred_fields()
    for field in target._meta.concrete_fields:
        if field.attname in deferred or field.name in skip or field.primary_key:
            continue
        value = getattr(source, field.attname)
        if getattr(target, field.attname) != value:
            setattr(target, field.attname, value)
            if field.is_relation and field.is_cached(target):
                field.delete_cached_value(target)


def lock(instance: models.Model) -> models.Model:
    """Inside a transaction: hold ``instance``'s row until the transaction ends, and bring ``instance`` up to
    date from it (for a check before a change that must not race with a transition of that row)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() needs a transaction")
    if not getattr(instance, "_row_locked", False):
        _take_fields(lock_row(instance), instance)
    return instance


@contextmanager
def locked(instance: models.Model) -> Iterator[models.Model]:
    """Hold ``instance``'s row for the rest of the transaction, with ``instance`` brought up to date from it:
    a guard checked inside sees what the database holds now, not what was read before the lock."""
    with transaction.atomic():
        if getattr(instance, "_row_locked", False):  # already held by an outer block on this object
            yield instance
            return
        _take_fields(lock_row(instance), instance)
        instance._row_locked = True
        try:
            yield instance
        finally:
            instance._row_locked = False


def transition(method: Callable) -> Callable:
    """Decorate a model's transition method: it runs with its row locked and re-read (see ``locked``)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with locked(self):
            return method(self, *args, **kwargs)

    return wrapper


# --- Edit forms that know the version they were opened at ----------------------------------------------


class VersionedFormMixin:
    """Put first in a form's bases. Adds the hidden ``version`` field (the record's version when the form was
    opened; 0 when there was no record yet).

    ``versioned_record()`` is the record the form edits (a ModelForm's saved instance by default; plain forms
    override it, and it must read afresh: ``save_versioned`` calls it again under the lock).
    ``version_fields`` maps form field names to the record's field names (a ModelForm's own fields by default).
    ``conflict_masks`` shows some values masked on the conflict page (ID numbers, phones), and their form
    fields are never filled with someone else's value (the browser must not receive it); ``conflict_hidden``
    names fields of the record never shown there (e.g. what is derived from an ID number)."""

    version_fields: dict[str, str] | None = None
    conflict_masks: dict[str, Callable[[object], str]] = {}
    conflict_hidden: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.versioned_record()
        self.opened_record_version = record.version if record is not None else 0
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=self.opened_record_version
        )

    def versioned_record(self) -> Versioned | None:
        instance = getattr(self, "instance", None)
        return instance if instance is not None and instance.pk else None

    def versioned_field_map(self) -> dict[str, str]:
        if self.version_fields is not None:
            return {form_name: name for form_name, name in self.version_fields.items() if form_name in self.fields}
        model = self._meta.model
        names = {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many}
        return {name: name for name in self.fields if name in names and name not in IGNORED}

    def seen_version(self) -> int:
        """The version the user saw. A client that sends none is taken to have seen the record as it was read
        for this request (no protection beyond the request itself)."""
        seen = self.cleaned_data.get("version")
        return self.opened_record_version if seen is None else seen


@dataclass(frozen=True)
class ChangedField:
    """One field that someone else changed since the form was opened."""

    label: str
    before: str
    theirs: str
    yours: str | None  # None: the form does not edit this field
    you_changed: bool = False
    differs: bool = False  # the input is not what they saved

    @property
    def in_form(self) -> bool:
        return self.yours is not None

    @property
    def kept(self) -> str:
        """What the kept form holds for this field now."""
        if not self.in_form:
            return "theirs"
        return "yours" if self.you_changed and self.differs else "theirs"


class Conflict(Exception):  # noqa: N818 - the users' word for it
    """The record moved on since the form was opened and the save would undo a change of someone else's."""

    def __init__(self, *, record, version: int, seen: int, changes: list[ChangedField], editors: list[tuple],
                 take_theirs: dict[str, object]):
        super().__init__(f"{type(record).__name__} {record.pk}: version {version}, the form saw {seen}")
        self.record, self.version, self.seen = record, version, seen
        self.changes, self.editors, self.take_theirs = changes, editors, take_theirs


_MISSING = object()


def _value(obj, model, name: str):
    """A field's value as compared: ids for relations, a frozenset of ids for many-to-many."""
    field = model._meta.get_field(name)
    if field.many_to_many:
        if getattr(obj, "history_id", None) is not None:  # a historical record: its m2m snapshot rows
            key = f"{field.m2m_reverse_field_name()}_id"
            return frozenset(getattr(obj, name).values_list(key, flat=True))
        return frozenset(getattr(obj, name).values_list("pk", flat=True))
    return getattr(obj, field.attname, _MISSING)


def _input(form, form_name: str, field):
    value = form.cleaned_data.get(form_name)
    if field.many_to_many:
        return frozenset(getattr(v, "pk", v) for v in (value or ()))
    if field.is_relation:
        return getattr(value, "pk", value)
    if value is None and not field.null:
        return ""
    return value


def _display(field, value, cache: dict, mask: Callable | None = None) -> str:
    if value is _MISSING or value is None or value == "" or value == frozenset():
        return "—"
    if mask is not None:
        return mask(value) or "—"
    if field.is_relation:
        ids = sorted(value) if field.many_to_many else [value]
        missing = [i for i in ids if (field.related_model, i) not in cache]
        if missing:
            found = field.related_model._base_manager.in_bulk(missing)
            cache.update({(field.related_model, i): str(found[i]) if i in found else f"#{i}" for i in missing})
        return "、".join(cache[(field.related_model, i)] for i in ids)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(formats.localize(value))


def _snapshot_at(record, version: int):
    """The record as it was at ``version`` (its newest history row of that version), or None."""
    history = getattr(type(record), "history", None)
    if history is None or version < 1:
        return None
    return record.history.filter(version=version).order_by("-history_date", "-history_id").first()


def _editors(record, seen: int) -> list[tuple]:
    if getattr(type(record), "history", None) is None:
        return []
    rows = record.history.filter(version__gt=seen).select_related("history_user").order_by("-history_date")
    seen_users, result = set(), []
    for row in rows[:20]:
        if row.history_user_id not in seen_users:
            seen_users.add(row.history_user_id)
            result.append((row.history_user or gettext("the system"), row.history_date))
    return result


def find_conflict(form: VersionedFormMixin, current: Versioned | None, seen: int) -> Conflict | None:
    """Compare the form's input with ``current`` (the locked row) and with the record as it was at ``seen``.
    A conflict: a field of the form that someone else changed since, and the input differs from what they saved.
    Changes elsewhere in the record (a transition's status, say) are shown but do not stop the save."""
    if current is None or current.version == seen:
        return None
    model = type(current)
    before = _snapshot_at(current, seen)
    by_model_name = {name: form_name for form_name, name in form.versioned_field_map().items()}
    cache: dict = {}
    changes, take_theirs, clash = [], {}, False
    for field in model._meta.get_fields():
        if not (field.concrete or field.many_to_many) or field.auto_created or field.name in IGNORED:
            continue
        if field.name in form.conflict_hidden:
            continue
        form_name = by_model_name.get(field.name)
        if form_name is None and (before is None or field.many_to_many):
            continue  # without the state of the day the form was opened, only the form's own fields are compared
        theirs = _value(current, model, field.name)
        was = _value(before, model, field.name) if before is not None else _MISSING
        if form_name is not None and field.many_to_many:
            # Only the choices this user has: hidden tags stay hidden (and the form keeps them).
            allowed = set(form.fields[form_name].queryset.values_list("pk", flat=True))
            theirs = theirs & allowed
            was = was & allowed if was is not _MISSING else was
        if was is not _MISSING and was == theirs:
            continue
        mask = form.conflict_masks.get(field.name)
        yours, you_changed, differs = _MISSING, False, False
        if form_name is not None:
            yours = _input(form, form_name, field)
            if was is _MISSING and yours == theirs:
                continue
            you_changed, differs = was is _MISSING or yours != was, yours != theirs
            if differs:
                clash = True
                if not you_changed and mask is None:
                    take_theirs[form_name] = theirs
        changes.append(ChangedField(
            label=str(field.verbose_name), before=_display(field, was, cache, mask),
            theirs=_display(field, theirs, cache, mask),
            yours=None if form_name is None else _display(field, yours, cache, mask), you_changed=you_changed,
            differs=differs,
        ))
    if not clash:
        return None
    return Conflict(record=current, version=current.version, seen=seen, changes=changes,
                    editors=_editors(current, seen), take_theirs=take_theirs)


def _input_is_saved(form: VersionedFormMixin, current: Versioned) -> bool:
    """Does the row hold exactly what the form asks for (a second submit of the same input, say)?"""
    model = type(current)
    for form_name, name in form.versioned_field_map().items():
        field = model._meta.get_field(name)
        saved = _value(current, model, name)
        if field.many_to_many:
            saved = saved & set(form.fields[form_name].queryset.values_list("pk", flat=True))
        if _input(form, form_name, field) != saved:
            return False
    return True


def save_versioned(form: VersionedFormMixin, save: Callable[[], object], *, lock: models.Model | None = None):
    """Run ``save`` (the form's save or the app's service) with the record's row locked, if the record is
    still what the form was opened on, or if what changed since does not touch the user's input. Else raise
    ``Conflict`` and write nothing; when the row already holds exactly the input, write nothing either (and
    return None). ``lock``: a parent row to lock first (the case of an assignment), so that
    two first saves of a record that does not exist yet queue and the second sees the first."""
    with transaction.atomic():
        if lock is not None:
            lock_row(lock)
        record = form.versioned_record()
        current = lock_row(record) if record is not None else None
        seen = form.seen_version()
        if current is not None and current.version != seen and _input_is_saved(form, current):
            return None  # someone (the same user clicking twice, say) saved exactly this already
        conflict = find_conflict(form, current, seen)
        if conflict is not None:
            raise conflict
        instance = getattr(form, "instance", None)
        if current is not None and instance is not None and instance.pk == current.pk:
            # A ModelForm writes every column: those it does not edit take what the row holds now.
            _take_fields(current, instance, skip=set(form.versioned_field_map().values()))
            instance.version = current.version
        return save()


# --- The conflict page ----------------------------------------------------------------------------------


def _raw(form, form_name: str, value) -> list[str] | None:
    """``value`` as the browser would post it for this field (None: leave the field out)."""
    field = form.fields[form_name]
    prepared = field.prepare_value(list(value) if isinstance(value, frozenset) else value)
    if isinstance(field.widget, forms.CheckboxInput):
        return ["on"] if prepared else None
    if isinstance(prepared, (list, tuple)):
        return [str(v) for v in prepared]
    formatted = field.widget.format_value(prepared)
    if isinstance(formatted, (list, tuple)):  # choice widgets format as a list of selected values
        return [str(v) for v in formatted]
    return ["" if formatted is None else str(formatted)]


def conflict_response(request: HttpRequest, conflict: Conflict, form, *, reload_url: str, title: str = "",
                      back_url: str = "") -> HttpResponse:
    """The conflict page (409): the changes since the form was opened, and the form again with the user's
    input where they changed something, the other changes where they did not, and the current version, so that
    saving it applies the user's input on top of what is saved now ("take theirs" reloads instead)."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(conflict.version)
    for form_name, value in conflict.take_theirs.items():
        raw = _raw(form, form_name, value)
        key = form.add_prefix(form_name)
        if raw is None:
            data.pop(key, None)
        else:
            data.setlist(key, raw)
    form.data = data
    return render(request, "core/conflict.html", {
        "conflict": conflict, "form": form, "reload_url": reload_url, "back_url": back_url or reload_url,
        "title": title or str(conflict.record), "action": request.get_full_path(),
    }, status=409)
