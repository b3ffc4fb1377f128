"""A 排查 round in the browser: township staff create it, a village cadre submits a 零报告, staff see it come in."""

import pytest
from playwright.sync_api import expect

from casework.models import Campaign
from tests.conftest import login_through_page

pytestmark = pytest.mark.browser


def test_staff_create_a_round_a_village_cadre_submits_a_nil_return_and_staff_see_it(world, live_server, page):
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/rounds/")
    page.get_by_role("link", name="新增", exact=True).click()
    page.wait_for_load_state()
    page.select_option("#id_kind", "disputes")
    page.fill("#id_title", "11月下半月矛盾纠纷排查")
    page.get_by_label("桃源村").check()
    page.get_by_label("柳湾村").check()
    page.fill("#id_starts_on", "2026-11-16")
    page.fill("#id_ends_on", "2026-11-30")
    page.fill("#id_returns_due", "2026-11-30")
    page.get_by_role("button", name="创建排查任务").click()
    expect(page.get_by_test_id("round-title")).to_have_text("11月下半月矛盾纠纷排查")
    expect(page.get_by_test_id("return-line")).to_have_count(2)
    campaign = Campaign.objects.get()

    login_through_page(page, live_server.url, "vcadre")
    page.goto(f"{live_server.url}/rounds/")
    page.get_by_role("link", name="11月下半月矛盾纠纷排查").click()
    expect(page.get_by_test_id("return-line")).to_have_count(1)  # their own village only
    page.get_by_test_id("return-fill").click()
    page.fill("#id_checked_count", "46")
    page.fill("#id_checked_note", "走访全村46户，未发现矛盾纠纷")
    page.get_by_label("零报告：未发现问题").check()
    page.get_by_test_id("return-submit").click()
    expect(page.get_by_test_id("round-title")).to_be_visible()

    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    line = page.get_by_test_id("return-line").filter(has_text="桃源村")
    expect(line.get_by_test_id("zero-report")).to_have_text("零报告")
    expect(line).to_contain_text("按时上报")
    expect(line).to_contain_text("46")
    expect(page.get_by_test_id("round-totals")).to_contain_text("已报1份")
