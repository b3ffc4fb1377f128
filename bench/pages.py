"""Server-side time and query counts of the pages that matter, run inside one dataset's database.

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings python -m bench.pages township > result.json
    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings python -m bench.pages county county_staff > result.json

The second form measures the same pages as the county's staff (县综治中心, every township of the county: issue 21),
and the county overview; the county dataset has them once seeded with this version (``make bench`` with --reseed).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from urllib.parse import quote

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

# Set up as the server is (config/wsgi.py).
from config.wsgi import application  # noqa: E402, F401
from governance.models import User  # noqa: E402

REPEAT = int(__import__("os").environ.get("BENCH_REPEAT", "50"))


def page_specs(*, county: bool = False):
    """(label, url) of every page measured; a page whose URL does not exist yet is reported as missing.
    ``county``: the county staff's pages, with the county overview (dashboards:county) uncached."""
    from households.models import Household, Tag

    household = Household.objects.order_by("pk").first()
    tag = Tag.objects.filter(code="elderly-alone").first()
    specs = [
        ("baseline: bare tables2 list", "bench-baseline", {}, ""),
        ("households: first page", "households:list", {}, ""),
        ("households: page 200", "households:list", {}, "?page=200"),
        ("households: by tag", "households:list", {}, f"?tag={tag.pk if tag else ''}"),
        ("households: text search", "households:list", {}, "?q=" + quote("王")),
        ("household page", "households:detail", {"pk": household.pk if household else 0}, ""),
        ("residents: first page", "households:resident-list", {}, ""),
        ("residents: name search", "households:resident-list", {}, "?q=" + quote("王")),
        ("visits: first page", "households:visit-list", {}, ""),
        ("villages", "governance:village-list", {}, ""),
        ("grids", "governance:grid-list", {}, ""),
        ("household heads", "governance:head-list", {}, ""),
        ("users", "governance:user-list", {}, ""),
        ("calendar", "governance:calendar", {}, ""),
        ("disputes: list", "disputes:list", {}, ""),
        ("petitions: list", "petitions:list", {}, ""),
        ("dashboard", "dashboards:home", {}, ""),
    ]
    if county:
        specs.append(("county overview", "dashboards:county", {}, ""))
    result = []
    for label, name, kwargs, query in specs:
        try:
            result.append((label, reverse(name, kwargs=kwargs) + query))
        except NoReverseMatch:
            result.append((label, None))
    return result


def _backend_cpu_ns() -> tuple[int, int] | None:
    """(pid, CPU time in ns) of the PostgreSQL backend serving this process (``/proc/<pid>/schedstat``: the time it
    ran on a CPU), read without a query; None where that cannot be read (another machine, or no connection)."""
    raw = getattr(connection, "connection", None)
    pid = getattr(getattr(raw, "info", None), "backend_pid", None)
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return pid, int(f.read().split()[0])
    except OSError:
        return None


