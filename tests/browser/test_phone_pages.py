"""Every role's main pages on a 360 px phone: nothing runs off the screen sideways (wide tables scroll inside
their own box), the filters of a list fold behind one button, and a sub-navigation that scrolls shows it."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from governance.models import User

pytestmark = pytest.mark.browser

OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.overflow-auto, .table-responsive'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 5)"""
DETAIL = re.compile(r"^/[a-z-]+/(?:[a-z-]+/)?\d+/$")


@pytest.fixture
def demo(transactional_db, today):
    call_command("seed_demo", "--households", "60", "--townships", "2", "--seed", "11", "--today", today.isoformat(),
                 verbosity=0)


def _log_in(page, live_server, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    page.goto("about:blank")  # the page before is left first (tests/conftest.py, login_through_page)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])


def _main_pages(page, live_server) -> list[str]:
    """Home, each section of the menu, and the first object's page of each section's list."""
    page.goto(live_server.url + "/")
    sections = page.eval_on_selector_all("[data-testid=nav-sections] a", "links => links.map(a => a.pathname)")
    pages = ["/", *sections]
    for section in sections:
        page.goto(live_server.url + section)
        links = page.eval_on_selector_all("main table a", "links => links.map(a => a.pathname)")
        pages += [link for link in links if DETAIL.match(link)][:1]
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize("username", ["staff", "leader", "village", "grid", "head", "county"])
def test_no_page_of_a_role_runs_off_a_phone_screen(demo, live_server, page, username):
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, username)
    wide = {}
    for path in _main_pages(page, live_server):
        page.goto(live_server.url + path)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            wide[path] = page.evaluate(OVERFLOWING)
    assert not wide, "\n".join(f"{path}: {offenders}" for path, offenders in wide.items())


def test_on_a_phone_the_filters_fold_and_the_subnavigation_shows_it_scrolls(demo, live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, "staff")
    page.goto(live_server.url + "/households/residents/")
    filters = page.get_by_test_id("filters")
    expect(filters).to_be_hidden()
    page.get_by_test_id("filters-toggle").click()
    expect(filters).to_be_visible()
    # A sub-navigation wider than the screen scrolls inside itself, with shadows at the edge that say so.
    subnav = page.get_by_test_id("households-subnav")
    assert subnav.evaluate("n => n.scrollWidth > n.clientWidth")
    assert "radial-gradient" in subnav.evaluate("n => getComputedStyle(n).backgroundImage")
    # A filter in use keeps the filters open, the button says how many.
    page.goto(live_server.url + "/households/residents/?status=migrant_worker")
    expect(page.get_by_test_id("filters")).to_be_visible()
    expect(page.get_by_test_id("filters-toggle")).to_contain_text("已用 1 项")


def test_on_a_wide_screen_the_filters_are_always_shown(demo, live_server, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_server, "staff")
    page.goto(live_server.url + "/disputes/")
    expect(page.get_by_test_id("filters")).to_be_visible()
    expect(page.get_by_test_id("filters-toggle")).to_be_hidden()


def test_the_chosen_visit_method_is_visibly_chosen_and_the_menu_says_visits(demo, live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    _log_in(page, live_server, "head")
    page.goto(live_server.url + "/households/visits/new/")
    page.locator(".household-choice label").first.click()  # a 联户长 is offered their own households
    page.locator("[data-step='1'] [data-next]").click()
    modes = page.get_by_test_id("visit-mode")
    phone_call = modes.locator("label", has_text="电话走访")
    before = phone_call.evaluate("l => getComputedStyle(l).backgroundColor")
    phone_call.click()
    expect(modes.locator("input:checked + label")).to_have_text(re.compile("电话走访"))
    expect(phone_call).not_to_have_css("background-color", before)  # filled (after Bootstrap's transition)
    page.locator(".navbar-toggler").click()
    expect(page.locator("[data-testid=nav-sections] .nav-link.active")).to_have_text("走访")
