"""A 联户长 ticks 新发大病/住院 on a visit, on a phone; the village cadre finds the new lead in their inbox and on the
monitoring list."""

import pytest
from playwright.sync_api import expect

from monitoring.models import MonitoringCase
from tests.conftest import login_through_page
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.browser


def test_a_household_head_ticks_new_illness_and_the_village_cadre_sees_the_lead(world, live_server, page):
    HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="赵守田", house_number="一组07号")
    page.set_viewport_size({"width": 360, "height": 740})
    login_through_page(page, live_server.url, "head")
    page.goto(f"{live_server.url}/households/visits/new/")
    page.get_by_text("赵守田 · 一组07号").click()
    page.locator("[data-step='1'] [data-next]").click()
    page.locator("textarea[name=notes]").fill("户主突发脑梗住院，家中无人务工。")
    section = page.get_by_test_id("risk-section")
    expect(section).to_contain_text("发现风险")
    section.get_by_text("新发大病/住院").click()
    page.locator("[data-step='2'] [data-next]").click()
    page.get_by_test_id("save-visit").click()
    expect(page.locator(".alert-success")).to_contain_text("已生成防返贫监测线索")
    expect(page.get_by_test_id("visit-monitoring")).to_contain_text("由本次走访生成")
    number = MonitoringCase.objects.get().number

    page.set_viewport_size({"width": 1280, "height": 900})
    login_through_page(page, live_server.url, "vcadre")
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
    page.get_by_test_id("inbox-bell").click()
    item = page.get_by_test_id("inbox-item")
    expect(item).to_contain_text(number)
    expect(item).to_contain_text("包案交办给您")
    item.get_by_test_id("inbox-case").click()
    expect(page.get_by_test_id("case-number")).to_have_text(number)
    expect(page.get_by_test_id("case-status")).to_have_text("线索")

    page.goto(f"{live_server.url}/monitoring/")
    expect(page.get_by_role("link", name=number)).to_be_visible()
