"""County staff in the browser (issue 21): log in, see the disputes of two townships, act on the one escalated to the
county (accept, mediate, record the agreement), and find the townships side by side on the county overview."""

import pytest
from playwright.sync_api import expect

from disputes.models import Dispute
from governance.models import Village
from tests.conftest import login_through_page
from tests.disputes.factories import DisputeFactory

pytestmark = pytest.mark.browser


def test_county_staff_see_two_townships_and_handle_a_county_level_dispute(world, county, live_server, page):
    staff = world.users["staff"]
    escalated = DisputeFactory(grid=world.grid_a1, title="青石镇两村山林权属纠纷")
    escalated.change_level(by=staff, to_level=Dispute.Level.COUNTY, reason="跨村山林权属，镇级难以化解",
                           handler=world.users["county_staff"])
    other_village = Village.objects.create(township=world.other_township, name="石坎村")
    DisputeFactory(grid__village=other_village, title="白马镇水渠纠纷")

    login_through_page(page, live_server.url, "cstaff")
    page.goto(f"{live_server.url}/disputes/")
    expect(page.get_by_text("青石镇两村山林权属纠纷")).to_be_visible()
    expect(page.get_by_text("白马镇水渠纠纷")).to_be_visible()

    page.goto(f"{live_server.url}/disputes/{escalated.pk}/")
    expect(page.get_by_test_id("dispute-level")).to_have_text("县级")
    page.get_by_test_id("action-accept").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("已受理")
    page.get_by_test_id("action-start-mediation").click()
    page.select_option("#id_method", "administrative")
    page.fill("#id_mediator_names", "县综治中心调解员王平")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("调解中")
    page.get_by_test_id("action-succeed").click()
    page.fill("#id_terms", "以一九八二年林权证四至为界，双方共同立桩。")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("调解成功")
    escalated.refresh_from_db()
    assert escalated.resolved_level == Dispute.Level.COUNTY

    # The township reads it, read-only.
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/disputes/{escalated.pk}/")
    expect(page.get_by_test_id("read-only")).to_be_visible()

    # The county overview puts the two townships side by side.
    login_through_page(page, live_server.url, "cstaff")
    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_test_id("county-overview").click()
    expect(page.get_by_test_id("county-row")).to_have_count(2)
    expect(page.get_by_test_id("ranking-rule")).to_be_visible()
