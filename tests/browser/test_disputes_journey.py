"""A dispute's whole life in the browser: registered from a visit by the village cadre, escalated to the township,
mediated by township staff, agreement recorded and printed, followed up and closed."""

import re

import pytest
from playwright.sync_api import expect

from disputes.models import Dispute
from tests.conftest import login_through_page
from tests.disputes.factories import ResidentFactory
from tests.factories import HouseholdFactory, VisitFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def _login(page, live_server, username):
    return login_through_page(page, live_server.url, username)


def test_register_from_a_visit_escalate_mediate_print_follow_up_and_close(world, live_server, page):
    household = HouseholdFactory(grid=world.grid_a1)
    head = ResidentFactory(household=household, name="刘大伯", relation="head")
    neighbour = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="陈二婶", relation="head")
    visit = VisitFactory(grid=world.grid_a1, households=[household], notes="刘大伯反映邻居排水沟冲毁院坝")

    # The village cadre registers the dispute from the visit.
    _login(page, live_server, "vcadre")
    page.goto(f"{live_server.url}/disputes/new/?visit={visit.pk}")
    expect(page.get_by_test_id("from-visit")).to_be_visible()
    expect(page.locator("#id_grid")).to_have_value(str(world.grid_a1.pk))
    expect(page.locator("#id_parties-0-name")).to_have_value("刘大伯")
    page.fill("#id_title", "刘大伯与陈二婶排水沟纠纷")
    page.select_option("#id_kind", "neighbour")
    # The second party is found with the search box (htmx) and picked (disputes.js).
    page.select_option("#id_parties-1-side", "respondent")
    page.fill("#parties-1-search", "陈二")
    page.locator("[data-pick-resident]").filter(has_text="陈二婶").click()
    expect(page.locator("#id_parties-1-name")).to_have_value("陈二婶")
    expect(page.locator("#id_parties-1-resident")).to_have_value(str(neighbour.pk))
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_test_id("dispute-number")).to_have_text(re.compile(r"JF-\d{4}-0001"))
    expect(page.get_by_test_id("parties")).to_contain_text(head.masked_id_number)
    dispute = Dispute.objects.get()
    assert dispute.visit == visit and dispute.parties.count() == 2

    # Accept, then escalate to the township: the cadre keeps seeing it, read-only.
    page.get_by_test_id("action-accept").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("已受理")
    page.get_by_test_id("action-escalate").click()
    page.select_option("#id_to_level", "township")
    page.fill("#id_reason", "涉及两个网格，村级调解难度大")
    page.select_option("#id_handler", str(world.users["staff"].pk))
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("dispute-level")).to_have_text("镇级")
    expect(page.get_by_test_id("read-only")).to_be_visible()
    expect(page.get_by_test_id("actions").get_by_role("link")).to_have_count(0)

    # Township staff mediates.
    _login(page, live_server, "staff")
    page.goto(f"{live_server.url}/disputes/{dispute.pk}/")
    page.get_by_test_id("tab-levels").click()
    expect(page.get_by_test_id("level-history")).to_contain_text("涉及两个网格")
    page.get_by_test_id("action-start-mediation").click()
    page.select_option("#id_method", "people")
    page.fill("#id_mediator_names", "人民调解员李德明")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("调解中")
    page.get_by_test_id("action-session-add").click()
    page.fill("#id_place", "镇综治中心调解室")
    page.fill("#id_participants", "刘大伯、陈二婶、李德明")
    page.fill("#id_content", "双方陈述，调解员释法说理")
    page.get_by_role("button", name="确定").click()
    page.get_by_test_id("action-succeed").click()
    page.fill("#id_terms", "陈二婶于十日内将排水沟改道，刘大伯不再阻拦施工。")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("调解成功")

    # The mediation agreement prints on A4 with parties, terms and signature lines.
    page.get_by_test_id("agreement-print").click()
    expect(page.get_by_test_id("paper")).to_contain_text("人民调解协议书")
    expect(page.get_by_test_id("agreement-committee")).to_have_text("青石镇人民调解委员会")
    expect(page.get_by_test_id("agreement-terms")).to_contain_text("排水沟改道")
    expect(page.get_by_test_id("agreement-party")).to_have_count(2)
    expect(page.locator(".signature-line")).to_have_count(4)  # two parties, the mediator, the recorder
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("paper-toolbar")).to_be_hidden()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="返回纠纷详情").click()

    # Follow-up visit, then closing.
    page.get_by_test_id("action-follow-up").click()
    page.fill("#id_notes", "排水沟已改道，双方和好")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("follow-up")).to_contain_text("排水沟已改道")
    page.get_by_test_id("action-close").click()
    page.get_by_label("合理诉求解决到位").check()  # the 到位 outcome
    page.fill("#id_note", "排水沟已改道，协议已履行")  # fulfilment was recorded as pending: closing says why
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("dispute-status")).to_have_text("已结案")
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.CLOSED and dispute.closing_outcome == "resolved"
    assert dispute.history.count() >= 7
