"""A closed-loop load: N users (threads) against gunicorn with 2 workers, each requesting the main pages one
after another for a fixed time, on this machine's loopback only. Run inside a dataset's environment:

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings python -m bench.load --seconds 60 --users 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import django

django.setup()

from django.test import Client  # noqa: E402

from bench.pages import page_specs  # noqa: E402
from governance.models import User  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie() -> str:
    client = Client()
    client.force_login(User.objects.filter(role=User.Role.TOWNSHIP_STAFF, is_superuser=False).order_by("pk").first())
    return client.cookies["sessionid"].value


def _wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def run(seconds: float, users: int) -> dict:
    urls = [url for label, url in page_specs() if url and not label.startswith("baseline")]
    cookie = f"sessionid={_session_cookie()}"
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_KEEP_CACHE": "true"},
    )
    try:
        _wait_until_up(port)
        latencies: list[float] = []
        errors: list[str] = []
        per_url: dict[str, list[float]] = {}
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def user_loop(offset: int) -> None:
            i = offset
            while time.monotonic() < stop_at:
                url = urls[i % len(urls)]
                i += 1
                started = time.perf_counter()
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request("GET", url, headers={"Cookie": cookie, "Host": "localhost"})
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    ok = response.status == 200
                    detail = f"{response.status} {url}"
                except Exception as exc:  # noqa: BLE001 - every failure is an error of the run, counted
                    ok, detail = False, f"{exc!r} {url}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    per_url.setdefault(url, []).append(elapsed)
                    if not ok:
                        errors.append(detail)

        threads = [threading.Thread(target=user_loop, args=(n,)) for n in range(users)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        duration = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=15)
    latencies.sort()
    return {
        "users": users,
        "seconds": round(duration, 1),
        "requests": len(latencies),
        "pages_per_s": round(len(latencies) / duration, 1),
        "median_ms": round(latencies[len(latencies) // 2], 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
        "errors": len(errors),
        "error_samples": errors[:5],
        "urls": urls,
        "median_ms_per_page": {url: round(sorted(v)[len(v) // 2], 1) for url, v in per_url.items()},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=10)
    args = parser.parse_args()
    json.dump(run(args.seconds, args.users), sys.stdout, ensure_ascii=False)
