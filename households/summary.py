"""What a household's row carries of its members: how many, the text searched (the household's head, house number and
address, and its members' names), and the tags of the household and its members.

The household list shows the members' count and tags, finds households by a member's name, and filters them by a tag
on the household or on a member. Read from the members at every request, that was a query of every member and tag of
a page, and for a search or a tag filter a scan of the township's 50,000 residents before the households were even
counted (see README "Benchmarks"). Kept on the household, they are read with the row and searched in one condition.

Kept up to date here, whatever writes members or tags: saving or deleting a resident (its old and new household when it
moves), adding or removing tags of a resident or household, saving a household, and, for what is written in
bulk without signals (the roster import, the demo data), by calling ``refresh_member_summary`` with the households
touched. The summary is not an edit of the household: its version, ``updated_at`` and history stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

CHUNK = 2000
SEPARATOR = "\n"  # not typed into a search box, so a search never matches across two names


def tag_id_list(tag_ids: str) -> list[int]:
    """The tag ids of ``Household.tag_ids`` (",3,7,1,"), in the order they are shown."""
    return [int(part) for part in tag_ids.split(",") if part]


def tag_condition(tag_id: int) -> models.Q:
    """Households with the tag, on the household itself or on a member. (An array of the ids with a GIN index was tried:
    PostgreSQL, which cannot tell how many households a scope holds, kept scanning by grid, testing arrays slower.)"""
    return models.Q(tag_ids__contains=f",{int(tag_id)},")


def refresh_member_summary(household_ids: Iterable[int | None]) -> None:
    """Recompute the summary of these households from their members and tags (any that no longer exist are skipped)."""
    from .models import Household, Resident, Tag

    refresh_with(Household, Resident, Tag, household_ids)


def refresh_with(Household, Resident, Tag, household_ids) -> None:  # noqa: N803 - model classes (a migration's too)
    ids = sorted({pk for pk in household_ids if pk is not None})
    if not ids:
        return
    order = {pk: (sort_order, code) for pk, sort_order, code in Tag.objects.values_list("pk", "sort_order", "code")}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        texts = {pk: (head_name, house_number, address) for pk, head_name, house_number, address in
                 Household.objects.filter(pk__in=chunk).values_list("pk", "head_name", "house_number", "address")}
        own: dict[int, list[int]] = {}
        for household_id, tag_id in Household.tags.through.objects.filter(household_id__in=chunk).values_list(
                "household_id", "tag_id"):
            own.setdefault(household_id, []).append(tag_id)
        # Members in key order, each with its tags (none: one row, tag None).
        members: dict[int, dict[int, tuple[str, list[int]]]] = {}
        rows = Resident.objects.filter(household_id__in=chunk).order_by("household_id", "pk").values_list(
            "household_id", "pk", "name", "tags")
        for household_id, resident_id, name, tag_id in rows:
            member = members.setdefault(household_id, {}).setdefault(resident_id, (name, []))
            if tag_id is not None:
                member[1].append(tag_id)
        summaries = []
        for household_id in chunk:
            of_members = members.get(household_id, {})
            shown = sorted(own.get(household_id, ()), key=lambda t: order.get(t, (0, "")))
            for _resident_id, (_name, tags) in sorted(of_members.items()):
                shown.extend(t for t in sorted(tags, key=lambda t: order.get(t, (0, ""))) if t not in shown)
            head_name, house_number, address = texts.get(household_id, ("", "", ""))
            summaries.append((
                household_id, len(of_members),
                SEPARATOR.join([head_name, house_number, address,
                                *(name for _pk, (name, _tags) in sorted(of_members.items()))]),
                f",{','.join(map(str, shown))}," if shown else "",
            ))
        _write(Household, summaries)


def _write(model, summaries: list[tuple[int, int, str, str]]) -> None:
    if connection.vendor == "postgresql":
        # One UPDATE … FROM the arrays, where bulk_update would write a CASE over every row for every row.
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS h SET member_count = s.member_count, search_text = s.search_text, '  # noqa: S608
                "tag_ids = s.tag_ids FROM unnest(%s::bigint[], %s::integer[], %s::text[], %s::text[]) "
                "AS s(id, member_count, search_text, tag_ids) WHERE h.id = s.id",
                [list(column) for column in zip(*summaries, strict=True)],
            )
        return
    objs = [model(pk=pk, member_count=count, search_text=text, tag_ids=tags) for pk, count, text, tags in summaries]
    model.objects.bulk_update(objs, ["member_count", "search_text", "tag_ids"], batch_size=500)


# --- Signals -------------------------------------------------------------------------------------------


def _remember_household(sender, instance, raw=False, **kwargs) -> None:
    """The household a resident belonged to before this save (it may be moving to another)."""
    if raw or instance.pk is None:
        instance._summary_household_before = None
        return
    instance._summary_household_before = type(instance)._base_manager.filter(pk=instance.pk).values_list(
        "household_id", flat=True).first()


def _resident_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    refresh_member_summary([instance.household_id, getattr(instance, "_summary_household_before", None)])


def _resident_deleted(sender, instance, **kwargs) -> None:
    refresh_member_summary([instance.household_id])


def _tags_changed(sender, instance, action, reverse, **kwargs) -> None:
    # Tags are changed from the resident's or household's side only: the tag's side (tag.residents.add(…)) is refused
    # by the history of the relation (django-simple-history records it on the resident and household alone).
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        refresh_member_summary([getattr(instance, "household_id", instance.pk)])


def connect() -> None:
    """Called once from the app's ready()."""
    from .models import Household, Resident

    pre_save.connect(_remember_household, sender=Resident, dispatch_uid="households.summary.remember")
    post_save.connect(_resident_saved, sender=Resident, dispatch_uid="households.summary.saved")
    post_delete.connect(_resident_deleted, sender=Resident, dispatch_uid="households.summary.deleted")
    m2m_changed.connect(_tags_changed, sender=Resident.tags.through, dispatch_uid="households.summary.rtags")
    m2m_changed.connect(_tags_changed, sender=Household.tags.through, dispatch_uid="households.summary.htags")

