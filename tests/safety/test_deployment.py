"""Deployment safety (issue 18): the client's address behind the proxy, plain-HTTP intranets, the production
settings, media, webhooks, reveal limits, caching of personal pages and the session's absolute lifetime."""

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import Resolver404, resolve, reverse

from casework import notifications, reminders
from casework.models import Notification
from core.addresses import client_ip
from governance.models import CalendarDay
from tests.casework.reminder_fixtures import at, make_assignment
from tests.conftest import PASSWORD, ROOT

WED = dt.date(2026, 12, 9)

PROXY = "10.0.0.2"

# --- the client's address behind the trusted reverse proxy ------------------------------------------------------


def _request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_address_is_the_peers_whatever_the_header_says():
    assert settings.TRUSTED_PROXIES == []
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "::1"])
def test_behind_a_trusted_proxy_the_address_is_the_last_one_it_did_not_add_itself():
    assert client_ip(_request(PROXY, "198.51.100.1")) == "198.51.100.1"
    # A client writing its own header gets the address the proxy saw appended: the forged one is ignored.
    assert client_ip(_request(PROXY, "6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(_request(PROXY, "198.51.100.1, 10.0.0.7")) == "198.51.100.1"  # two proxies of ours
    assert client_ip(_request(PROXY, "garbage")) == PROXY
    assert client_ip(_request(PROXY)) == PROXY
    # Not from a trusted proxy: the header is anyone's to write.
    assert client_ip(_request("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def _login_via_proxy(username: str, password: str, client_address: str):
    return Client().post(reverse("login"), {"username": username, "password": password},
                         REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_five_wrong_passwords_through_the_proxy_lock_out_that_address_only(world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_via_proxy("staff", "wrong-password-0", "198.51.100.66")
    assert _login_via_proxy("staff", PASSWORD, "198.51.100.66").status_code == 429
    assert _login_via_proxy("staff", PASSWORD, "198.51.100.7").status_code == 302


@override_settings(TRUSTED_PROXIES=[PROXY])
def test_the_audit_records_the_clients_address_behind_the_proxy(world, admin_client):
    admin_client.post(reverse("governance:calendar-create"), {"date": "2031-01-04", "kind": "workday", "name": "调休"},
                      REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert CalendarDay.objects.get(date=dt.date(2031, 1, 4)).history.get().ip_address == "198.51.100.7"


# --- production settings: plain-HTTP intranets by an explicit setting; the placeholder key refused ---------------

GOOD_KEY = "x" * 20 + "-production-grade-secret-key-for-the-check-0123456789"
SETTINGS_PRINTED = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS")


def _production_settings(**env_extra):
    """Evaluates config/settings/production.py in a fresh interpreter with this environment (as the server starts)."""
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOW_PLAIN_HTTP",
               "SECURE_SSL_REDIRECT")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DATABASE_URL": "postgres://postgres@127.0.0.1/postgres", **env_extra})
    code = ("import json, config.settings.production as s; "
            f"print(json.dumps({{name: getattr(s, name) for name in {SETTINGS_PRINTED!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    return result.returncode, (json.loads(result.stdout) if result.returncode == 0 else result.stderr)


def test_production_over_https_has_secure_cookies_the_redirect_and_hsts():
    code, values = _production_settings(SECRET_KEY=GOOD_KEY, ALLOW_PLAIN_HTTP="false")
    assert code == 0, values
    assert values == {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True, "SECURE_SSL_REDIRECT": True,
                      "SECURE_HSTS_SECONDS": 31536000}


def test_a_plain_http_intranet_install_turns_off_the_secure_cookies_the_redirect_and_hsts():
    code, values = _production_settings(SECRET_KEY=GOOD_KEY, ALLOW_PLAIN_HTTP="true", SECURE_SSL_REDIRECT="True")
    assert code == 0, values
    assert values == {"SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False, "SECURE_SSL_REDIRECT": False,
                      "SECURE_HSTS_SECONDS": 0}


@pytest.mark.parametrize("key", ["change-me-to-50-random-characters", "change-me" + "a1b2c3d4e5" * 6, "too-short-key",
                                 "a" * 60])
def test_production_refuses_the_placeholder_or_a_weak_secret_key(key):
    code, stderr = _production_settings(SECRET_KEY=key)
    assert code != 0 and "ImproperlyConfigured" in stderr and "SECRET_KEY" in stderr


# --- smaller holes: media, webhook redirects ------------------------------------------------------------------


def test_no_media_url_is_served_even_with_debug_on():
    """`make run` (DEBUG) once served MEDIA_ROOT, and with it the private visit photos, to anyone logged in."""
    import config.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(config.urls)
            with pytest.raises(Resolver404):
                resolve("/media/private/visits/2026/photo.jpg", urlconf=config.urls)
    finally:
        importlib.reload(config.urls)


class _Listener:
    """An HTTP server on 127.0.0.1 that records every request and answers with ``status`` (and ``location``)."""

    def __init__(self, status: int = 200, location: str = ""):
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                listener.requests.append(f"{self.command} {self.path}")
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _answer  # noqa: N815 - the http.server API

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_the_webhook_sender_does_not_follow_a_redirect(world, settings):
    settings.NOTIFY_WEBHOOK_HOSTS = ["127.0.0.1"]
    inside = _Listener()  # stands for an address of the township's network that no webhook may reach
    allowed = _Listener(status=302, location=inside.url)
    try:
        world.township.webhook_url = allowed.url
        world.township.save(update_fields=["webhook_url"])
        make_assignment(world, deadline=WED, label="JF-2026-0007 土地权属纠纷")
        with time_machine.travel(at(WED, 9), tick=False):
            reminders.scan()
            notification = Notification.objects.get(channel="webhook", recipient=None)
            notifications.deliver(notification.pk)
    finally:
        allowed.close()
        inside.close()
    assert allowed.requests == ["POST /hook"] and inside.requests == []
    notification.refresh_from_db()
    assert notification.status != Notification.Status.SENT and "302" in notification.last_error


# --- reveals of full values are limited per user and minute ---------------------------------------------------


def test_an_eleventh_reveal_in_a_minute_is_refused_in_chinese_and_not_logged(world, clients):
    from django.core.cache import cache

    from households.models import RevealLog
    from tests.households.factories import make_registry

    registry = make_registry(world)
    staff = world.users["staff"]
    cache.delete(f"households:reveals:{staff.pk}")  # the test database's ids come back from one run to the next
    url = reverse("households:resident-reveal", args=[registry.resident_a1.pk])
    for n in range(settings.HOUSEHOLDS_REVEALS_PER_MINUTE):
        response = clients["staff"].post(url, {"field": "id_number", "reason": "核对材料"}, HTTP_HX_REQUEST="true")
        assert registry.resident_a1.id_number in response.content.decode(), n
    response = clients["staff"].post(url, {"field": "id_number", "reason": "核对材料"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert registry.resident_a1.id_number not in body and "请等一分钟" in body
    assert RevealLog.objects.filter(user=staff).count() == settings.HOUSEHOLDS_REVEALS_PER_MINUTE
    cache.delete(f"households:reveals:{staff.pk}")


# --- personal pages are not cached; a session has an absolute lifetime -----------------------------------------


def test_pages_for_a_logged_in_user_are_not_stored_by_any_cache(world, clients):
    for url in (reverse("home"), reverse("governance:user-list"), reverse("households:list")):
        cache_control = clients["staff"].get(url).headers.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, url


@override_settings(SESSION_COOKIE_AGE=24 * 3600)  # idle long enough that only the absolute lifetime ends it
def test_a_session_ends_twelve_hours_after_the_login_whatever_the_activity(world):
    assert settings.SESSION_MAX_HOURS == 12
    start = dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)
    client = Client()
    with time_machine.travel(start, tick=False):
        assert client.post(reverse("login"), {"username": "staff", "password": PASSWORD}).status_code == 302
    with time_machine.travel(start + dt.timedelta(hours=11, minutes=55), tick=False):
        assert client.get(reverse("governance:village-list")).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1), tick=False):
        response = client.get(reverse("governance:village-list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
