"""Deployment safety (issue 18): the client's address behind the proxy, plain-HTTP intranets, the production
settings, media, webhooks, reveal limits, caching of personal pages and the session's absolute lifetime."""

import datetime as dt

from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from governance.addresses import client_ip
from governance.models import CalendarDay
from tests.conftest import PASSWORD

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
