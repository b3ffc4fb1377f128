"""The county's cases in the reminder scan (难事不出县, issue 21): a dispute escalated to the county, a petition
registered at the county and a case led by a county user are escalated, once overdue, to the county's leaders as well
as the township's supervisors; the county overview's board shows them, its count equal to its list."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from casework import reminders
from casework.models import ResponsibilityAssignment
from disputes.models import Dispute
from disputes.services import dispute_assign
from governance.models import User
from petitions.models import Petition
from tests.casework.reminder_fixtures import at, inbox_stages
from tests.disputes.factories import DisputeFactory
from tests.factories import UserFactory
from tests.petitions.factories import assign, form_data

L = Dispute.Level
# Far enough past a deadline of "today" (2026-11-20) to be escalated, whatever the holidays.
LATER = dt.timedelta(days=14)


def scan_on(day: dt.date) -> reminders.ScanResult:
    with time_machine.travel(at(day), tick=False):
        return reminders.scan()


@pytest.fixture
def leader_elsewhere(world, county):
    return UserFactory(username="cleader2", role=User.Role.COUNTY_LEADER, county=world.far_township.county,
                       township=None)


def _dispute_assigned(world, today, lead=None) -> Dispute:
    dispute = DisputeFactory(grid=world.grid_a1, title="两村山林权属纠纷")
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=lead or world.users["township_cadre"],
                   responsible_unit="镇综治中心", deadline=today)
    return Dispute.objects.get(pk=dispute.pk)


def _change_level(client, dispute, action: str, to_level: str, handler) -> None:
    response = client.post(reverse(f"disputes:{action}", args=[dispute.pk]), {
        "to_level": to_level, "reason": "涉及两镇，镇里难以化解" if action == "escalate" else "县里交回镇里调解",
        "handler": handler.pk,
    })
    assert response.status_code == 302, response.content.decode()


def test_an_overdue_dispute_escalated_to_the_county_reaches_the_county_leaders(world, county, clients, today,
                                                                                leader_elsewhere):
    dispute = _dispute_assigned(world, today)
    _change_level(clients["staff"], dispute, "escalate", L.COUNTY, world.users["county_staff"])
    assert scan_on(today + LATER).by_stage == {"escalated": 1}
    assert inbox_stages(world.users["county_leader"]) == ["escalated"]
    # The township still hears of its overdue case; county staff and another county's leaders do not.
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]
    assert inbox_stages(world.users["county_staff"]) == inbox_stages(leader_elsewhere) == []
    # Once: a second scan the same day and the next day add nothing.
    scan_on(today + LATER)
    scan_on(today + LATER + dt.timedelta(days=1))
    assert inbox_stages(world.users["county_leader"]) == ["escalated"]


def test_a_dispute_assigned_once_at_the_county_is_a_county_case_from_the_start(world, county, clients, today):
    dispute = DisputeFactory(grid=world.grid_a1)
    _change_level(clients["staff"], dispute, "escalate", L.COUNTY, world.users["county_staff"])
    dispute_assign(dispute=Dispute.objects.get(pk=dispute.pk), by=world.users["county_staff"],
                   lead=world.users["township_cadre"], responsible_unit="县矛盾纠纷调处中心", deadline=today)
    scan_on(today + LATER)
    assert inbox_stages(world.users["county_leader"]) == ["escalated"]


def test_a_dispute_handed_back_down_is_escalated_to_the_township_only(world, county, clients, today):
    dispute = _dispute_assigned(world, today)
    _change_level(clients["staff"], dispute, "escalate", L.COUNTY, world.users["county_staff"])
    _change_level(clients["county_staff"], dispute, "hand-down", L.TOWNSHIP, world.users["staff"])
    assert not ResponsibilityAssignment.objects.get().at_county
    scan_on(today + LATER)
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]
    assert inbox_stages(world.users["county_leader"]) == []


def test_an_overdue_petition_registered_at_the_county_reaches_the_county_leaders(world, county, clients, today):
    data = form_data(world, village=world.village_a.pk, received_on=today.isoformat(), skip_level="on")
    assert clients["county_staff"].post(reverse("petitions:create"), data).status_code == 302
    petition = Petition.objects.get()
    # The township handles it: its staff set the 包案, with an internal deadline of today.
    assign(petition, by=world.users["staff"], lead=world.users["township_cadre"], deadline=today)
    scan_on(today + LATER)
    assert inbox_stages(world.users["county_leader"]) == ["escalated"]
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]


def test_a_township_case_led_by_a_county_user_reaches_the_county_leaders(world, county, today):
    _dispute_assigned(world, today, lead=world.users["county_staff"])
    scan_on(today + LATER)
    # The lead official hears every stage they reach; the leaders the escalation.
    assert inbox_stages(world.users["county_staff"]) == ["escalated"]
    assert inbox_stages(world.users["county_leader"]) == ["escalated"]


def test_a_township_case_is_escalated_to_the_township_only(world, county, today):
    _dispute_assigned(world, today)
    scan_on(today + LATER)
    assert inbox_stages(world.users["supervisor"]) == ["escalated"]
    assert inbox_stages(world.users["county_leader"]) == []


def test_the_county_overview_board_shows_the_overdue_county_cases_and_counts_its_list(world, county, clients, today):
    at_county = _dispute_assigned(world, today - dt.timedelta(days=5))
    _change_level(clients["staff"], at_county, "escalate", L.COUNTY, world.users["county_staff"])
    led = _dispute_assigned(world, today - dt.timedelta(days=2), lead=world.users["county_leader"])
    township_case = _dispute_assigned(world, today - dt.timedelta(days=9))
    response = clients["county_leader"].get(reverse("dashboards:county"))
    data = response.context["data"]
    assert [row["case_label"] for row in data["board"]] == [str(at_county), str(led)]  # longest overdue first
    assert data["board"][0]["township_name"] == "青石镇"
    assert data["board_total"] == 2
    listed = clients["county_leader"].get(data["board_url"])
    assert listed.context["table"].paginator.count == 2
    body = response.content.decode()
    assert body.count('data-testid="county-board-row"') == 2 and str(township_case) not in body
    # The township's drill-down narrows the board to it; the other township has none.
    other = clients["county_leader"].get(reverse("dashboards:county") + f"?township={world.other_township.pk}")
    assert other.context["data"]["board"] == [] and other.context["data"]["board_total"] == 0
