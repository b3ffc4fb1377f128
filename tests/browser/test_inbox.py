"""A lead official sees the bell's count, opens the inbox, marks a reminder read, and the bell follows."""

import contextlib

import pytest
from playwright.sync_api import expect

from tests.casework.reminder_fixtures import notify
from tests.conftest import login_through_page

pytestmark = pytest.mark.browser


@pytest.fixture
def login(live_server, page):
    """Like conftest's ``browser_login``, but clicks the login form's button: the first submit button on the page
    is the language switch in the navbar."""

    def log_in(username: str):
        return login_through_page(page, live_server.url, username)

    return log_in


def test_the_bell_counts_unread_reminders_and_marking_one_read_updates_it(world, login):
    cadre = world.users["township_cadre"]
    overdue = notify(world, cadre, stage="overdue")
    notify(world, cadre, stage="due_3")
    notify(world, world.users["staff"])  # someone else's: never shown here

    page = login("tcadre")
    expect(page.get_by_test_id("inbox-unread")).to_have_text("2")
    page.get_by_test_id("inbox-bell").click()
    expect(page.get_by_test_id("inbox-item")).to_have_count(2)
    row = page.locator(f"#notification-{overdue.pk}")
    expect(row).to_contain_text("逾期预警")
    expect(row).to_contain_text(overdue.reminder.assignment.case_label)
    row.get_by_test_id("inbox-mark-read").click()
    expect(row.get_by_test_id("inbox-mark-read")).to_have_count(0)
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
    page.get_by_test_id("inbox-read-all").click()
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)


def test_the_inbox_works_on_a_phone_screen(world, login, live_server, page):
    notify(world, world.users["township_cadre"])
    page.set_viewport_size({"width": 360, "height": 740})
    login("tcadre")
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_test_id("inbox-item")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path="/tmp/rem_inbox_360.png", full_page=True)


def test_a_bell_count_still_on_its_way_does_not_overwrite_the_count_after_marking_read(world, login, live_server, page):
    """On a slow link the page's first count may arrive after the user has marked a reminder read: the refresh the
    change asks for replaces it, so the bell does not stay at the old count."""
    cadre = world.users["township_cadre"]
    overdue = notify(world, cadre, stage="overdue")
    notify(world, cadre, stage="due_3")
    login("tcadre")

    held = []

    def hold_the_first_count(route):
        if not held:
            held.append((route, route.fetch()))  # answered by the server now (2 unread), delivered later
            return
        route.continue_()

    page.route("**/inbox/badge/", hold_the_first_count)
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_test_id("inbox-item")).to_have_count(2)
    page.wait_for_timeout(300)
    assert held, "the page asked for its count"
    row = page.locator(f"#notification-{overdue.pk}")
    row.get_by_test_id("inbox-mark-read").click()
    expect(row.get_by_test_id("inbox-mark-read")).to_have_count(0)
    route, response = held[0]
    # The stale count arrives (the browser may already have given up on it, which is the point).
    with contextlib.suppress(Exception):
        route.fulfill(response=response)
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
