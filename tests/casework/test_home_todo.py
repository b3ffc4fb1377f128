"""Home is each role's 待办 (#29 item 2): overdue and due-this-week 包案 I answer for, what awaits my approval, the doors
to knock on, returns due, open demands; every line's count equals the list its link opens, for every role."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.rounds import campaign_create
from disputes.services import dispute_assign
from petitions import services as petition_services
from petitions.models import CloseOut, Petition
from tests.dashboards.conftest import ON_TODAY, TODAY, build_township
from tests.disputes.factories import DisputeFactory
from tests.petitions.factories import advance as petition_advance
from tests.petitions.factories import assign as petition_assign
from tests.petitions.factories import register

pytestmark = ON_TODAY

ROLES = ["staff", "supervisor", "township_cadre", "village_cadre", "village_cadre_b", "grid_worker", "grid_worker_a2",
         "household_head", "county_staff", "county_leader"]


@pytest.fixture
def busy(world, county):
    """The dashboards' township, plus: an overdue 包案 led by the village cadre of A in village B, one due in three
    days with the grid worker of A1 in its team, a 排查 round with returns due in five days, a petition close-out
    waiting for the supervisor, and the demands of a shared visit in A1."""
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    build_township(world)
    dispute_assign(dispute=DisputeFactory(grid=world.grid_b1, title="新民村的包案"), by=staff,
                   lead=world.users["village_cadre"], responsible_unit="镇综治中心", deadline=TODAY - dt.timedelta(days=3))
    dispute_assign(dispute=DisputeFactory(grid=world.grid_a1, title="本周到期"), by=staff, lead=supervisor,
                   team=[world.users["grid_worker"]], responsible_unit="镇司法所", deadline=TODAY + dt.timedelta(days=3))
    campaign_create(by=staff, township=world.township, kind="disputes", title="十一月矛盾纠纷排查",
                    villages=[world.village_a, world.village_b], starts_on=TODAY - dt.timedelta(days=5),
                    ends_on=TODAY + dt.timedelta(days=4), returns_due=TODAY + dt.timedelta(days=5))
    petition = register(by=staff, village=world.village_a)
    petition_assign(petition, by=staff, lead=world.users["township_cadre"])
    petition = petition_advance(petition, Petition.Status.REPLIED, staff=staff, supervisor=supervisor)
    petition_services.petition_closeout_request(petition=petition, by=staff, outcome=CloseOut.Outcome.RESOLVED)
    world.shared_visit()
    return world


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "table" in context:
        return context["table"].paginator.count
    return len(context["items"])  # the 待我审批 list


@pytest.mark.parametrize("who", ROLES)
def test_every_line_of_the_home_page_leads_to_a_list_with_the_same_count(busy, clients, who,
                                                                         django_assert_max_num_queries):
    client = clients[who]
    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))
    lines = response.context["todo"]
    assert lines, who
    for line in lines:
        assert _list_count(client, line.url) == line.count, (who, line.key, line.url)
    body = response.content.decode()
    for line in lines:
        assert f'data-testid="todo-{line.key}"' in body


def _counts(client) -> dict:
    return {line.key: line.count for line in client.get(reverse("home")).context["todo"]}


def test_each_role_sees_what_it_must_do(busy, clients):
    village_cadre = _counts(clients["village_cadre"])
    assert village_cadre["overdue_mine"] == 1  # the 包案 of village B they lead
    assert village_cadre["returns_due"] == 1  # their village's return
    assert village_cadre["past_cadence"] == 2  # h3 (lives alone) and h4 (subsistence) in village A
    assert village_cadre["open_demands"] == 2
    assert village_cadre["approvals"] == 0
    supervisor = _counts(clients["supervisor"])
    assert supervisor["approvals"] == 1 and supervisor["due_week_mine"] == 1
    assert supervisor["overdue_mine"] == 2  # d4 and d6 (p2 is led by the staff)
    assert "past_cadence" not in supervisor
    grid_worker = _counts(clients["grid_worker"])
    assert grid_worker["due_week_mine"] == 1 and grid_worker["past_cadence"] == 1  # h3 in A1
    head = _counts(clients["household_head"])
    assert set(head) == {"past_cadence", "open_demands"}
    assert head["open_demands"] == 1  # the demand of their own household only


def test_the_home_page_fits_a_phone_and_names_the_lines_in_chinese(busy, clients):
    body = clients["village_cadre"].get(reverse("home")).content.decode()
    assert "我的待办" in body and "超期" in body
