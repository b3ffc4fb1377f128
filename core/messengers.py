"""The two messengers the county already runs: WeCom (企业微信) and DingTalk (钉钉), their HTTP protocols only.

- WeCom server API (developer.work.weixin.qq.com): ``GET /cgi-bin/gettoken?corpid&corpsecret`` gives an
  ``access_token`` valid ``expires_in`` seconds (7200), kept in the cache until shortly before it expires and
  fetched again when WeCom says it is invalid or expired (errcode 40001, 40014, 42001); application messages with
  ``POST /cgi-bin/message/send?access_token=…``; the OAuth code of a member inside WeCom is read with
  ``GET /cgi-bin/auth/getuserinfo?access_token&code`` (the ``userid`` of the member).
- WeCom group robot: ``POST <webhook>`` with a markdown body (at most 4096 bytes).
- DingTalk custom robot with 加签: ``POST <webhook>&timestamp=<ms>&sign=<urlencode(base64(HmacSHA256(secret,
  "<ms>\\n<secret>")))>``.
- DingTalk OAuth 2.0 (open.dingtalk.com, "获取用户token" and "获取用户通讯录个人信息"): ``POST
  /v1.0/oauth2/userAccessToken`` with the ``authCode``, then ``GET /v1.0/contact/users/me`` with the header
  ``x-acs-dingtalk-access-token``; the person is known by their ``unionId``.

Every base address comes from settings, so the tests point them at a local fake server of the same protocol.
No domain here: casework sends with it, governance signs people in with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.core.cache import cache

WECOM_TOKEN_ERRORS = {40001, 40014, 42001}
TOKEN_MARGIN_SECONDS = 300


class MessengerError(Exception):
    """A messenger did not do what was asked (network, HTTP status or its own error code): worth another try."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def call_json(url: str, *, payload: dict | None = None, headers: dict | None = None) -> dict:
    """GET (no payload) or POST JSON; the answer's JSON. HTTP errors and unreadable answers raise MessengerError."""
    data = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else None
    request = urllib.request.Request(  # noqa: S310 - addresses come from settings or an allowed webhook host
        url, data=data, method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with _OPENER.open(request, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT) as response:
            answer = response.read(100_000)
    except urllib.error.HTTPError as exc:
        raise MessengerError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise MessengerError(f"{type(exc).__name__}: {exc}") from exc
    try:
        parsed = json.loads(answer or b"{}")
    except ValueError:
        return {}  # a robot that answers 200 with no JSON took the message
    return parsed if isinstance(parsed, dict) else {}


def check_errcode(answer: dict) -> dict:
    """WeCom and DingTalk's older APIs answer HTTP 200 with ``errcode`` 0 on success."""
    code = answer.get("errcode", 0)
    if code not in (0, "0"):
        raise MessengerError(f"errcode {code}: {answer.get('errmsg', '')}"[:300])
    return answer


# --- WeCom -------------------------------------------------------------------------------------------------


def wecom_configured() -> bool:
    return bool(settings.WECOM_CORP_ID and settings.WECOM_AGENT_ID and settings.WECOM_SECRET)


def _wecom_token_key() -> str:
    return f"wecom:token:{settings.WECOM_CORP_ID}:{settings.WECOM_AGENT_ID}"


def wecom_token(*, fresh: bool = False) -> str:
    """The application's access token, from the cache while it lasts (expires_in less a margin)."""
    key = _wecom_token_key()
    token = None if fresh else cache.get(key)
    if token:
        return token
    query = urlencode({"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET})
    answer = check_errcode(call_json(f"{settings.WECOM_API_BASE}/cgi-bin/gettoken?{query}"))
    token = answer.get("access_token") or ""
    if not token:
        raise MessengerError("gettoken gave no access_token")
    lifetime = int(answer.get("expires_in") or 7200)
    cache.set(key, token, max(lifetime - TOKEN_MARGIN_SECONDS, 60))
    return token


def _wecom_call(path: str, *, payload: dict | None = None, query: dict | None = None) -> dict:
    """A WeCom API call with the token; an invalid or expired token is fetched again once."""
    for attempt in (1, 2):
        params = urlencode({"access_token": wecom_token(fresh=attempt == 2), **(query or {})})
        answer = call_json(f"{settings.WECOM_API_BASE}{path}?{params}", payload=payload)
        if answer.get("errcode") in WECOM_TOKEN_ERRORS and attempt == 1:
            cache.delete(_wecom_token_key())
            continue
        return check_errcode(answer)
    raise AssertionError("unreachable")


def wecom_send_markdown(userid: str, content: str) -> dict:
    """An application message to one member (markdown, at most 2048 bytes)."""
    payload = {
        "touser": userid, "msgtype": "markdown", "agentid": int(settings.WECOM_AGENT_ID),
        "markdown": {"content": clip_bytes(content, 2000)},
    }
    answer = _wecom_call("/cgi-bin/message/send", payload=payload)
    if answer.get("invaliduser"):
        raise MessengerError(f"invaliduser {answer['invaliduser']}")
    return answer


def wecom_authorize_url(*, redirect_uri: str, state: str) -> str:
    """Where a member inside WeCom is sent to be known (silent: scope snsapi_base)."""
    query = urlencode({
        "appid": settings.WECOM_CORP_ID, "redirect_uri": redirect_uri, "response_type": "code",
        "scope": "snsapi_base", "state": state, "agentid": settings.WECOM_AGENT_ID,
    })
    return f"{settings.WECOM_OAUTH_URL}?{query}#wechat_redirect"


def wecom_userid_for_code(code: str) -> str:
    """The member's userid for an OAuth code; "" for someone outside the corporation (WeCom gives an openid)."""
    answer = _wecom_call("/cgi-bin/auth/getuserinfo", query={"code": code})
    return str(answer.get("userid") or answer.get("UserId") or "")


# --- WeCom and DingTalk group robots -----------------------------------------------------------------------


def clip_bytes(text: str, limit: int) -> str:
    return text.encode()[:limit].decode(errors="ignore")


def is_dingtalk_robot(url: str) -> bool:
    """DingTalk's robots post to ``…/robot/send?access_token=…``; WeCom's to ``…/cgi-bin/webhook/send?key=…``."""
    return url.split("?", 1)[0].rstrip("/").endswith("/robot/send")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """加签: base64(HmacSHA256(key=secret, "<timestamp>\\n<secret>")), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def dingtalk_signed_url(url: str, secret: str, *, now: float | None = None) -> str:
    if not secret:
        return url
    timestamp = int((now if now is not None else time.time()) * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"


def robot_post(url: str, *, title: str, markdown: str, secret: str = "") -> None:
    """One markdown message to a group robot, WeCom's or DingTalk's by the address."""
    if is_dingtalk_robot(url):
        payload = {"msgtype": "markdown", "markdown": {"title": title[:60], "text": markdown}}
        check_errcode(call_json(dingtalk_signed_url(url, secret), payload=payload))
    else:
        check_errcode(call_json(url, payload={"msgtype": "markdown", "markdown": {"content": markdown}}))


def robot_limit_bytes(url: str) -> int:
    """A message's size limit: WeCom's markdown 4096 bytes; DingTalk's 20000 bytes (a margin kept for both)."""
    return 19_000 if is_dingtalk_robot(url) else 4000


# --- DingTalk OAuth 2.0 -------------------------------------------------------------------------------------


def dingtalk_configured() -> bool:
    return bool(settings.DINGTALK_CLIENT_ID and settings.DINGTALK_CLIENT_SECRET)


def dingtalk_authorize_url(*, redirect_uri: str, state: str) -> str:
    query = urlencode({
        "redirect_uri": redirect_uri, "response_type": "code", "client_id": settings.DINGTALK_CLIENT_ID,
        "scope": "openid", "state": state, "prompt": "consent",
    })
    return f"{settings.DINGTALK_OAUTH_URL}?{query}"


def dingtalk_unionid_for_code(code: str) -> str:
    """The person's unionId for an authCode: the user token, then the person's own record."""
    answer = call_json(f"{settings.DINGTALK_API_BASE}/v1.0/oauth2/userAccessToken", payload={
        "clientId": settings.DINGTALK_CLIENT_ID, "clientSecret": settings.DINGTALK_CLIENT_SECRET,
        "code": code, "grantType": "authorization_code",
    })
    token = answer.get("accessToken")
    if not token:
        raise MessengerError(f"userAccessToken: {answer.get('code', '')} {answer.get('message', '')}"[:300])
    me = call_json(f"{settings.DINGTALK_API_BASE}/v1.0/contact/users/me",
                   headers={"x-acs-dingtalk-access-token": token})
    return str(me.get("unionId") or "")
