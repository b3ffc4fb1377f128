"""Sign-in from inside WeCom and DingTalk (OAuth code flow) against a local fake of their OAuth endpoints
(tests/fake_messengers.py): the browser is sent to the authorize page, which sends it back with a code; the code
becomes the person's id on the server side; only an existing login is signed in, with django-axes and the
must-change-password rule as for a password login."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from core import messengers
from governance.models import User
from tests.fake_messengers import FakeMessengers


@pytest.fixture
def fake(settings):
    with FakeMessengers() as server:
        server.configure(settings)
        cache.delete(messengers._wecom_token_key())
        yield server
    cache.delete(messengers._wecom_token_key())


def _follow_authorize(location: str) -> str:
    """What the messenger's authorize page does: answers with a redirect back to us (path and query)."""
    parts = urlsplit(location)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    assert response.status == 302, response.read()
    back = urlsplit(response.getheader("Location"))
    connection.close()
    return f"{back.path}?{back.query}"


def _sign_in(client, fake, provider: str, who: str, next_url: str = ""):
    fake.oauth_user = who
    start = client.get(reverse("sso-start", args=[provider]) + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302 and start["Location"].startswith(fake.base)
    return client.get(_follow_authorize(start["Location"]))


def _link(user, **ids):
    for name, value in ids.items():
        setattr(user, name, value)
    user.save(update_fields=list(ids))
    return user


def test_the_login_page_offers_the_messengers_only_when_configured(client, settings, fake):
    page = client.get(reverse("login")).content.decode()
    assert "企业微信登录" in page and "钉钉登录" in page
    settings.WECOM_SECRET = ""
    settings.DINGTALK_CLIENT_ID = ""
    page = client.get(reverse("login")).content.decode()
    assert "企业微信登录" not in page and "钉钉登录" not in page
    assert client.get(reverse("sso-start", args=["wecom"])).status_code == 404
    assert client.get(reverse("sso-start", args=["nothing"])).status_code == 404


def test_a_member_inside_wecom_is_signed_in_as_their_login_and_lands_where_they_were_going(client, world, fake):
    cadre = _link(world.users["village_cadre"], wecom_userid="ZhangSan")
    response = _sign_in(client, fake, "wecom", "ZhangSan", next_url="/households/")
    assert response.status_code == 302 and response["Location"] == "/households/"
    assert client.get(reverse("home")).wsgi_request.user == cadre


def test_wecom_sign_in_asks_wecom_with_the_applications_token(client, world, fake):
    _link(world.users["staff"], wecom_userid="WangWu")
    _sign_in(client, fake, "wecom", "WangWu")
    _sign_in(client, fake, "wecom", "WangWu")
    assert fake.token_requests == 1  # the token is kept until it expires


def test_an_unknown_wecom_member_gets_a_clear_message_and_no_account(client, world, fake):
    before = User.objects.count()
    response = _sign_in(client, fake, "wecom", "Stranger")
    assert response.status_code == 403
    text = response.content.decode()
    assert "尚未绑定联户通用户" in text and "不会自动创建账号" in text
    assert User.objects.count() == before
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_an_inactive_login_is_not_signed_in(client, world, fake):
    user = _link(world.users["grid_worker"], wecom_userid="LiSi")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _sign_in(client, fake, "wecom", "LiSi").status_code == 403


def test_a_forged_or_replayed_callback_signs_nobody_in(client, world, fake):
    _link(world.users["staff"], wecom_userid="WangWu")
    fake.oauth_user = "WangWu"
    start = client.get(reverse("sso-start", args=["wecom"]))
    back = _follow_authorize(start["Location"])
    forged = back.replace("state=", "state=x")
    response = client.get(forged)
    assert response.status_code == 400 and "登录请求已过期或无效" in response.content.decode()
    assert client.get(back).status_code == 400  # the state was used up by the forged attempt
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_a_login_locked_by_axes_is_not_let_in_through_wecom(client, world, fake, settings):
    staff = _link(world.users["staff"], wecom_userid="WangWu")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": staff.username, "password": "wrong-password"})
    response = _sign_in(client, fake, "wecom", "WangWu")
    assert response.status_code == 429
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_unknown_ids_count_as_failed_attempts_for_axes(client, world, fake, settings):
    statuses = [_sign_in(client, fake, "wecom", "Stranger").status_code for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert statuses == [403] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]  # as a wrong password would


def test_a_user_who_must_change_the_password_is_sent_to_the_password_page(client, world, fake):
    user = _link(world.users["grid_worker"], wecom_userid="LiSi", must_change_password=True)
    assert _sign_in(client, fake, "wecom", "LiSi").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password-change")
    assert response.wsgi_request.user == user


def test_a_person_in_dingtalk_is_signed_in_by_their_union_id(client, world, fake):
    supervisor = _link(world.users["supervisor"], dingtalk_unionid="union-supervisor")
    response = _sign_in(client, fake, "dingtalk", "union-supervisor")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == supervisor


def test_an_unknown_dingtalk_person_gets_a_clear_message(client, world, fake):
    response = _sign_in(client, fake, "dingtalk", "union-nobody")
    assert response.status_code == 403 and "钉钉账号尚未绑定联户通用户" in response.content.decode()


def test_dingtalk_refusing_the_code_is_a_clear_message_not_a_crash(client, world, fake, settings):
    _link(world.users["supervisor"], dingtalk_unionid="union-supervisor")
    settings.DINGTALK_CLIENT_SECRET = "wrong"  # DingTalk answers 400 invalidClientSecret
    response = _sign_in(client, fake, "dingtalk", "union-supervisor")
    assert response.status_code == 502 and "钉钉暂时无法确认您的身份" in response.content.decode()


def test_an_open_redirect_in_next_is_ignored(client, world, fake):
    _link(world.users["staff"], wecom_userid="WangWu")
    response = _sign_in(client, fake, "wecom", "WangWu", next_url="https://evil.example.com/")
    assert response.status_code == 302 and response["Location"] == reverse("home")
