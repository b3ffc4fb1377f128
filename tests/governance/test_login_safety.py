"""Login safety: django-axes by username and address, strong passwords, idle sessions end."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct-horse-battery"


def _login(client: Client, username: str, password: str, address: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(username: str, address: str, times: int = 5) -> None:
    """``times`` wrong passwords; the fifth is answered with the lockout page at once."""
    client = Client()
    for n in range(1, times + 1):
        status = _login(client, username, "wrong-password-0", address).status_code
        assert status == (429 if n >= settings.AXES_FAILURE_LIMIT else 200), n


def test_the_settings_lock_a_username_at_one_address_after_five_failures_for_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_failures_lock_that_username_at_that_address(world):
    _fail("staff", "10.1.1.1", times=4)
    assert _login(Client(), "staff", PASSWORD, "10.1.1.1").status_code == 302  # 4 failures: not yet
    _fail("staff", "10.1.1.1")
    response = _login(Client(), "staff", PASSWORD, "10.1.1.1")
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()


def test_a_lock_never_shuts_out_the_whole_office_behind_one_address(world):
    _fail("staff", "10.1.1.1")
    assert _login(Client(), "vcadre", PASSWORD, "10.1.1.1").status_code == 302
    assert _login(Client(), "staff", PASSWORD, "10.9.9.9").status_code == 302


def test_the_lock_lifts_after_the_fifteen_minute_cool_off(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail("staff", "10.1.1.1")
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=5), tick=False):
        assert _login(Client(), "staff", PASSWORD, "10.1.1.1").status_code == 302


def test_a_login_attempt_during_the_lock_starts_the_cool_off_again(world):
    """django-axes' default: trying while locked (even with the right password) restarts the 15 minutes."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail("staff", "10.1.1.1")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert _login(Client(), "staff", PASSWORD, "10.1.1.1").status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=5), tick=False):
        assert _login(Client(), "staff", PASSWORD, "10.1.1.1").status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=30, seconds=30), tick=False):
        assert _login(Client(), "staff", PASSWORD, "10.1.1.1").status_code == 302


def test_township_staff_can_unlock_a_locked_user(world, clients):
    _fail("vcadre", "10.1.1.1")
    page = clients["staff"].get(reverse("governance:user-detail", args=[world.users["village_cadre"].pk]))
    assert "user-unlock" in page.content.decode() or "/unlock/" in page.content.decode()
    clients["staff"].post(reverse("governance:user-unlock", args=[world.users["village_cadre"].pk]))
    assert _login(Client(), "vcadre", PASSWORD, "10.1.1.1").status_code == 302


def test_other_roles_cannot_unlock(world, clients):
    _fail("vcadre", "10.1.1.1")
    url = reverse("governance:user-unlock", args=[world.users["village_cadre"].pk])
    assert clients["supervisor"].post(url).status_code == 403
    assert _login(Client(), "vcadre", PASSWORD, "10.1.1.1").status_code == 429


@pytest.mark.parametrize("password", ["short-pw", "12345678901", "password1234", "qwertyuiop"])
def test_weak_passwords_are_refused_by_the_validators(world, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password, world.users["staff"])


def test_a_session_ends_after_thirty_idle_minutes(world):
    assert settings.SESSION_IDLE_MINUTES == 30
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        assert _login(client, "staff", PASSWORD, "10.1.1.1").status_code == 302
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get(reverse("governance:village-list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_part_of_a_page_asked_for_after_the_session_ended_sends_the_whole_page_to_the_login(world):
    """The bell's count, loaded by htmx, once the session has ended: not the login page put inside the navigation bar
    (nor a new CSRF cookie set under the page's feet), but the page itself sent to the login and back after it."""
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        _login(client, "staff", PASSWORD, "10.1.1.1")
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get(reverse("inbox:badge"), HTTP_HX_REQUEST="true",
                              HTTP_HX_CURRENT_URL="http://testserver/disputes/?status=open")
    assert response.status_code == 204 and response.content == b""
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/disputes/%3Fstatus%3Dopen"
    assert "csrftoken" not in response.cookies
    # Another site's address is never where the login sends back to; a page's own request still goes to the login.
    response = Client().get(reverse("inbox:badge"), HTTP_HX_REQUEST="true",
                            HTTP_HX_CURRENT_URL="http://elsewhere.example/steal/")
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/"
    villages = reverse("governance:village-list")
    response = Client().get(villages)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={villages}"


def test_a_login_form_opened_before_a_login_in_another_tab_says_the_page_expired_and_opens_it_again(world):
    """A login in another tab changes the browser's CSRF cookie under an open form: the form is refused (nothing
    happens) with a page that says so in the site's language and links to the form's page, opened again."""
    client = Client(enforce_csrf_checks=True)
    login = f"{reverse('login')}?next=/disputes/"
    token = client.get(login).context["csrf_token"]
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32  # what the other tab's login left
    response = client.post(login, {"username": "staff", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 403 and "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "页面已过期" in page and "没有保存任何内容" in page and "CSRF verification" not in page
    assert f'href="{reverse("login")}?next=/disputes/"' in page
    # A form that posts to an address of its own (log out) is sent back to the page it was on; in English if chosen.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token},
                           HTTP_REFERER="http://testserver/households/?q=%E7%8E%8B")
    page = response.content.decode()
    assert response.status_code == 403 and "This page has expired" in page
    assert 'href="/households/?q=%E7%8E%8B"' in page


def test_activity_keeps_the_session_alive(world):
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        _login(client, "staff", PASSWORD, "10.1.1.1")
    for minutes in (25, 50, 75):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("governance:village-list")).status_code == 200


def test_page_views_renew_the_session_at_most_once_a_minute(world):
    """Activity keeps the session alive without writing the session row on every page view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        _login(client, "staff", PASSWORD, "10.1.1.1")

    def session_writes(at):
        with time_machine.travel(at, tick=False), CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("governance:village-list")).status_code == 200
        return [q for q in ctx.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]

    assert session_writes(start + dt.timedelta(seconds=20)) == []
    assert session_writes(start + dt.timedelta(seconds=50)) == []
    assert len(session_writes(start + dt.timedelta(seconds=90))) == 1
