"""A person logs in through the real login page in headless Chromium and sees the Chinese navigation."""

import pytest

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
