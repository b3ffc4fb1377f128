"""The visit form's risk toggles: a lead for the village cadre (told in their inbox), one episode per household."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Notification
from households.models import Tag, Visit
from monitoring.models import MonitoringCase
from tests.factories import HouseholdFactory, VisitFactory
from tests.monitoring.factories import open_case

S = MonitoringCase.Status


def _visit(households, **extra):
    data = {"households": [h.pk for h in households], "visited_on": timezone.localdate().isoformat(),
            "method": "in_home", "topic_living": "on", "notes": "户主住院，家中缺劳力。"}
    data.update(extra)
    return data


@pytest.fixture
def own(world):
    return HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="马家")


def _inbox(user):
    return Notification.objects.inbox_of(user).select_related("reminder__assignment")


def test_a_household_head_ticks_new_illness_and_the_village_cadre_gets_a_lead_in_their_inbox(world, clients, own):
    response = clients["household_head"].post(reverse("households:visit-create"), _visit([own], risk_illness="on"))
    visit = Visit.objects.get()
    assert response.status_code == 302
    case = MonitoringCase.objects.get()
    assert (case.household, case.status, case.visit) == (own, S.LEAD, visit)
    assert case.source == MonitoringCase.Source.HOUSEHOLD_HEAD and case.type.code == "sudden"
    assert [k.code for k in case.risk_kinds.all()] == ["illness"]
    assert "新发大病/住院" in case.lead_note and "户主住院" in case.lead_note
    cadre = world.users["village_cadre"]
    assert case.assignment.lead == cadre
    [note] = _inbox(cadre)
    assert note.link == case.get_absolute_url() and note.read_at is None
    assert not _inbox(world.users["village_cadre_b"]).exists()
    page = clients["village_cadre"].get(reverse("inbox:list")).content.decode()
    assert case.number in page and "包案交办给您" in page
    listed = clients["village_cadre"].get(reverse("monitoring:list")).content.decode()
    assert case.number in listed
    followed = clients["household_head"].get(response["Location"])
    assert f"{case.number}" in followed.content.decode() and "防返贫监测线索" in followed.content.decode()


def test_toggles_add_to_the_households_open_episode_instead_of_opening_a_second(world, clients, own):
    case = open_case(world.users["staff"], household=own)
    response = clients["household_head"].post(reverse("households:visit-create"),
                                              _visit([own], risk_house="on", risk_disaster="on"))
    assert response.status_code == 302
    assert MonitoringCase.objects.count() == 1
    case.refresh_from_db()
    assert {k.code for k in case.risk_kinds.all()} == {"illness", "housing", "disaster", "accident"}
    assert "房屋漏雨开裂" in case.lead_note
    assert _inbox(world.users["village_cadre"]).get().get_kind_display() == "案件有新情况"
    assert case.history.first().history_change_reason == "visit_risk"


def test_a_visit_without_toggles_opens_nothing(world, clients, own):
    clients["household_head"].post(reverse("households:visit-create"), _visit([own]))
    assert Visit.objects.exists() and not MonitoringCase.objects.exists()


def test_a_household_already_tagged_keeps_its_watch_type(world, clients, own):
    own.tags.add(Tag.objects.get(code="watch-edge"))
    clients["village_cadre"].post(reverse("households:visit-create"), _visit([own], risk_water="on"))
    case = MonitoringCase.objects.get()
    assert case.type.code == "edge" and case.source == MonitoringCase.Source.VISIT
    assert not _inbox(world.users["village_cadre"]).exists()  # they opened it themselves


def test_a_visit_to_several_households_asks_which_one_is_at_risk_and_keeps_the_input(world, clients, own):
    other = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="牛家")
    response = clients["household_head"].post(reverse("households:visit-create"),
                                               _visit([own, other], risk_school="on"))
    body = response.content.decode()
    assert response.status_code == 200 and "请选择有风险的是哪一户" in body
    assert re.search(r'<input[^>]*name="risk_school"[^>]*checked', body)  # what was ticked stays ticked
    assert not Visit.objects.exists() and not MonitoringCase.objects.exists()
    response = clients["household_head"].post(reverse("households:visit-create"),
                                              _visit([own, other], risk_school="on", risk_household=other.pk))
    assert response.status_code == 302
    assert MonitoringCase.objects.get().household == other


def test_the_household_at_risk_must_be_one_of_the_visit(world, clients, own):
    stranger = HouseholdFactory(grid=world.grid_a1)
    other = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    response = clients["village_cadre"].post(reverse("households:visit-create"),
                                             _visit([own, other], risk_income="on", risk_household=stranger.pk))
    assert response.status_code == 200 and "请从本次走访的农户中选择" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_visit_form_offers_the_risk_toggles(world, clients, own):
    body = clients["household_head"].get(reverse("households:visit-create")).content.decode()
    assert 'data-testid="risk-section"' in body
    for label in ("新发大病/住院", "收入骤减/失业", "受灾/意外", "房屋漏雨开裂", "饮水困难", "孩子辍学"):
        assert label in body


def test_the_visit_page_shows_the_households_episode_and_offers_a_lead_only_to_those_who_may_open_one(
        world, clients, own):
    other = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="牛家")
    visit = VisitFactory(grid=world.grid_a1, households=[own, other])
    case = open_case(world.users["staff"], household=own)
    url = reverse("households:visit-detail", args=[visit.pk])
    cadre = clients["village_cadre"].get(url).content.decode()
    assert case.number in cadre
    assert f"?household={other.pk}&amp;visit={visit.pk}" in cadre  # the household without an episode
    assert f"?household={own.pk}&amp;visit={visit.pk}" not in cadre
    head = clients["household_head"].get(url).content.decode()
    assert case.number in head and 'data-testid="raise-monitoring-lead"' not in head
