"""Personas (healthchecks style), a pinned "today", and the real parts: PostgreSQL, Redis, a Celery worker,
headless Chromium.

The world: one township with village A (grids A1, A2) and village B (grid B1), a household head in A1,
and a second township. Each persona is a logged-in client; ``users`` holds the User objects.

Today: every test runs at 10:00 (Asia/Shanghai) on a pinned date, fixtures included, and so does the live server
of the browser tests (it runs in this process). The date is ``TEST_TODAY`` (YYYY-MM-DD, default 2026-11-20);
``TEST_TODAY=now`` leaves the machine's clock alone. A test whose figures are counted by hand for one date says so
with ``@pytest.mark.today("2026-11-20")``; a test that needs the real clock (a Celery worker in another process,
pg_dump) is marked ``real_clock`` (``celery`` implies it) and asserts no dates.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from governance.models import User
from tests.factories import GridFactory, HouseholdHeadFactory, TownshipFactory, UserFactory, VillageFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"

TEST_TODAY = os.environ.get("TEST_TODAY", "2026-11-20").strip()
LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")


def pinned_moment(value: str | dt.date | dt.datetime) -> dt.datetime:
    """10:00 local time on a date (or the local datetime given): when "today" is for a test."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(10))
    return value if value.tzinfo else value.replace(tzinfo=LOCAL)


def _destination(node) -> tuple[dt.datetime, bool] | None:
    if node.get_closest_marker("real_clock") or node.get_closest_marker("celery"):
        return None
    marker = node.get_closest_marker("today")
    if marker:
        return pinned_moment(marker.args[0]), marker.kwargs.get("tick", True)
    if TEST_TODAY.lower() == "now":
        return None
    return pinned_moment(TEST_TODAY), True


@pytest.fixture(autouse=True)
def _pinned_today(request):
    """Pin "today" before any other fixture of the test makes data (autouse fixtures come first)."""
    destination = _destination(request.node)
    if destination is None:
        yield None
        return
    moment, tick = destination
    with time_machine.travel(moment, tick=tick):
        yield moment


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language, whatever a test before it in the same process left active."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def today(_pinned_today) -> dt.date:
    """The test's local date: the pinned one (or the machine's, under ``TEST_TODAY=now`` or ``real_clock``)."""
    from django.utils import timezone

    return timezone.localdate()


@dataclass
class World:
    township: object
    other_township: object
    village_a: object
    village_b: object
    grid_a1: object
    grid_a2: object
    grid_b1: object
    head_a1: object
    users: dict
    # A second household head of grid A1 (persona "household_head_2"); grid A2 has its own worker ("grid_worker_a2").
    head_a1_2: object = None

    def shared_visit(self):
        """A visit to two households of grid A1, one linked to each of its household heads: (visit, the first
        head's household, the second head's household), each with a demand. Made on first use."""
        if not hasattr(self, "_shared_visit"):
            from tests.factories import HouseholdFactory, VisitFactory
            from tests.households.factories import DemandFactory

            own = HouseholdFactory(grid=self.grid_a1, household_head=self.head_a1, head_name="马家")
            other = HouseholdFactory(grid=self.grid_a1, household_head=self.head_a1_2, head_name="牛家")
            visit = VisitFactory(grid=self.grid_a1, households=[own, other])
            DemandFactory(visit=visit, household=own, content="马家：修缮院坝")
            DemandFactory(visit=visit, household=other, content="牛家：低保复核")
            self._shared_visit = (visit, own, other)
        return self._shared_visit


@pytest.fixture
def world(db) -> World:
    township = TownshipFactory(name="青石镇", code="510723105000")
    other = TownshipFactory(name="白马镇", code="510723106000")
    village_a = VillageFactory(township=township, name="桃源村")
    village_b = VillageFactory(township=township, name="柳湾村")
    grid_a1 = GridFactory(village=village_a, name="第一网格")
    grid_a2 = GridFactory(village=village_a, name="第二网格")
    grid_b1 = GridFactory(village=village_b, name="第一网格")
    head_a1 = HouseholdHeadFactory(grid=grid_a1, name="马林")
    head_a1_2 = HouseholdHeadFactory(grid=grid_a1, name="牛犇")
    R = User.Role
    users = {
        "staff": UserFactory(username="staff", role=R.TOWNSHIP_STAFF, township=township),
        "supervisor": UserFactory(username="supervisor", role=R.SUPERVISOR, township=township),
        "township_cadre": UserFactory(username="tcadre", role=R.TOWNSHIP_CADRE, township=township, villages=[village_a]),
        "village_cadre": UserFactory(username="vcadre", role=R.VILLAGE_CADRE, township=township, villages=[village_a]),
        "village_cadre_b": UserFactory(username="vcadre_b", role=R.VILLAGE_CADRE, township=township, villages=[village_b]),
        "grid_worker": UserFactory(username="gworker", role=R.GRID_WORKER, township=township, grids=[grid_a1]),
        "household_head": UserFactory(
            username="head", role=R.HOUSEHOLD_HEAD, township=township, household_head=head_a1
        ),
        "outsider": UserFactory(username="outsider", role=R.TOWNSHIP_STAFF, township=other),
        "grid_worker_a2": UserFactory(username="gworker_a2", role=R.GRID_WORKER, township=township, grids=[grid_a2]),
        "household_head_2": UserFactory(
            username="head2", role=R.HOUSEHOLD_HEAD, township=township, household_head=head_a1_2
        ),
    }
    return World(township, other, village_a, village_b, grid_a1, grid_a2, grid_b1, head_a1, users, head_a1_2)


