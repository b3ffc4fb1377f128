"""A person logs in through the real login page in headless Chromium and sees the Chinese navigation."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, login_through_page

pytestmark = pytest.mark.browser


def test_staff_logs_in_through_the_login_page_and_sees_the_chinese_navigation(world, browser_login):
    page = browser_login("staff")
    assert page.url.endswith("/")
    nav = page.locator("nav.navbar")
    assert "联户通" in nav.inner_text()
    assert "退出登录" in page.content()
    assert "镇综治中心工作人员" in page.get_by_test_id("current-user").inner_text()


def test_wrong_password_stays_on_the_login_page_with_a_chinese_message(world, browser_login):
    page = browser_login("staff", "not-the-password")
    assert "/accounts/login/" in page.url
    assert "请输入一个正确的" in page.content()
    assert page.input_value("input[name=username]") == "staff"


def test_the_layout_fits_a_360_pixel_phone(world, browser_login, page, tmp_path):
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login("staff")
    page.screenshot(path=str(tmp_path / "home-360.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.click("button.navbar-toggler")
    # Bootstrap marks the menu .show once its opening transition has ended: a click on the user menu while it still
    # slides in can land before the dropdown is ready and open nothing (seen once on a loaded machine).
    page.locator("#main-nav.show").wait_for()
    page.get_by_test_id("current-user").click()
    page.get_by_test_id("logout").wait_for(state="visible")
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    assert "/accounts/login/" in page.url


def test_language_switch_turns_the_page_english(world, browser_login):
    page = browser_login("staff")
    with page.expect_navigation():
        page.get_by_test_id("language-switch").locator("button").click()
    assert "Log out" in page.content()
    with page.expect_navigation():
        page.get_by_test_id("language-switch").locator("button").click()
    assert "退出登录" in page.content()


def test_when_the_session_has_ended_the_bell_sends_the_page_to_the_login_and_back_after_it(
        world, browser_login, live_server, page):
    browser_login("staff")
    page.goto(f"{live_server.url}/disputes/?status=open")
    page.wait_for_load_state("networkidle")
    # The session ends (as after 30 idle minutes) while the page stays open; then the bell asks for its count.
    page.context.clear_cookies(name="sessionid")
    with page.expect_navigation(url="**/accounts/login/?next=/disputes/%3Fstatus%3Dopen"):
        page.evaluate("htmx.trigger(document.body, 'inbox-changed')")
    expect(page.locator("nav.navbar")).to_have_count(1)  # the login page, not a page inside the bell
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation(url="**/disputes/?status=open"):
        page.click("#login-form button[type=submit]")


def test_a_login_form_left_open_while_another_tab_logged_in_says_the_page_expired(world, browser_login, live_server,
                                                                                  page):
    page.goto(f"{live_server.url}/accounts/login/?next=/disputes/")
    other = page.context.new_page()  # another tab of the same browser logs in: the CSRF cookie changes
    login_through_page(other, live_server.url, "supervisor")
    other.close()
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    expect(page.get_by_test_id("csrf-failure")).to_have_text("页面已过期")
    # Opened again, the login page finds the other tab's login and goes on to where this one was going.
    with page.expect_navigation(url="**/disputes/"):
        page.get_by_test_id("csrf-again").click()
    expect(page.get_by_test_id("current-user")).to_be_attached()
