"""outreach.metrics, the interface the assessment app reads: households reached per head, training hours."""

import datetime as dt
from decimal import Decimal

from outreach.metrics import households_reached, training_hours
from tests.factories import HouseholdFactory, HouseholdHeadFactory, VisitFactory
from tests.outreach.factories import explain, make_event, make_training

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def test_households_reached_counts_distinct_linked_households_by_visit_or_event_in_the_period(world):
    head, other = world.head_a1, HouseholdHeadFactory(grid=world.grid_a1, name="刘芳")
    h1, h2, h3, h4 = (HouseholdFactory(grid=world.grid_a1, household_head=head) for _ in range(4))
    mine_elsewhere = HouseholdFactory(grid=world.grid_a1, household_head=other)
    # h1: two policies on one visit and again at an event: one household.
    explain(VisitFactory(grid=world.grid_a1, households=[h1, mine_elsewhere], visited_on=dt.date(2026, 11, 3)),
            "anti-fraud", "pension")
    make_event(world.village_a, by=world.users["staff"], households=[h1, h2])
    # h3: visited without a policy explained; h4: a policy explained, but in October.
    VisitFactory(grid=world.grid_a1, households=[h3], visited_on=dt.date(2026, 11, 4))
    explain(VisitFactory(grid=world.grid_a1, households=[h4], visited_on=dt.date(2026, 10, 31)), "pension")
    # An event outside the period reaches nobody in it.
    make_event(world.village_a, by=world.users["staff"], households=[h3], held_on=dt.date(2026, 12, 1))

    assert households_reached([head.pk, other.pk, 999999], *NOV) == {head.pk: 2, other.pk: 1, 999999: 0}
    assert households_reached([head.pk], dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == {head.pk: 4}


def test_training_hours_add_up_the_sessions_attended_in_the_period_for_heads_and_users(world):
    head, staff, cadre = world.head_a1, world.users["staff"], world.users["village_cadre"]
    make_training(world.township, by=staff, hours="2.5", heads=[head], users=[cadre])
    make_training(world.township, by=staff, village=world.village_a, hours="1.5", heads=[head])
    make_training(world.township, by=staff, hours="3", heads=[head], users=[cadre], held_on=dt.date(2026, 10, 30))

    assert training_hours("head", [head.pk, world.head_a1_2.pk], *NOV) == {head.pk: Decimal("4.0"),
                                                                           world.head_a1_2.pk: Decimal("0")}
    assert training_hours("user", [cadre.pk, staff.pk], *NOV) == {cadre.pk: Decimal("2.5"), staff.pk: Decimal("0")}


def test_training_hours_refuses_an_unknown_kind(world):
    import pytest

    with pytest.raises(ValueError):
        training_hours("grid", [1], *NOV)
