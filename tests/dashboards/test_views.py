"""The dashboard page and the assignment list: scoping, roles, methods, the filter form."""

import re

import pytest
from django.urls import reverse

from casework.models import ResponsibilityAssignment
from tests.factories import UserFactory

from .conftest import ON_TODAY

pytestmark = ON_TODAY

HOME = "dashboards:home"
ASSIGNMENTS = "dashboards:assignments"


def _counts(response) -> dict:
    return {card["key"]: card["count"] for card in response.context["data"]["cards"]}


@pytest.mark.parametrize("who", ["staff", "supervisor", "township_cadre", "village_cadre", "grid_worker",
                                 "household_head", "outsider"])
def test_every_role_gets_its_dashboard(world, township, clients, who):
    response = clients[who].get(reverse(HOME))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="card-' in body
    if who == "household_head":
        assert "echarts" not in body and 'id="dashboard-charts"' not in body
    else:
        assert 'id="dashboard-charts" type="application/json"' in body
        assert "vendor/echarts/echarts.min.js" in body and "js/dashboards.js" in body


def test_the_page_has_no_inline_script_or_style(world, township, clients):
    body = clients["staff"].get(reverse(HOME)).content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert 'style="' not in body


@pytest.mark.parametrize("name", [HOME, ASSIGNMENTS])
def test_the_dashboard_pages_answer_405_to_post(world, clients, name):
    assert clients["staff"].post(reverse(name)).status_code == 405


def test_household_heads_get_403_on_the_assignment_list(world, township, clients):
    assert clients["household_head"].get(reverse(ASSIGNMENTS)).status_code == 403
    assert clients["village_cadre"].get(reverse(ASSIGNMENTS)).status_code == 200


def test_another_villages_filter_cannot_widen_a_cadres_dashboard(world, township, clients):
    client = clients["village_cadre"]
    mine = _counts(client.get(reverse(HOME)))
    asked = client.get(reverse(HOME), {"village": world.village_b.pk, "grid": world.grid_b1.pk})
    assert _counts(asked) == mine
    assert asked.context["filters"].village is None
    village_options = {str(v) for v, _label in asked.context["form"].fields["village"].widget.choices if v}
    assert village_options == {str(world.village_a.pk)}


def test_the_assignment_list_shows_a_cadre_only_their_village(world, township, clients):
    response = clients["village_cadre"].get(reverse(ASSIGNMENTS))
    villages = {a.village_id for a in response.context["table"].data.data}
    assert villages == {world.village_a.pk}
    other = clients["village_cadre"].get(reverse(ASSIGNMENTS), {"village": world.village_b.pk})
    assert other.context["table"].paginator.count == 0


def test_the_assignment_list_filters_by_state_supervision_case_and_village(world, township, clients):
    client = clients["staff"]

    def count(**params):
        return client.get(reverse(ASSIGNMENTS), params).context["table"].paginator.count

    assert count() == 4
    assert (count(state="overdue"), count(state="open"), count(state="closed")) == (3, 4, 0)
    assert (count(supervised="yes"), count(supervised="no")) == (2, 2)
    assert (count(case="dispute"), count(case="petition")) == (3, 1)
    assert (count(village=world.village_a.pk), count(village="null")) == (2, 0)
    body = client.get(reverse(ASSIGNMENTS), {"state": "overdue"}).content.decode()
    assert body.count('data-testid="assignment-row"') == 3 and "96" in body


def test_a_lead_official_reaches_their_assignments_outside_their_scope(world, township):
    a = ResponsibilityAssignment.objects.get(case_label__startswith=township.disputes["d6"].number)
    a.team.add(world.users["village_cadre"], world.users["grid_worker"])
    visible = ResponsibilityAssignment.objects.visible_to(world.users["village_cadre"])
    assert a in visible and visible.count() == 3  # village A's two and d6 (village B), each once
    everyone = ResponsibilityAssignment.objects.visible_to(UserFactory(is_superuser=True, township=None))
    assert everyone.count() == 4


def test_the_period_form_reports_an_end_before_the_start(world, township, clients):
    response = clients["staff"].get(reverse(HOME), {"start": "2026-10-01", "end": "2026-09-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert response.context["filters"].end is None


def test_all_time_is_an_empty_start(world, township, clients):
    data = clients["staff"].get(reverse(HOME), {"start": ""}).context["data"]
    cards = {card["key"]: card for card in data["cards"]}
    assert cards["success_rate"]["count"] == 3
    assert "registered_from" not in cards["success_rate"]["url"]


def test_a_county_wide_administrator_picks_the_township_before_the_village(world, township, clients):
    from django.test import Client

    admin = UserFactory(is_superuser=True, township=None)
    client = Client()
    client.force_login(admin)
    form = client.get(reverse(HOME)).context["form"]
    assert "township" in form.fields
    assert [v for v, _label in form.fields["village"].widget.choices if v] == []
    form = client.get(reverse(HOME), {"township": world.township.pk}).context["form"]
    assert {str(v) for v, _label in form.fields["village"].widget.choices if v} == {
        str(world.village_a.pk), str(world.village_b.pk)}
    assert "township" not in clients["staff"].get(reverse(HOME)).context["form"].fields
