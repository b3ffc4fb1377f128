"""A hazard from report to approved close-out, in headless Chromium: a grid worker reports it, township staff verify
it with a deadline (包案), the worker reports the rectification, staff re-check and fail it (a new round with a new
deadline), the worker rectifies again, staff pass it, the worker asks for 销号 and a supervisor approves."""

import re

import pytest
from playwright.sync_api import expect

from hazards.models import HazardField
from tests.conftest import login_through_page

pytestmark = pytest.mark.browser


def _login(page, live_server, username):
    return login_through_page(page, live_server.url, username)


def _act(page, name):
    page.get_by_test_id(f"action-{name}").click()
    page.wait_for_load_state()


def test_a_hazard_from_report_to_approved_close_out(world, live_server, page):
    gas = HazardField.objects.get(code="gas")
    _login(page, live_server, "gworker")
    page.goto(f"{live_server.url}/hazards/new/")
    page.wait_for_load_state("networkidle")
    # The worker's only village is chosen already, its grids listed: nothing to load (the form works offline).
    expect(page.locator("#id_village")).to_have_value(str(world.village_a.pk))
    expect(page.locator(f"#id_grid option[value='{world.grid_a1.pk}']")).to_have_count(1)
    page.select_option("#id_grid", str(world.grid_a1.pk))
    page.select_option("#id_field", str(gas.pk))
    page.fill("#id_description", "液化气罐放在灶台下方，无减压阀")
    page.fill("#id_party_name", "王建国")
    page.fill("#id_party_phone", "13812345678")
    page.get_by_test_id("hazard-form").get_by_role("button", name="上报").click()
    expect(page.get_by_test_id("hazard-number")).to_have_text(re.compile(r"YH-2026-0001"))
    expect(page.get_by_test_id("hazard-status")).to_have_text("待核实")
    expect(page.get_by_test_id("party")).to_contain_text("138****5678")
    url = page.url

    _login(page, live_server, "staff")
    page.goto(url)
    _act(page, "verify")
    page.fill("#id_requirement", "液化气罐移至通风处，加装减压阀")
    page.fill("#id_deadline", "2026-11-27")
    page.select_option("#id_lead", str(world.users["supervisor"].pk))
    page.fill("#id_responsible_unit", "镇安办")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("整改中")
    expect(page.get_by_test_id("assignment")).to_contain_text("2026-11-27")

    def rectify(measures):
        _login(page, live_server, "gworker")
        page.goto(url)
        _act(page, "complete")
        page.fill("#id_done_on", "2026-11-20")
        page.fill("#id_measures", measures)
        page.get_by_role("button", name="确定").click()
        expect(page.get_by_test_id("hazard-status")).to_have_text("待复查")
        expect(page.get_by_test_id("action-recheck")).to_have_count(0)  # the checker is someone else

    rectify("已移走液化气罐")
    _login(page, live_server, "staff")
    page.goto(url)
    _act(page, "recheck")
    page.fill("#id_on", "2026-11-20")
    page.check("#id_passed_1")
    page.fill("#id_note", "仍未加装减压阀")
    page.fill("#id_new_deadline", "2026-11-25")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("整改中")
    expect(page.get_by_test_id("hazard-round")).to_have_text("第 2 轮")
    expect(page.get_by_test_id("deadline")).to_have_text("2026-11-25")

    rectify("已加装减压阀")
    _login(page, live_server, "staff")
    page.goto(url)
    _act(page, "recheck")
    page.fill("#id_on", "2026-11-20")
    page.check("#id_passed_0")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("待销号")
    expect(page.get_by_test_id("recheck-row")).to_have_count(2)

    _login(page, live_server, "gworker")
    page.goto(url)
    _act(page, "request-closeout")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("closeout-pending")).to_be_visible()
    expect(page.get_by_test_id("action-decide-closeout")).to_have_count(0)  # not theirs to approve

    _login(page, live_server, "supervisor")
    page.goto(url)
    _act(page, "decide-closeout")
    page.get_by_test_id("action-form").get_by_label("批准销号").check()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("hazard-status")).to_have_text("已销号")
    expect(page.get_by_test_id("closeout-row")).to_contain_text("已批准")
