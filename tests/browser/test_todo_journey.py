"""Each role's 待办 and a hand-over notice, in headless Chromium (#29 items 1 and 2): a village cadre on a phone finds an
overdue 包案 and a door to knock on at home and follows both links; a supervisor assigns a 包案 and its lead official
finds it in the inbox and opens the case."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disputes.services import dispute_assign
from tests.conftest import login_through_page
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.factories import HouseholdFactory, tag, tag_with

pytestmark = pytest.mark.browser


def test_a_village_cadre_sees_an_overdue_case_and_a_due_household_at_home_and_follows_them(world, live_server, page):
    today = timezone.localdate()
    dispute = DisputeFactory(grid=world.grid_a1, title="水渠放水纠纷")
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["village_cadre"],
                   responsible_unit="桃源村调委会", deadline=today - dt.timedelta(days=2))
    lonely = HouseholdFactory(grid=world.grid_a1, head_name="独居王婆婆")
    tag_with(lonely, tag("elderly-alone"))

    page.set_viewport_size({"width": 360, "height": 740})
    login_through_page(page, live_server.url, "vcadre")
    page.goto(f"{live_server.url}/")
    overdue = page.get_by_test_id("todo-overdue_mine")
    expect(overdue.get_by_test_id("todo-count")).to_have_text("1")
    expect(page.get_by_test_id("todo-past_cadence").get_by_test_id("todo-count")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    overdue.get_by_role("link").click()
    page.wait_for_url("**/dashboards/assignments/**")
    expect(page.get_by_test_id("assignment-row")).to_have_count(1)
    expect(page.get_by_test_id("assignment-row")).to_contain_text("水渠放水纠纷")

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("todo-past_cadence").get_by_role("link").click()
    page.wait_for_url("**/households/coverage/past-cadence/")
    expect(page.get_by_text("独居王婆婆")).to_be_visible()


def test_a_supervisor_assigns_a_case_and_the_lead_finds_it_in_the_inbox(world, live_server, page):
    dispute = DisputeFactory(grid=world.grid_a1, title="宅基地界址纠纷", risk="major")
    PartyFactory(dispute=dispute)

    login_through_page(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/disputes/{dispute.pk}/assignment/")
    page.select_option("#id_lead", str(world.users["township_cadre"].pk))
    page.fill("#id_responsible_unit", "镇司法所")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("assignment")).to_contain_text("镇司法所")

    login_through_page(page, live_server.url, "tcadre")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
    page.get_by_test_id("inbox-bell").click()
    item = page.get_by_test_id("inbox-item").filter(has_text="宅基地界址纠纷")
    expect(item.get_by_test_id("inbox-kind")).to_have_text("包案交办给您")
    item.get_by_test_id("inbox-case").click()
    page.wait_for_url(f"**/disputes/{dispute.pk}/")
    expect(page.get_by_test_id("assignment")).to_contain_text("镇司法所")
