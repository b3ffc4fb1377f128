"""四包 on the 包案 assignment: every case page with a lead official shows it; the lead (or the team) ticks each
item with its day and a note; others read it; out of scope is 404, not theirs 403, GET 405."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.checklist import assignment_checklist_update
from casework.models import AssignmentCheck
from disputes import services
from tests.disputes.factories import DisputeFactory, PartyFactory

TODAY = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)


@pytest.fixture
def dispute(world):
    dispute = DisputeFactory(grid=world.grid_a1, title="山林权属纠纷", risk="major")
    PartyFactory(dispute=dispute)
    services.dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["township_cadre"],
                            responsible_unit="镇司法所", deadline=dt.date(2026, 11, 30),
                            team=[world.users["village_cadre"]])
    dispute.refresh_from_db()
    return dispute


def _post(client, dispute, **data):
    return client.post(reverse("inbox:checklist", args=[dispute.assignment.pk]), data)


@pytest.mark.today(TODAY, tick=False)
def test_the_lead_ticks_an_item_with_its_day_and_note_and_everyone_reads_it(world, clients, dispute):
    page = clients["township_cadre"].get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="checklist-form"' in page and "包调查研究" in page and "包教育稳控" in page
    r = _post(clients["township_cadre"], dispute, done_investigate="on", on_investigate="2026-11-18",
              note_investigate="已走访双方核实")
    assert r.status_code == 302 and r["Location"] == dispute.get_absolute_url()
    check = AssignmentCheck.objects.get(assignment=dispute.assignment)
    assert (check.item, check.done, check.done_on, check.note) == ("investigate", True, dt.date(2026, 11, 18),
                                                                     "已走访双方核实")
    assert check.history.first().history_user == world.users["township_cadre"]
    staff_page = clients["staff"].get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="checklist-form"' not in staff_page
    assert "✓ 包调查研究 · 2026-11-18: 已走访双方核实" in staff_page


@pytest.mark.today(TODAY, tick=False)
def test_a_ticked_item_without_a_day_is_done_today_and_unticking_clears_it(world, dispute):
    lead = world.users["township_cadre"]
    a = dispute.assignment
    assert assignment_checklist_update(assignment=a, by=lead, items={"coordinate": (True, None, "")}) == 1
    assert a.checks.get().done_on == dt.date(2026, 11, 20)
    assert assignment_checklist_update(assignment=a, by=lead, items={"coordinate": (True, None, "")}) == 0
    assignment_checklist_update(assignment=a, by=lead, items={"coordinate": (False, None, "改由司法所协调")})
    check = a.checks.get()
    assert not check.done and check.done_on is None and check.note == "改由司法所协调"
    with pytest.raises(ValidationError):
        assignment_checklist_update(assignment=a, by=lead, items={"stabilise": (True, dt.date(2026, 12, 1), "")})


@pytest.mark.today(TODAY, tick=False)
def test_the_team_may_tick_others_get_403_outside_404_and_get_405(world, clients, dispute):
    assert _post(clients["village_cadre"], dispute, done_stabilise="on").status_code == 302
    assert _post(clients["staff"], dispute, done_stabilise="on").status_code == 403
    assert _post(clients["outsider"], dispute, done_stabilise="on").status_code == 404
    url = reverse("inbox:checklist", args=[dispute.assignment.pk])
    assert clients["township_cadre"].get(url).status_code == 405


@pytest.mark.today(TODAY, tick=False)
def test_a_closed_assignment_keeps_its_checklist_read_only(world, clients, dispute):
    from casework.services import assignment_close

    assignment_checklist_update(assignment=dispute.assignment, by=world.users["township_cadre"],
                                items={"follow_up": (True, None, "已督办")})
    assignment_close(case=dispute)
    page = clients["township_cadre"].get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="checklist-form"' not in page and "✓ 包督办落实" in page
    assert _post(clients["township_cadre"], dispute, done_stabilise="on").status_code == 403


@pytest.mark.today(TODAY, tick=False)
def test_the_assignment_list_says_how_many_of_the_four_are_done(world, clients, dispute):
    assignment_checklist_update(assignment=dispute.assignment, by=world.users["township_cadre"],
                                items={"investigate": (True, None, ""), "coordinate": (True, None, "")})
    page = clients["staff"].get(reverse("dashboards:assignments")).content.decode()
    assert 'data-testid="four-done">2/4<' in page
