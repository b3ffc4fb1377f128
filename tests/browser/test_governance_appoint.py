"""Township staff appoint a household head (聘任) through the pages, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from governance.models import HouseholdHead

pytestmark = pytest.mark.browser


def _log_in(page, live_server, username: str) -> None:
    # The login form's own button: the navigation bar has a submit button too (the language switch).
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def test_township_staff_appoints_a_household_head_through_the_pages(world, live_server, page):
    _log_in(page, live_server, "staff")
    page.click("text=组织架构")
    expect(page.get_by_test_id("organisation-nav")).to_be_visible()
    page.click("[data-testid=organisation-nav] >> text=网格")
    page.get_by_role("link", name="第二网格").click()
    page.click("text=聘任联户长")
    # htmx wires the selects when the page has loaded: a change made before that would go unheard.
    page.wait_for_url(re.compile(r".*/org/heads/new/.*"))
    page.wait_for_load_state("load")

    # The village select narrows the grid options through htmx (no inline script under the CSP).
    grid_select = page.locator("select[name=grid]")
    page.select_option("select[name=village]", label="柳湾村")
    expect(grid_select.locator("option")).to_have_count(2)
    page.select_option("select[name=village]", label="桃源村")
    expect(grid_select.locator("option")).to_have_count(3)
    page.select_option("select[name=grid]", label="桃源村 第二网格")

    page.fill("input[name=name]", "李秀英")
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=appointed_on]", "2026-03-01")
    page.fill("input[name=term_ends_on]", "2029-02-28")
    page.fill("input[name=certificate_number]", "QSZ-LHZ-2026-00077")
    page.click("[data-testid=submit]")

    expect(page.get_by_test_id("head-status")).to_have_text("在任")
    expect(page.get_by_test_id("head-terms")).to_contain_text("QSZ-LHZ-2026-00077")
    page.get_by_test_id("history-tab").click()
    expect(page.get_by_test_id("history")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text("创建")

    head = HouseholdHead.objects.get(certificate_number="QSZ-LHZ-2026-00077")
    assert head.grid == world.grid_a2 and head.name == "李秀英"


def test_the_organisation_pages_fit_a_360_px_phone(world, live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, "vcadre")
    for path in ("/org/villages/", "/org/grids/", "/org/heads/", f"/org/heads/{world.head_a1.pk}/"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
