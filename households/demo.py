"""Demo households and residents: families of 1–6 with valid ID numbers, phones and special-group tags."""

from __future__ import annotations

import datetime as dt

from governance.demo import GROUPS, DemoContext

from .idnumbers import make_id_number
from .models import Household, Resident, Tag

BATCH = 2000


def seed(ctx: DemoContext) -> None:
    households = _seed_households(ctx)
    residents = _seed_residents(ctx, households)
    ctx.extra["households"] = households
    ctx.extra["residents"] = residents
    ctx.log.append(f"{len(households)} households, {len(residents)} residents")


def _seed_households(ctx: DemoContext) -> list[Household]:
    rng = ctx.rng
    heads_by_grid: dict[int, list] = {}
    for head in ctx.heads:
        heads_by_grid.setdefault(head.grid_id, []).append(head)
    villages = {v.pk: v for v in ctx.villages}
    rows = []
    per_grid, remainder = divmod(ctx.households, len(ctx.grids))
    for index, grid in enumerate(ctx.grids):
        heads = heads_by_grid.get(grid.pk, [])
        count = per_grid + (1 if index < remainder else 0)
        for n in range(count):
            # Most households are linked to a head; a few wait for one (the registry lists them).
            head = heads[n // 10 % len(heads)] if heads and rng.random() < 0.97 else None
            group = GROUPS[n // 25 % len(GROUPS)]
            rows.append(
                Household(
                    grid=grid, household_head=head, head_name="", address=f"{villages[grid.village_id].name}{group}",
                    house_number=f"{group}{n % 25 + 1:02d}号",
                    residence_type=rng.choices(list(Household.ResidenceType), weights=[88, 8, 4])[0],
                )
            )
    Household.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def _seed_residents(ctx: DemoContext, households: list[Household]) -> list[Resident]:
    rng = ctx.rng
    area = ctx.township.code[:6]
    tags = {t.code: t for t in Tag.objects.all()}
    used: set[str] = set()
    residents: list[Resident] = []
    tag_rows: list = []
    household_tag_rows: list = []
    through = Resident.tags.through
    household_through = Household.tags.through
    year = ctx.today.year

    def new_id(birth: dt.date, male: bool) -> str:
        while True:
            number = make_id_number(area, birth, rng.randint(1, 998), male)
            if number not in used:
                used.add(number)
                return number

    for household in households:
        family = _family(rng, year)
        members = []
        for relation, age, male, status in family:
            birth = dt.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
            members.append(
                Resident(
                    household=household, township=ctx.township, name=ctx.person_name(male),
                    id_number=new_id(birth, male), gender="male" if male else "female", birth_date=birth,
                    phone=ctx.mobile() if age >= 16 and rng.random() < 0.85 else "", relation=relation, status=status,
                )
            )
        household.head_name = members[0].name
        residents.extend(members)
    Resident.objects.bulk_create(residents, batch_size=BATCH)
    Household.objects.bulk_update(households, ["head_name"], batch_size=BATCH)

    by_household: dict[int, list[Resident]] = {}
    for r in residents:
        by_household.setdefault(r.household_id, []).append(r)
    for household in households:
        members = by_household[household.pk]
        for code in _tags_for(rng, members, ctx.today):
            tag_rows.append(through(resident_id=code[1].pk, tag_id=tags[code[0]].pk))
        if rng.random() < 0.04:
            household_tag_rows.append(household_through(household_id=household.pk, tag_id=tags["subsistence"].pk))
        elif rng.random() < 0.03:
            kind = rng.choice(["watch-unstable", "watch-edge", "watch-sudden"])
            household_tag_rows.append(household_through(household_id=household.pk, tag_id=tags[kind].pk))
        if rng.random() < 0.01:
            household_tag_rows.append(household_through(household_id=household.pk, tag_id=tags["focus-relocation"].pk))
    through.objects.bulk_create(tag_rows, batch_size=BATCH)
    household_through.objects.bulk_create(household_tag_rows, batch_size=BATCH)
    return residents


def _family(rng, year):
    """(relation, age, male, status) for each member, the head of household first."""
    R, S = Resident.Relation, Resident.Status
    kind = rng.random()
    head_male = rng.random() < 0.8
    if kind < 0.08:  # an old person living alone
        return [(R.HEAD, rng.randint(68, 92), rng.random() < 0.45, S.AT_HOME)]
    head_age = rng.randint(32, 70)
    away = rng.random() < 0.35
    family = [(R.HEAD, head_age, head_male, S.MIGRANT_WORKER if away else S.AT_HOME)]
    family.append((R.SPOUSE, head_age + rng.randint(-4, 3), not head_male, S.MIGRANT_WORKER if away else S.AT_HOME))
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        age = max(1, head_age - rng.randint(22, 32))
        status = S.STUDENT if 6 <= age <= 18 else (S.MIGRANT_WORKER if age > 18 and rng.random() < 0.6 else S.AT_HOME)
        family.append((R.CHILD, age, rng.random() < 0.5, status))
    if rng.random() < 0.3:
        family.append((R.PARENT, head_age + rng.randint(22, 30), rng.random() < 0.4, S.AT_HOME))
    return family


def _tags_for(rng, members, today):
    """(tag code, resident) pairs, from the family's shape: left-behind children and elders, elders alone, …"""
    pairs = []
    away = any(m.status == Resident.Status.MIGRANT_WORKER for m in members if m.relation != Resident.Relation.CHILD)
    for m in members:
        age = today.year - m.birth_date.year
        if len(members) == 1 and age >= 65:
            pairs.append(("elderly-alone", m))
        elif away and age >= 65:
            pairs.append(("elderly-left-behind", m))
        if away and age < 16:
            pairs.append(("children-left-behind", m))
        if rng.random() < 0.02:
            pairs.append(("disabled", m))
        if m.gender == "male" and 30 <= age <= 60 and rng.random() < 0.03:
            pairs.append(("veteran", m))
        if age >= 50 and rng.random() < 0.005:
            pairs.append((rng.choice(["focus-prestige", "focus-policy-doubts", "focus-disciplined"]), m))
    return pairs
