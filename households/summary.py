"""What a household's row carries of its members: how many, the text searched (the household's head, house number and
address, and its members' names), and the tags of the household and its members.

The household list shows the members' count and tags, finds households by a member's name, and filters them by a tag
on the household or on a member. Read from the members at every request, that was a query of every member and tag of
a page, and for a search or a tag filter a scan of the township's 50,000 residents before the households were even
counted (see README "Benchmarks"). Kept on the household, they are read with the row and searched in one condition.

Kept up to date by the services that write members and tags (households/services.py): each locks the household's row,
writes, and calls ``refresh_summary`` inside the lock, so two clerks adding members to one household at once queue, and
the second counts the first's member. What is written in bulk (the roster import, the demo data) calls
``refresh_summary`` once with the households touched. Nothing is kept by save() or signals: a plain save() of a member
leaves the summary as it was until the next refresh, and ``manage.py check_summaries [--fix]`` finds (and rewrites)
what drifted. The summary is not an edit of the household: its version, ``updated_at`` and history stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import connection, models, transaction

CHUNK = 2000
SEPARATOR = "\n"  # not typed into a search box, so a search never matches across two names


def tag_id_list(tag_ids: str) -> list[int]:
    """The tag ids of ``Household.tag_ids`` (",3,7,1,"), in the order they are shown."""
    return [int(part) for part in tag_ids.split(",") if part]


def tag_condition(tag_id: int) -> models.Q:
    """Households with the tag, on the household itself or on a member. (An array of the ids with a GIN index was tried:
    PostgreSQL, which cannot tell how many households a scope holds, kept scanning by grid, testing arrays slower.)"""
    return models.Q(tag_ids__contains=f",{int(tag_id)},")


Summary = tuple[int, str, str, int | None]  # member_count, search_text, tag_ids, care_cadence


def cadence_of(tag_ids: Iterable[int], order: dict[int, tuple[int, str]]) -> int | None:
    """The tightest care cadence (days, ``settings.CARE_CADENCE_DAYS`` by tag code) among these tags; None without."""
    cadence = settings.CARE_CADENCE_DAYS
    days = [cadence[order[t][1]] for t in tag_ids if t in order and order[t][1] in cadence]
    return min(days) if days else None


def refresh_summary(household_ids: Iterable[int | None]) -> None:
    """Recompute the summary of these households from their members and tags, their rows locked (in key order, so
    that two refreshes never wait on each other crosswise); any that no longer exist are skipped."""
    from .models import Household, Resident, Tag

    refresh_with(Household, Resident, Tag, household_ids)


@transaction.atomic
def refresh_with(Household, Resident, Tag, household_ids) -> None:  # noqa: N803 - model classes (a migration's too)
    ids = sorted({pk for pk in household_ids if pk is not None})
    order = tag_order(Tag) if ids else {}
    for start in range(0, len(ids), CHUNK):
        # Locked and read in one query: what is computed below is what the rows hold until the transaction ends.
        texts = {pk: (head_name, house_number, address) for pk, head_name, house_number, address in
                 Household._base_manager.select_for_update().filter(pk__in=ids[start:start + CHUNK]).order_by("pk")
                 .values_list("pk", "head_name", "house_number", "address")}
        summaries = compute_summaries(Household, Resident, order, texts)
        if summaries:
            _write(Household, [(pk, *summary) for pk, summary in summaries.items()])


def tag_order(Tag) -> dict[int, tuple[int, str]]:  # noqa: N803
    return {pk: (sort_order, code) for pk, sort_order, code in Tag.objects.values_list("pk", "sort_order", "code")}


def compute_summaries(Household, Resident, order, texts: dict[int, tuple[str, str, str]]) -> dict[int, Summary]:  # noqa: N803
    """The summary of each household of ``texts`` (its head name, house number and address), read from its members and
    tags in three queries."""
    chunk = list(texts)
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
    summaries = {}
    for household_id, (head_name, house_number, address) in texts.items():
        of_members = members.get(household_id, {})
        shown = sorted(own.get(household_id, ()), key=lambda t: order.get(t, (0, "")))
        for _resident_id, (_name, tags) in sorted(of_members.items()):
            shown.extend(t for t in sorted(tags, key=lambda t: order.get(t, (0, ""))) if t not in shown)
        summaries[household_id] = (
            len(of_members),
            SEPARATOR.join([head_name, house_number, address,
                            *(name for _pk, (name, _tags) in sorted(of_members.items()))]),
            f",{','.join(map(str, shown))}," if shown else "",
            cadence_of(shown, order),
        )
    return summaries


def find_drift(*, chunk: int = CHUNK) -> Iterator[int]:
    """The ids of the households whose stored summary is not what their members and tags give now, read in chunks of
    ``chunk`` households in key order (a county's 300,000 in 150 rounds of four queries)."""
    from .models import Household, Resident, Tag

    order = tag_order(Tag)
    last = 0
    while True:
        rows = list(Household._base_manager.filter(pk__gt=last).order_by("pk").values_list(
            "pk", "head_name", "house_number", "address", "member_count", "search_text", "tag_ids", "care_cadence")[:chunk])
        if not rows:
            return
        stored = {pk: (count, text, tags, cadence) for pk, _head, _number, _address, count, text, tags, cadence in rows}
        fresh = compute_summaries(Household, Resident, order, {row[0]: row[1:4] for row in rows})
        yield from (pk for pk in stored if stored[pk] != fresh[pk])
        last = rows[-1][0]


def _write(model, summaries: list[tuple[int, int, str, str, int | None]]) -> None:
    if not any(f.name == "care_cadence" for f in model._meta.concrete_fields):
        # A migration's model from before the cadence was kept (households 0010).
        summaries = [summary[:4] for summary in summaries]
    columns = ["member_count", "search_text", "tag_ids", "care_cadence"][:len(summaries[0]) - 1]
    if connection.vendor == "postgresql":
        # One UPDATE … FROM the arrays, where bulk_update would write a CASE over every row for every row.
        table = model._meta.db_table
        types = ["bigint", "integer", "text", "text", "integer"][:len(columns) + 1]
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS h SET {", ".join(f"{c} = s.{c}" for c in columns)} '  # noqa: S608
                f"FROM unnest({', '.join(f'%s::{t}[]' for t in types)}) AS s(id, {', '.join(columns)}) "
                "WHERE h.id = s.id",
                [list(column) for column in zip(*summaries, strict=True)],
            )
        return
    objs = [model(pk=pk, **dict(zip(columns, values, strict=True))) for pk, *values in summaries]
    model.objects.bulk_update(objs, columns, batch_size=500)
