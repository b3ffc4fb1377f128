"""A cadre opens the product inside WeCom (or DingTalk): the login page's button takes the real browser through the
messenger's authorize page (a local fake of its OAuth endpoints) and back, signed in as their own login."""

import re

import pytest
from django.core.cache import cache

from core import messengers
from tests.fake_messengers import FakeMessengers

pytestmark = pytest.mark.browser


@pytest.fixture
def fake(settings, live_server):
    with FakeMessengers() as server:
        server.configure(settings)
        settings.SITE_URL = live_server.url
        cache.delete(messengers._wecom_token_key())
        yield server


@pytest.mark.parametrize(("provider", "field", "button"), [
    ("wecom", "wecom_userid", "企业微信登录"), ("dingtalk", "dingtalk_unionid", "钉钉登录")])
def test_a_cadre_signs_in_from_the_messenger_and_an_unknown_person_is_told_why_not(
        world, live_server, page, fake, provider, field, button):
    cadre = world.users["village_cadre"]
    setattr(cadre, field, "cadre-in-messenger")
    cadre.save(update_fields=[field])
    fake.oauth_user = "cadre-in-messenger"
    page.goto(f"{live_server.url}/accounts/login/")
    # WeCom's authorize address ends in #wechat_redirect: a browser keeps that fragment through the redirects.
    home = re.compile("^" + re.escape(live_server.url) + "/(#wechat_redirect)?$")
    with page.expect_navigation(url=home):
        page.get_by_role("link", name=button).click()
    assert cadre.display_name in page.get_by_test_id("current-user").inner_text() or "村干部" in page.content()

    page.goto("about:blank")  # the page before is left first (tests/conftest.py, login_through_page)
    page.context.clear_cookies()
    fake.oauth_user = "stranger"
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_test_id(f"sso-{provider}").click()
    page.get_by_test_id("sso-error").wait_for()
    assert "尚未绑定联户通用户" in page.get_by_test_id("sso-error").inner_text()
    assert page.locator("input[name=username]").is_visible()
