"""A monitored household's entry in the browser: the village cadre opens a lead, verifies it at home and starts the
publicity; after it township staff pass the township review and county staff record the county's approval; the
household is monitored (and tagged), and a measure of its plan is done."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from monitoring.models import MonitoringCase, MonitoringType
from tests.conftest import login_through_page
from tests.factories import HouseholdFactory
from tests.monitoring.factories import category

pytestmark = pytest.mark.browser


def _action(page, name):
    page.get_by_test_id(f"action-{name}").click()
    page.wait_for_load_state()


def test_lead_verify_publicity_township_county_monitored_then_a_measure_done(world, county, live_server, page,
                                                                            today):
    household = HouseholdFactory(grid=world.grid_a1, head_name="赵守田")

    login_through_page(page, live_server.url, "vcadre")
    page.goto(f"{live_server.url}/monitoring/new/?household={household.pk}")
    page.select_option("#id_type", str(MonitoringType.objects.get(code="edge").pk))
    page.select_option("#id_source", "visit")
    page.fill("#id_lead_note", "户主住院，自付医疗费用较高")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("case-number")).to_have_text(re.compile(r"FP-\d{4}-0001"))
    expect(page.get_by_test_id("case-status")).to_have_text("线索")
    expect(page.get_by_test_id("decision-deadline")).to_have_text((today + dt.timedelta(days=15)).isoformat())

    _action(page, "verify")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("case-status")).to_have_text("入户核实")

    # A publicity of four days is refused, the dates typed are kept; five days are taken.
    _action(page, "start-publicity")
    page.fill("#id_starts_on", (today - dt.timedelta(days=6)).isoformat())
    page.fill("#id_ends_on", (today - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("action-form")).to_contain_text("公示不少于5天")
    expect(page.locator("#id_starts_on")).to_have_value((today - dt.timedelta(days=6)).isoformat())
    page.fill("#id_ends_on", (today - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("case-status")).to_have_text("评议公示")
    _action(page, "end-publicity")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("case-status")).to_have_text("镇初审")
    # The township's steps are not the village cadre's.
    expect(page.get_by_test_id("action-township-approve")).to_have_count(0)

    case = MonitoringCase.objects.get()
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    _action(page, "township-approve")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("case-status")).to_have_text("县审定")
    # The county's decision is the county's: the township has no button for it.
    expect(page.get_by_test_id("action-county-approve")).to_have_count(0)
    login_through_page(page, live_server.url, "cstaff")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    _action(page, "county-approve")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("case-status")).to_have_text("监测帮扶中")
    assert household.tags.filter(code="watch-edge").exists()
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")

    # A measure of the plan, then done.
    page.get_by_test_id("measure-add").click()
    page.select_option("#id_category", str(category("public-job").pk))
    page.fill("#id_what", "安排护林员公益性岗位")
    page.fill("#id_owner_name", "村委会")
    page.fill("#id_planned_on", (today + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("measures-deadline")).to_have_text((today + dt.timedelta(days=10)).isoformat())
    page.get_by_test_id("measure-done").click()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("measure-done")).to_have_count(0)
    expect(page.get_by_test_id("measures-deadline")).to_have_count(0)
    assert case.measures.get().done_on == today