def measure(client: Client, urls: list[str]) -> dict[str, dict]:
    """Every page REPEAT times, in rounds (one request of each page per round): a machine that slows down for a
    while slows every page alike, so the ratios to the baseline stay what they are.

    Besides the wall-clock time, each request's CPU time: the request thread's (``time.thread_time()``: Python,
    templates, the database driver) and the PostgreSQL backend's that served it (its ``schedstat``). Other processes
    on a shared machine stretch the wall-clock time but not these. Not counted: the CPU of parallel query workers
    (other processes; ``BENCH_PARALLEL=0`` turns them off) and that of a request during which the connection was
    replaced (CONN_MAX_AGE), left out of the CPU medians."""
    for url in urls:
        client.get(url)  # warm: templates compiled, connections open
    times: dict[str, list[float]] = {url: [] for url in urls}
    app_cpu: dict[str, list[float]] = {url: [] for url in urls}
    db_cpu: dict[str, list[float]] = {url: [] for url in urls}
    total_cpu: dict[str, list[float]] = {url: [] for url in urls}
    status: dict[str, int] = {}
    for _ in range(REPEAT):
        for url in urls:
            connection.ensure_connection()
            db_before = _backend_cpu_ns()
            cpu_started = time.thread_time()
            started = time.perf_counter()
            response = client.get(url)
            times[url].append((time.perf_counter() - started) * 1000)
            app_cpu[url].append((time.thread_time() - cpu_started) * 1000)
            db_after = _backend_cpu_ns()
            if db_before and db_after and db_before[0] == db_after[0]:
                db_cpu[url].append((db_after[1] - db_before[1]) / 1e6)
                total_cpu[url].append(app_cpu[url][-1] + db_cpu[url][-1])
            status[url] = response.status_code
    result = {}
    for url, ms in times.items():
        ms.sort()
        result[url] = {
            "status": status[url],
            "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1),
            "app_cpu_ms": round(statistics.median(app_cpu[url]), 1),
        }
        if db_cpu[url]:
            result[url]["db_cpu_ms"] = round(statistics.median(db_cpu[url]), 1)
            result[url]["cpu_ms"] = round(statistics.median(total_cpu[url]), 1)
    return result


def bare_sql(client: Client, url: str) -> dict:
    """The page's own statements run again as bare SQL: each ``SELECT`` the page sent (captured with its parameters
    in place), through the driver's cursor with nothing of Django, REPEAT times; the median of their summed CPU time
    (the thread's and the backend's, as ``measure``) and of each statement's. Issue #30: the dashboard uncached
    within 3× the sum of its aggregates as bare SQL."""
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    per_statement: list[list[float]] = [[] for _ in statements]
    totals: list[float] = []
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        cursor.execute("SET jit = off")
        for _ in range(max(3, REPEAT // 2)):
            total = 0.0
            for i, sql in enumerate(statements):
                db_before = _backend_cpu_ns()
                cpu_started = time.thread_time()
                cursor.execute(sql)
                cursor.fetchall()
                app = (time.thread_time() - cpu_started) * 1000
                db_after = _backend_cpu_ns()
                db = (db_after[1] - db_before[1]) / 1e6 if db_before and db_after else 0.0
                per_statement[i].append(app + db)
                total += app + db
            totals.append(total)
        raw.rollback()
    return {
        "bare_sql_cpu_ms": round(statistics.median(totals), 1),
        "bare_sql_statements": [{"sql": sql[:160], "cpu_ms": round(statistics.median(ms), 1)}
                                for sql, ms in zip(statements, per_statement, strict=True)],
    }


def query_count(client: Client, url: str, per_page: int) -> int:
    sep = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"{url}{sep}per_page={per_page}")
    return len(ctx.captured_queries)


def main(dataset: str, as_role: str = "township_staff") -> None:
    # A township's staff (not the superuser, whose demo role is also township staff): the everyday user; or, on the
    # county dataset, the county's staff, who see its twenty townships.
    role = User.Role.COUNTY_STAFF if as_role == "county_staff" else User.Role.TOWNSHIP_STAFF
    user = User.objects.filter(role=role, is_superuser=False, is_active=True).order_by("pk").first()
    if user is None:
        json.dump({"dataset": dataset, "error": f"no {role} user: reseed the dataset", "pages": []}, sys.stdout)
        return
    client = Client()
    client.force_login(user)
    specs = page_specs(county=role == User.Role.COUNTY_STAFF)
    timings = measure(client, [url for _, url in specs if url is not None])
    results = []
    for label, url in specs:
        if url is None:
            results.append({"page": label, "missing": True})
            continue
        row = {"page": label, "url": url, **timings[url]}
        row["queries_10"] = query_count(client, url, 10)
        row["queries_100"] = query_count(client, url, 100)
        if label == "dashboard":
            row.update(bare_sql(client, url))
        results.append(row)
    json.dump({"dataset": dataset, "user": user.username, "pages": results}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
