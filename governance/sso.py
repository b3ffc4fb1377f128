"""Sign-in from inside WeCom and DingTalk (the OAuth 2.0 code flow), so that the product runs as an H5 微应用 there.

WeCom: the member is sent to ``open.weixin.qq.com/connect/oauth2/authorize`` (scope ``snsapi_base``: silent inside
WeCom) and comes back with a ``code``; ``auth/getuserinfo`` gives their userid, matched to ``User.wecom_userid``.
DingTalk: ``login.dingtalk.com/oauth2/auth`` gives an ``authCode``; the user token and ``contact/users/me`` give the
person's unionId, matched to ``User.dingtalk_unionid``.

Only an existing, active login is signed in: an id nobody has gets a clear message and no account is made. The rest
of the login flow applies: django-axes refuses a locked-out login and counts an unknown id as a failed attempt, and
``must_change_password`` sends the user to the password page (core.middleware) as after a password login. The
``state`` is a random value kept in the session and compared on return (a forged callback signs nobody in).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core import messengers

from .models import User

logger = logging.getLogger(__name__)
SESSION_KEY = "sso_state"
BACKEND = "governance.backends.UserBackend"


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    field: str  # the User field that holds the person's id there
    code_param: str
    configured: Callable[[], bool]
    authorize_url: Callable[..., str]
    id_for_code: Callable[[str], str]


PROVIDERS = {
    "wecom": Provider("wecom", _("Sign in with WeCom"), "wecom_userid", "code", messengers.wecom_configured,
                      messengers.wecom_authorize_url, messengers.wecom_userid_for_code),
    "dingtalk": Provider("dingtalk", _("Sign in with DingTalk"), "dingtalk_unionid", "authCode",
                         messengers.dingtalk_configured, messengers.dingtalk_authorize_url,
                         messengers.dingtalk_unionid_for_code),
}


def available_providers() -> list[Provider]:
    return [provider for provider in PROVIDERS.values() if provider.configured()]


class LoginView(auth_views.LoginView):
    """Django's login page, with a button for each messenger that is configured."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_providers"] = available_providers()
        return context


def _provider(key: str) -> Provider:
    provider = PROVIDERS.get(key)
    if provider is None or not provider.configured():
        raise Http404
    return provider


def _safe_next(request: HttpRequest, target: str) -> str:
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                              require_https=request.is_secure())
    return target if target and allowed else ""


@login_not_required
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = {"provider": chosen.key, "state": state,
                                    "next": _safe_next(request, request.GET.get("next", ""))}
    callback = settings.SITE_URL + reverse("sso-callback", kwargs={"provider": chosen.key})
    return redirect(chosen.authorize_url(redirect_uri=callback, state=state))


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "registration/login.html", {
        "form": AuthenticationForm(request), "sso_error": message, "sso_providers": available_providers(),
    }, status=status)


@login_not_required
def sso_callback(request: HttpRequest, provider: str) -> HttpResponse:
    chosen = _provider(provider)
    saved = request.session.pop(SESSION_KEY, None) or {}
    state, code = request.GET.get("state", ""), request.GET.get(chosen.code_param, "")
    if saved.get("provider") != chosen.key or not code or not constant_time_compare(state, saved.get("state", "")):
        return _refuse(request, _("This sign-in link has expired or is not valid. Please sign in again."), 400)
    try:
        external_id = chosen.id_for_code(code)
    except messengers.MessengerError as exc:
        logger.warning("%s sign-in failed: %s", chosen.key, exc)
        return _refuse(request, _("%(provider)s could not confirm who you are just now. Please try again later.")
                       % {"provider": _messenger_name(chosen)}, 502)
    user = User.objects.filter(**{chosen.field: external_id}, is_active=True).first() if external_id else None
    username = user.username if user is not None else f"{chosen.key}:{external_id or '?'}"
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials=credentials):
        return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
    if user is None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return _refuse(request, _(
            "Your %(provider)s account is not linked to a Lianhutong login, so you cannot sign in with it. No "
            "account is created: ask the township's 综治中心 to enter your %(provider)s ID on your login.")
            % {"provider": _messenger_name(chosen)}, 403)
    login(request, user, backend=BACKEND)
    return redirect(saved.get("next") or reverse("home"))


def _messenger_name(provider: Provider) -> str:
    return str(_("WeCom") if provider.key == "wecom" else _("DingTalk"))

