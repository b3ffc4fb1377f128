"""The shell every page stands in: login, language, health, settings, static files, the worker."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from core.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_login_page_logs_in_and_logout_ends_the_session(world, client):
    response = client.post(reverse("login"), {"username": "staff", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_keeps_the_username_and_says_so_in_chinese(world, client):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong-password-1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="staff"' in body
    assert "请输入一个正确的" in body


PUBLIC_URL_NAMES = {"healthz", "login", "set_language", "reception-public",  # the published rota: seed 002 "要公布"
                    "sso-start", "sso-callback",  # signing in from WeCom/DingTalk (404 unless configured)
                    "pwa-worker", "pwa-manifest",  # the installable app's worker and manifest (no data)
                    "schema", "docs", "redoc"}  # the API's description (no data; every endpoint needs a token)


def _all_url_paths():
    """Every URL pattern of the project, with placeholder arguments (admin has its own login)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name not in PUBLIC_URL_NAMES:
                route = prefix + str(p.pattern)
                path = re.sub(r"<(?:int:)?\w+>", "1", route)
                path = re.sub(r"<\w+:\w+>", "x", path)
                yield "/" + path

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_page_needs_a_login(db, client):
    paths = _all_url_paths()
    assert "/" in paths
    for path in paths:
        response = client.get(path)
        if path.startswith("/api/v1/"):  # the API answers in JSON, never with the login page
            assert response.status_code in (401, 403) and response["Content-Type"].startswith("application/json"), path
            continue
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_pages_speak_chinese_by_default_and_english_after_the_switch(world, clients):
    client = clients["staff"]
    assert 'lang="zh-hans"' in client.get(reverse("home")).content.decode()
    assert "退出登录" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body
    assert "Log out" in body


def test_an_english_browser_still_gets_chinese_until_the_user_switches(world, clients):
    client = clients["staff"]
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "退出登录" in body


def test_healthz_answers_without_login_when_database_and_broker_are_up(db, client):
    response = client.get("/healthz")
    assert response.json()["database"]["ok"] is True
    assert response.json()["broker"]["ok"] is True
    # No worker runs here, so the worker check fails it (tests/safety/test_health.py has the worker).
    assert response.status_code == 503 and response.json()["worker"]["ok"] is False


def test_healthz_is_503_when_the_broker_is_unreachable(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_every_response_has_a_same_origin_content_security_policy(world, clients):
    csp = clients["staff"].get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_no_template_loads_anything_from_another_host():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if re.search(r'(src|href)="(https?:)?//', path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    assert offenders == []


def test_vendored_libraries_are_served_with_their_licences():
    vendor = ROOT / "static" / "vendor"
    for name, asset in [("bootstrap", "bootstrap.min.css"), ("htmx", "htmx.min.js"), ("echarts", "echarts.min.js")]:
        assert (vendor / name / asset).stat().st_size > 10_000
        assert (vendor / name / "LICENSE").exists()


def _run_manage(*args, env_extra=None):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests (conftest.py); a production check must not inherit it.
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **(env_extra or {})})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_manage("check", env_extra={"DATABASE_URL": "postgres://postgres@127.0.0.1/x"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    result = _run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={
            "SECRET_KEY": "x" * 20 + "-production-grade-secret-key-for-the-check-0123456789",
            "DATABASE_URL": "postgres://postgres@127.0.0.1/postgres",
            "ALLOWED_HOSTS": "gov.example.cn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.celery
def test_a_task_makes_a_round_trip_through_a_real_worker_on_redis(celery_worker_process):
    from core.tasks import worker_heartbeat

    celery_worker_process()
    Heartbeat.objects.filter(key="worker").delete()  # a starting worker beats once itself (/healthz)
    worker_heartbeat.delay()
    deadline = time.monotonic() + 20
    while Heartbeat.last("worker") is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert Heartbeat.last("worker") is not None


def test_docker_compose_file_is_valid(tmp_path):
    import shutil

    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is installed by scripts/ensure-test-services.sh"
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run([compose, "-f", "docker-compose.yml", "config", "-q"], cwd=tmp_path,
                            env={**os.environ, "POSTGRES_PASSWORD": "x"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    services = subprocess.run([compose, "-f", "docker-compose.yml", "config", "--services"], cwd=tmp_path,
                              env={**os.environ, "POSTGRES_PASSWORD": "x"}, capture_output=True, text=True).stdout
    assert set(services.split()) == {"web", "worker", "beat", "db", "redis", "backup"}
