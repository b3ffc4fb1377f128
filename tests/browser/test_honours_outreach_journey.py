"""红黑榜 by rule: the township's staff write a rule, draft the list and give each entry its reason; a supervisor who
did not draft it approves it; then it shows on the dashboard. And 宣传: a 联户长 ticks the policies explained on a
visit, on a phone, and the reach figure of the village moves."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from households.models import Household
from tests.conftest import login_through_page
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.browser


def test_staff_draft_a_list_a_supervisor_approves_it_and_it_shows_on_the_dashboard(world, live_server, page):
    for i in range(4):
        h = HouseholdFactory(grid=world.grid_a1)
        if i < 3:
            Household.objects.filter(pk=h.pk).update(last_visited_on=timezone.localdate() - dt.timedelta(days=5))
    for _ in range(3):
        HouseholdFactory(grid=world.grid_b1)
    url = live_server.url
    login_through_page(page, url, "staff")
    page.goto(f"{url}/dashboards/")
    expect(page.get_by_test_id("no-published-list")).to_be_visible()
    page.goto(f"{url}/honours/")
    page.get_by_test_id("new-rule").click()
    page.fill("input[name=name]", "村级走访覆盖红黑榜")
    page.select_option("select[name=subject]", "village")
    page.select_option("select[name=metric]", "coverage_90")
    page.fill("input[name=red_count]", "1")
    page.fill("input[name=black_count]", "1")
    page.fill("input[name=min_denominator]", "2")
    page.get_by_test_id("rule-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("rule")).to_contain_text("90天走访覆盖率")
    page.get_by_test_id("draft-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("issue-status")).to_have_text("草稿")
    reasons = page.get_by_test_id("reason")
    expect(reasons).to_have_count(2)
    reasons.nth(0).fill("走访覆盖75%，入户扎实")
    reasons.nth(1).fill("三户均未走访，需限期补访")
    page.get_by_test_id("submit-list").click()
    expect(page.get_by_test_id("issue-status")).to_have_text("待审批")
    expect(page.get_by_test_id("decide-form")).to_have_count(0)  # the drafter does not approve

    login_through_page(page, url, "supervisor")
    page.goto(f"{url}/dashboards/")
    expect(page.get_by_test_id("unpublished-lists")).to_contain_text("村级走访覆盖红黑榜")
    page.get_by_test_id("unpublished-lists").get_by_role("link").first.click()
    page.select_option("select[name=decision]", "approve")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("issue-status")).to_have_text("已发布")
    expect(page.get_by_test_id("board-black")).to_contain_text("柳湾村")

    login_through_page(page, url, "vcadre")
    page.goto(f"{url}/dashboards/")
    card = page.get_by_test_id("published-list")
    expect(card).to_contain_text("村级走访覆盖红黑榜")
    expect(card).to_contain_text("桃源村")
    expect(card).to_contain_text("75.0%（3/4）")
    expect(page.get_by_test_id("unpublished-lists")).to_have_count(0)


def test_a_heads_visit_records_policies_explained_and_the_reach_figure_moves(world, live_server, page):
    HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="赵守田", house_number="一组07号")
    url = live_server.url
    login_through_page(page, url, "staff")
    page.goto(f"{url}/outreach/")
    row = page.get_by_test_id("reach-row").filter(has_text="防范电信网络诈骗")
    expect(row.locator("a").first).to_have_text("0")

    page.set_viewport_size({"width": 360, "height": 740})
    login_through_page(page, url, "head")
    page.goto(f"{url}/households/visits/new/")
    page.get_by_text("赵守田 · 一组07号").click()
    page.locator("[data-step='1'] [data-next]").click()
    page.locator("textarea[name=notes]").fill("宣传防诈骗，提醒不要轻信陌生来电。")
    section = page.get_by_test_id("policy-section")
    section.get_by_text("防范电信网络诈骗").click()
    page.locator("[data-step='2'] [data-next]").click()
    page.get_by_test_id("save-visit").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录宣讲政策：防范电信网络诈骗")
    expect(page.get_by_test_id("policy-panel")).to_contain_text("防范电信网络诈骗")

    page.set_viewport_size({"width": 1280, "height": 900})
    login_through_page(page, url, "staff")
    page.goto(f"{url}/outreach/")
    row = page.get_by_test_id("reach-row").filter(has_text="防范电信网络诈骗")
    expect(row.locator("a").first).to_have_text("1")
    row.locator("a").first.click()
    expect(page.get_by_test_id("reached-row")).to_contain_text("赵守田")
