"""A local fake of WeCom's and DingTalk's HTTP endpoints (a real HTTP server in a thread on 127.0.0.1), implementing
the protocols our code speaks, with the checks the real services make:

WeCom    GET  /cgi-bin/gettoken?corpid&corpsecret           → access_token, expires_in (40013 wrong corpid, 40001
                                                               wrong secret)
         POST /cgi-bin/message/send?access_token             → application message (42001 expired token, 40014
                                                               unknown token, 40056 wrong agentid, invaliduser)
         GET  /cgi-bin/auth/getuserinfo?access_token&code    → userid of a member (40029 invalid code; a code is
                                                               good once)
         GET  /connect/oauth2/authorize?appid&redirect_uri…  → 302 to redirect_uri?code=…&state=… (the member
                                                               who "opened" the app: ``oauth_user``)
         POST /cgi-bin/webhook/send?key                      → group robot (45009 above 20 messages a minute,
                                                               40058 markdown over 4096 bytes)
DingTalk POST /robot/send?access_token&timestamp&sign        → robot with 加签 (310000 sign not match or stale
                                                               timestamp, 130101 above 20 a minute)
         GET  /oauth2/auth?client_id&redirect_uri&state…     → 302 to redirect_uri?authCode=…&state=…
         POST /v1.0/oauth2/userAccessToken                   → accessToken (HTTP 400 for a bad code or secret)
         GET  /v1.0/contact/users/me  (x-acs-dingtalk-access-token) → unionId, nick
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

CORP_ID, AGENT_ID, CORP_SECRET = "ww-test-corp", "1000002", "wecom-app-secret"
DT_CLIENT_ID, DT_CLIENT_SECRET = "dingtest-client", "dingtalk-client-secret"
ROBOT_SECRET = "SECtest-robot-secret"


class FakeMessengers:
    def __init__(self, *, token_lifetime: int = 7200, robot_per_minute: int = 20):
        self.token_lifetime, self.robot_per_minute = token_lifetime, robot_per_minute
        self.tokens: dict[str, float] = {}  # token → expiry (time.time())
        self.token_requests = 0
        self.app_messages: list[dict] = []
        self.robot_messages: dict[str, list[dict]] = {}  # robot key → bodies accepted
        self.robot_times: dict[str, list[float]] = {}
        self.fail_next: int = 0  # answer the next N posts with HTTP 500
        self.posts = 0
        self.fail_posts: set[int] = set()  # answer these posts (1 = the first) with HTTP 500
        self.wecom_codes: dict[str, str] = {}  # code → userid
        self.oauth_user = ""  # who is "inside WeCom/DingTalk" when the authorize page is opened
        self.dingtalk_codes: dict[str, str] = {}  # authCode → unionId
        self.dingtalk_tokens: dict[str, str] = {}  # user access token → unionId
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, payload: dict, status: int = 200, headers: dict | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _route(self, method: str) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                body = {}
                if method == "POST":
                    raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    body = json.loads(raw or b"{}")
                    with fake.lock:
                        fake.posts += 1
                        if fake.fail_next > 0 or fake.posts in fake.fail_posts:
                            fake.fail_next = max(fake.fail_next - 1, 0)
                            self._answer({}, status=500)
                            return
                handler = getattr(fake, f"{method.lower()}_{parts.path.strip('/').replace('/', '_').replace('-', '_').replace('.', '_')}", None)
                if handler is None:
                    self._answer({"errcode": 404, "errmsg": "no such path"}, status=404)
                    return
                result = handler(query=query, body=body, headers=self.headers)
                if isinstance(result, tuple) and result[0] == "redirect":
                    self.send_response(302)
                    self.send_header("Location", result[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, payload = result if isinstance(result, tuple) else (200, result)
                self._answer(payload, status=status)

            def do_GET(self):  # noqa: N802 - the http.server API
                self._route("GET")

            def do_POST(self):  # noqa: N802 - the http.server API
                self._route("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # --- addresses ---

    def wecom_robot_url(self, key: str = "robot-key") -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={key}"

    def dingtalk_robot_url(self, token: str = "robot-token") -> str:
        return f"{self.base}/robot/send?access_token={token}"

    def configure(self, settings) -> None:
        settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = CORP_ID, AGENT_ID, CORP_SECRET
        settings.WECOM_API_BASE = self.base
        settings.WECOM_OAUTH_URL = f"{self.base}/connect/oauth2/authorize"
        settings.DINGTALK_CLIENT_ID, settings.DINGTALK_CLIENT_SECRET = DT_CLIENT_ID, DT_CLIENT_SECRET
        settings.DINGTALK_API_BASE = self.base
        settings.DINGTALK_OAUTH_URL = f"{self.base}/oauth2/auth"
        settings.NOTIFY_WEBHOOK_HOSTS = ["127.0.0.1"]

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {token: 0.0 for token in self.tokens}

    # --- WeCom ---

    def get_cgi_bin_gettoken(self, *, query, **_):
        if query.get("corpid") != CORP_ID:
            return {"errcode": 40013, "errmsg": "invalid corpid"}
        if query.get("corpsecret") != CORP_SECRET:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        token = secrets.token_hex(16)
        with self.lock:
            self.token_requests += 1
            self.tokens[token] = time.time() + self.token_lifetime
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": self.token_lifetime}

    def _token_error(self, token: str | None) -> dict | None:
        if token not in self.tokens:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if self.tokens[token] <= time.time():
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    def post_cgi_bin_message_send(self, *, query, body, **_):
        error = self._token_error(query.get("access_token"))
        if error:
            return error
        if str(body.get("agentid")) != AGENT_ID:
            return {"errcode": 40056, "errmsg": "invalid agentid"}
        if body.get("msgtype") != "markdown" or not body.get("markdown", {}).get("content"):
            return {"errcode": 41016, "errmsg": "missing content"}
        if body.get("touser", "").startswith("nobody"):
            return {"errcode": 0, "errmsg": "ok", "invaliduser": body["touser"]}
        self.app_messages.append(body)
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": secrets.token_hex(8)}

    def get_cgi_bin_auth_getuserinfo(self, *, query, **_):
        error = self._token_error(query.get("access_token"))
        if error:
            return error
        userid = self.wecom_codes.pop(query.get("code", ""), None)
        if userid is None:
            return {"errcode": 40029, "errmsg": "invalid code"}
        return {"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "ticket"}

    def get_connect_oauth2_authorize(self, *, query, **_):
        if query.get("appid") != CORP_ID or query.get("response_type") != "code" or query.get("agentid") != AGENT_ID:
            return 400, {"errcode": 40013, "errmsg": "invalid appid"}
        code = secrets.token_hex(8)
        self.wecom_codes[code] = self.oauth_user
        return ("redirect", f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}")

    def _robot_rate(self, key: str) -> bool:
        now = time.time()
        with self.lock:
            times = [t for t in self.robot_times.get(key, []) if t > now - 60]
            if len(times) >= self.robot_per_minute:
                return False
            self.robot_times[key] = [*times, now]
            return True

    def post_cgi_bin_webhook_send(self, *, query, body, **_):
        key = query.get("key", "")
        content = body.get("markdown", {}).get("content", "")
        if body.get("msgtype") != "markdown" or not content:
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if len(content.encode()) > 4096:
            return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        if not self._robot_rate(f"wecom:{key}"):
            return {"errcode": 45009, "errmsg": "api freq out of limit"}
        self.robot_messages.setdefault(key, []).append(body)
        return {"errcode": 0, "errmsg": "ok"}

    # --- DingTalk ---

    def post_robot_send(self, *, query, body, **_):
        token, timestamp, sign = query.get("access_token", ""), query.get("timestamp", ""), query.get("sign", "")
        # parse_qs has already URL-decoded the sign once: compare with the base64 text
        expected = base64.b64encode(hmac.new(ROBOT_SECRET.encode(), f"{timestamp}\n{ROBOT_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600 * 1000 or sign != expected:
            return {"errcode": 310000, "errmsg": "sign not match"}
        text = body.get("markdown", {}).get("text", "")
        if body.get("msgtype") != "markdown" or not text or not body["markdown"].get("title"):
            return {"errcode": 40035, "errmsg": "缺少参数 json"}
        if len(text.encode()) > 20000:
            return {"errcode": 460101, "errmsg": "message too long"}
        if not self._robot_rate(f"dingtalk:{token}"):
            return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        self.robot_messages.setdefault(token, []).append(body)
        return {"errcode": 0, "errmsg": "ok"}

    def get_oauth2_auth(self, *, query, **_):
        if query.get("client_id") != DT_CLIENT_ID or query.get("response_type") != "code":
            return 400, {"code": "invalidClient", "message": "client_id"}
        code = secrets.token_hex(8)
        self.dingtalk_codes[code] = self.oauth_user
        return ("redirect", f"{query['redirect_uri']}?{urlencode({'authCode': code, 'state': query.get('state', '')})}")

    def post_v1_0_oauth2_userAccessToken(self, *, body, **_):  # noqa: N802 - DingTalk's path
        if body.get("clientId") != DT_CLIENT_ID or body.get("clientSecret") != DT_CLIENT_SECRET:
            return 400, {"code": "invalidClientSecret", "message": "clientSecret错误"}
        union_id = self.dingtalk_codes.pop(body.get("code", ""), None)
        if body.get("grantType") != "authorization_code" or union_id is None:
            return 400, {"code": "invalidAuthCode", "message": "不合法的临时授权码"}
        token = secrets.token_hex(16)
        self.dingtalk_tokens[token] = union_id
        return {"accessToken": token, "refreshToken": secrets.token_hex(8), "expireIn": 7200, "corpId": "dingcorp"}

    def get_v1_0_contact_users_me(self, *, headers, **_):
        union_id = self.dingtalk_tokens.get(headers.get("x-acs-dingtalk-access-token", ""))
        if union_id is None:
            return 401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}
        return {"nick": "测试用户", "unionId": union_id, "openId": "open-" + union_id, "stateCode": "86"}
