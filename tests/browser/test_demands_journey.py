"""A demand from a visit to an approved 销号, in headless Chromium: a 联户长 logs a visit with the demand inside the
visit form, the village cadre follows it up (level, category, deadline, the person responsible) and reports it
handled, the grid worker re-checks it with the resident, township staff ask for 销号 and a supervisor approves."""

import re

import pytest
from playwright.sync_api import expect

from households.models import DemandCategory
from tests.conftest import login_through_page
from tests.households.factories import make_registry

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(world):
    return make_registry(world)


def _login(page, live_server, username):
    return login_through_page(page, live_server.url, username)


def _act(page, name):
    page.get_by_test_id(f"action-{name}").click()
    page.wait_for_load_state()


def test_a_demand_heard_on_a_visit_is_followed_up_and_closed_out(world, registry, live_server, page, settings,
                                                                  tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    roads = DemandCategory.objects.get(code="infrastructure")
    _login(page, live_server, "head")
    page.goto(f"{live_server.url}/households/visits/new/")
    page.get_by_text("李建华 · 一组01号").click()
    page.locator("[data-step='1'] [data-next]").click()
    page.locator("textarea[name=notes]").fill("老人反映入户便道泥泞。")
    page.get_by_test_id("demand-fieldset").get_by_text("有诉求").click()
    page.locator("textarea[name=demand_content]").fill("希望硬化入户便道")
    page.select_option("select[name=demand_category]", str(roads.pk))
    page.locator("[data-step='2'] [data-next]").click()
    page.get_by_test_id("save-visit").click()
    demands = page.get_by_test_id("visit-demands")
    expect(demands).to_contain_text("希望硬化入户便道")
    expect(demands).to_contain_text(re.compile(r"SQ-2026-0001"))
    demands.get_by_role("link", name=re.compile("SQ-2026-0001")).click()
    expect(page.get_by_test_id("demand-status")).to_have_text("待核实")
    url = page.url

    _login(page, live_server, "vcadre")
    page.goto(url)
    _act(page, "follow-up")
    page.select_option("#id_level", "township")
    page.fill("#id_requirement", "协调镇交通办硬化便道")
    page.fill("#id_deadline", "2026-11-27")
    page.select_option("#id_owner", str(world.users["township_cadre"].pk))
    page.fill("#id_responsible_unit", "镇交通办")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("demand-status")).to_have_text("整改中")
    expect(page.get_by_test_id("demand-level")).to_have_text("镇级")
    expect(page.get_by_test_id("demand-category")).to_have_text(roads.name)
    expect(page.get_by_test_id("assignment")).to_contain_text("2026-11-27")
    _act(page, "report")
    page.get_by_text("已解决").click()
    page.fill("#id_measures", "便道已硬化")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("demand-status")).to_have_text("待复查")

    _login(page, live_server, "gworker")
    page.goto(url)
    _act(page, "recheck")
    page.get_by_text("合格", exact=True).click()
    page.fill("#id_note", "回访群众满意")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("demand-status")).to_have_text("待销号")

    _login(page, live_server, "staff")
    page.goto(url)
    _act(page, "request-closeout")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("closeout-pending")).to_be_visible()
    expect(page.get_by_test_id("action-decide-closeout")).to_have_count(0)

    _login(page, live_server, "supervisor")
    page.goto(url)
    _act(page, "decide-closeout")
    page.get_by_text("批准销号").click()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("demand-status")).to_have_text("已销号")
