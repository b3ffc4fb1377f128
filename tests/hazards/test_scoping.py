"""Who sees which hazard (the full URL matrix runs in tests/governance/test_scoping_matrix.py)."""

from django.urls import reverse

from hazards.models import Hazard
from tests.factories import HouseholdFactory, UserFactory
from tests.hazards.factories import HazardFactory, advance


def test_every_persona_sees_exactly_their_part(world):
    a1 = HazardFactory(grid=world.grid_a1)
    a2 = HazardFactory(grid=world.grid_a2)
    b1 = HazardFactory(grid=world.grid_b1)
    theirs = HazardFactory(grid=world.grid_a1, household=HouseholdFactory(grid=world.grid_a1,
                                                                          household_head=world.head_a1))
    reported = HazardFactory(grid=world.grid_a1, reporting_head=world.head_a1)
    expected = {
        "staff": {a1, a2, b1, theirs, reported}, "supervisor": {a1, a2, b1, theirs, reported},
        "township_cadre": {a1, a2, theirs, reported}, "village_cadre": {a1, a2, theirs, reported},
        "village_cadre_b": {b1}, "grid_worker": {a1, theirs, reported}, "grid_worker_a2": {a2},
        "household_head": {theirs, reported}, "household_head_2": set(), "outsider": set(),
    }
    for persona, hazards in expected.items():
        assert set(Hazard.objects.visible_to(world.users[persona])) == hazards, persona


def test_the_lead_of_a_hazard_reaches_it_wherever_it_is(world, clients):
    hazard = HazardFactory(grid=world.grid_b1)
    lead = UserFactory(role="township_cadre", township=world.township, villages=[world.village_a])
    assert hazard not in Hazard.objects.visible_to(lead)
    advance(hazard, Hazard.Status.RECTIFYING, world.users["staff"], lead=lead)
    lead = type(lead).objects.get(pk=lead.pk)
    assert hazard in Hazard.objects.visible_to(lead)


def test_lists_and_papers_hold_only_what_the_user_sees(world, clients):
    mine = HazardFactory(grid=world.grid_a1, description="本村隐患")
    HazardFactory(grid=world.grid_b1, description="他村隐患")
    body = clients["village_cadre"].get(reverse("hazards:list"), {"village": world.village_b.pk}).content.decode()
    assert "他村隐患" not in body
    body = clients["village_cadre"].get(reverse("hazards:list")).content.decode()
    assert mine.number in body