@pytest.fixture
def county(world):
    """The world's two townships made one county (平武县), with its county staff and county leader, and the staff of
    another county (江油市, one township) as ``county_outsider``. Requested before ``clients``, it adds them to it."""
    from governance.models import County, Township

    county = County.objects.create(name="平武县", code="510723")
    elsewhere = County.objects.create(name="江油市", code="510781")
    Township.objects.filter(pk__in=[world.township.pk, world.other_township.pk]).update(county=county)
    for township in (world.township, world.other_township):
        township.refresh_from_db()
    far = TownshipFactory(name="中坝镇", code="510781100000", county=elsewhere)
    R = User.Role
    world.users["county_staff"] = UserFactory(username="cstaff", role=R.COUNTY_STAFF, county=county, township=None)
    world.users["county_leader"] = UserFactory(username="cleader", role=R.COUNTY_LEADER, county=county, township=None)
    world.users["county_outsider"] = UserFactory(
        username="coutsider", role=R.COUNTY_STAFF, county=elsewhere, township=None
    )
    world.far_township = far
    return county


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(world) -> dict[str, Client]:
    """A logged-in test client per persona, keyed like ``world.users``."""
    return {name: _client_for(user) for name, user in world.users.items()}


@pytest.fixture
def login_client():
    return _client_for


# --- Celery: a real worker process on the real Redis ---------------------------------------------------


def _wait_for_worker(app, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
        time.sleep(0.3)
    raise RuntimeError("the Celery worker did not answer a ping in time")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start ``celery worker`` (optionally with ``--beat``) as a separate process against the test database and
    the real Redis; stop it afterwards. Tests that use it see committed data only (transactional_db)."""
    from config.celery import app

    processes = []

    def start(*, beat: bool = False, extra_env: dict | None = None) -> subprocess.Popen:
        db = settings.DATABASES["default"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "REDIS_URL": settings.REDIS_URL,
            **(extra_env or {}),
        }
        cmd = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
               "--without-gossip", "--without-mingle", "--hostname", f"test-{os.getpid()}-{len(processes)}@%h"]
        if beat:
            cmd += ["--beat", "--schedule", str(tmp_path / "beat-schedule")]
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        processes.append((proc, log))
        _wait_for_worker(app)
        return proc

    app.control.purge()
    yield start
    for proc, log in processes:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()


# --- Browser tests: Debian's chromium through Playwright ----------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(autouse=True, scope="session")
def _patient_expectations():
    """Two cores run the live server, Chromium and the test together: give assertions 15 s, not 5."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # pragma: no cover - playwright is a test dependency
        return
    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync", "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def login_through_page(page, base_url: str, username: str, password: str = PASSWORD):
    """Log in through the real login page and wait until it has landed (a goto racing the POST would cancel it).

    The page before is left first: a part of it that htmx asks for after the cookies are cleared (the bell's count)
    would otherwise reach the server as nobody's, and its answer could set another CSRF cookie under the login form.
    """
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    return page


@pytest.fixture
def browser_login(live_server, page):
    """Log in through the real login page; returns the page."""

    def login(username: str, password: str = PASSWORD):
        return login_through_page(page, live_server.url, username, password)

    return login


def pytest_report_header(config):
    return f"today: {'the machine clock' if TEST_TODAY.lower() == 'now' else pinned_moment(TEST_TODAY).isoformat()}"


def pytest_collection_modifyitems(config, items):
    # Whatever starts a worker or drives Chromium is marked so, whether or not its module says it: `make test-fast`
    # deselects by these markers, and a worker's test runs on the real clock.
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "celery_worker_process" in fixtures:
            item.add_marker(pytest.mark.celery)
        if "page" in fixtures or "live_server" in fixtures:
            item.add_marker(pytest.mark.browser)
    # Browser tests need async-unsafe DB access from the live server thread: Playwright's sync API runs an event loop
    # in the test's thread, and Django would raise SynchronousOnlyOperation.
    if any("browser" in item.keywords for item in items):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
