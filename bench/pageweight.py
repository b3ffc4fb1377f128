"""Page weight of the household head's phone pages (issue 28), in headless Chromium, as production serves them.

    python -m bench.pageweight            # `make bench` runs it after bench.run

A small demo township in its own database (lht_bench_pageweight), the static files collected with production's
storage (hashed names, gzip beside each file: WhiteNoise), HTML gzipped by GZipMiddleware, served by a threaded WSGI
server that counts every byte it sends (status line, headers and body: what crosses the network). Chromium loads each
page as the household head in a fresh profile (first load: nothing cached, the service worker not yet installed),
then again (repeat: the worker and the browser's cache hold the app shell, only the page's HTML travels).

Targets: the visit form ≤ 150 KB on first load, ≤ 10 KB on a repeat; no chart library on any head's page. Prints a
table and writes bench/pageweight.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "pageweight.json"
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "lht_bench_pageweight"
STATIC_ROOT = ROOT / "var" / "pageweight-static"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FIRST_LIMIT, REPEAT_LIMIT = 150 * 1024, 10 * 1024
CHARTS = ("echarts", "dashboards.js")


def _prepare() -> None:
    """The database (made and seeded once) and the static files as production has them."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    env = _env()
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--if-empty", "--households", "60", "--seed", "11", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--no-input", "--clear", "-v", "0"], cwd=ROOT, env=env, check=True)


def _env() -> dict:
    return {**os.environ, "DATABASE_URL": f"{SERVER}/{DATABASE}",
            "DJANGO_SETTINGS_MODULE": "bench.pageweight_settings"}


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class Counter:
    """WSGI middleware: the bytes of every response, by path, in the order sent."""

    def __init__(self, app) -> None:
        self.app, self.sent, self.lock = app, [], threading.Lock()

    def __call__(self, environ, start_response):
        head = {}

        def counting_start(status, headers, exc_info=None):
            head["bytes"] = len(f"HTTP/1.1 {status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in headers) + 2
            return start_response(status, headers, exc_info)

        body = 0
        result = self.app(environ, counting_start)
        try:
            for chunk in result:
                body += len(chunk)
                yield chunk
        finally:
            if hasattr(result, "close"):
                result.close()  # Django's request_finished: the database connection is let go
        with self.lock:
            self.sent.append((environ["PATH_INFO"], head.get("bytes", 0) + body))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent


def _session_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    from governance.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _pages() -> dict[str, str]:
    from governance.models import User
    from households.models import Household

    head = User.objects.get(username="head")
    household = Household.objects.filter(household_head=head.household_head_id).order_by("pk").first()
    return {"visit form": "/households/visits/new/", "home": "/", "households": "/households/",
            "household page": f"/households/{household.pk}/", "demand form": "/households/demands/new/"}


class _CssUsage:
    """Share of each style sheet's bytes whose rules matched something on the page as first drawn (Chromium's own rule
    usage tracking): a lower bound, since a rule for a later screen of the form or a dropdown counts as unused."""

    def __init__(self, context, page) -> None:
        self.cdp, self.sheets = context.new_cdp_session(page), {}
        self.cdp.on("CSS.styleSheetAdded", lambda e: self.sheets.__setitem__(
            e["header"]["styleSheetId"], (e["header"]["sourceURL"].rsplit("/", 1)[-1], e["header"]["length"])))
        self.cdp.send("DOM.enable")
        self.cdp.send("CSS.enable")
        self.cdp.send("CSS.startRuleUsageTracking")

    def stop(self) -> dict[str, str]:
        used: dict[str, int] = {}
        for rule in self.cdp.send("CSS.stopRuleUsageTracking")["ruleUsage"]:
            if rule["used"]:
                used[rule["styleSheetId"]] = used.get(rule["styleSheetId"], 0) + rule["endOffset"] - rule["startOffset"]
        return {name: f"{used.get(sid, 0) / length:.0%}" for sid, (name, length) in self.sheets.items()
                if name and length}


def _settle(page) -> None:
    page.wait_for_load_state("networkidle", timeout=30_000)
    page.wait_for_timeout(300)


def measure(base: str, counter: Counter) -> list[dict]:
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    cookie = _session_cookie("head")
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for name, path in _pages().items():
            print(f"measuring {name}", file=sys.stderr, flush=True)
            context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                          bypass_csp=True)  # lets Playwright evaluate its waits; bytes unchanged
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
            page = context.new_page()
            css = _CssUsage(context, page)
            assets = []
            page.on("request", lambda r, assets=assets: assets.append(r.url))
            counter.take()
            page.goto(base + path)
            _settle(page)
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)
            _settle(page)
            first = counter.take()
            css_used = css.stop()
            page.goto(base + path)
            _settle(page)
            repeat = counter.take()
            context.close()
            rows.append({
                "page": name, "path": path,
                "first_bytes": sum(b for _, b in first), "first_requests": len(first),
                "repeat_bytes": sum(b for _, b in repeat), "repeat_requests": len(repeat),
                "repeat_paths": [p for p, _ in repeat],
                "scripts": sorted({u.split("/static/")[1] for u in assets if "/static/" in u and ".js" in u}),
                "charts": [u for u in assets if any(c in u for c in CHARTS)],
                "css_used": css_used,
            })
        browser.close()
    return rows


def render(rows: list[dict]) -> str:
    lines = ["| page | first load KB (requests) | repeat KB (requests) | chart library | CSS used on first draw |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        css = ", ".join(f"{name.split('.')[0]} {share}" for name, share in sorted(r["css_used"].items()))
        lines.append(f"| {r['page']} | {r['first_bytes'] / 1024:.1f} ({r['first_requests']}) | "
                     f"{r['repeat_bytes'] / 1024:.1f} ({r['repeat_requests']}) | {'yes' if r['charts'] else 'none'} | "
                     f"{css} |")
    form = next(r for r in rows if r["page"] == "visit form")
    met = form["first_bytes"] <= FIRST_LIMIT and form["repeat_bytes"] <= REPEAT_LIMIT and not any(r["charts"] for r in rows)
    lines.append(f"\nvisit form: first {form['first_bytes'] / 1024:.1f} KB (≤ 150), repeat "
                 f"{form['repeat_bytes'] / 1024:.1f} KB (≤ 10): {'met' if met else 'NOT met'}")
    return "\n".join(lines)


def main() -> None:
    _prepare()
    os.environ.update(_env())
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    counter = Counter(get_wsgi_application())
    server = make_server("127.0.0.1", 0, counter, server_class=_Threaded, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    try:
        rows = measure(f"http://127.0.0.1:{server.server_port}", counter)
    finally:
        server.shutdown()
    RESULTS.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    print(render(rows))
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
