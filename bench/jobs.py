"""The jobs that matter, each next to its bare SQL equivalent, in one dataset's database:

- CSV export of 100,000 residents through households/exports.py (time, peak extra memory) vs COPY … TO STDOUT;
- a 10,000-row roster import (read, validate, commit) vs COPY of the same rows into a scratch table
  (the import's writes are rolled back afterwards, so the dataset stays as seeded).

    DATABASE_URL=… DJANGO_SETTINGS_MODULE=bench.settings python -m bench.jobs > result.json
"""

from __future__ import annotations

import csv
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from governance.models import Grid, User  # noqa: E402
from households.idnumbers import make_id_number  # noqa: E402
from households.models import Resident, RosterImport  # noqa: E402

EXPORT_ROWS = 100_000
IMPORT_ROWS = 10_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _backend_cpu() -> float:
    """CPU seconds of the PostgreSQL backend serving this process so far (its schedstat; 0 where unreadable)."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9
    except OSError:
        return 0.0


def export_job() -> dict:
    """The residents export exactly as the list view builds it (scope, prefetch, columns), as the superuser,
    limited to the first 100,000 residents (run it on the county dataset, which has that many)."""
    from django.test import RequestFactory

    from households.exports import export_response
    from households.views import ResidentListView

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    request = RequestFactory().get("/households/residents/", {"format": "csv"})
    request.user = admin
    view = ResidentListView()
    view.setup(request)
    ids = list(Resident.objects.order_by("pk").values_list("pk", flat=True)[:EXPORT_ROWS])
    queryset = view.export_queryset(view.get_queryset().filter(pk__lte=ids[-1]).order_by("pk"))
    columns = view.export_columns()
    before = _peak_mb()
    started = time.perf_counter()
    cpu_started, db_started = time.process_time(), _backend_cpu()
    response = export_response(queryset=queryset, columns=columns, filename="residents", fmt="csv")
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    seconds = time.perf_counter() - started
    cpu, db = time.process_time() - cpu_started, _backend_cpu() - db_started
    extra = _peak_mb() - before

    started = time.perf_counter()
    cpu_started, db_started = time.process_time(), _backend_cpu()
    bare_size = 0
    with connection.cursor() as cursor:
        # The export's rows and columns (issue 30: "within 5× COPY for the same rows and columns"): the residents'
        # own fields, their household's head and number, village and grid names, their groups' names.
        copy_sql = (
            "COPY (SELECT r.name, r.gender, r.id_number, r.phone, r.relation, r.status, h.head_name, h.house_number, "
            "v.name, g.name, (SELECT string_agg(t.name, '、' ORDER BY t.sort_order, t.code) FROM households_tag t "
            "JOIN households_resident_tags rt ON rt.tag_id = t.id WHERE rt.resident_id = r.id) "
            "FROM households_resident r JOIN households_household h ON h.id = r.household_id "
            "JOIN governance_grid g ON g.id = h.grid_id JOIN governance_village v ON v.id = g.village_id "
            f"WHERE r.id <= {ids[-1]} ORDER BY r.id) TO STDOUT WITH CSV HEADER"
        )
        with cursor.connection.cursor().copy(copy_sql) as copy:
            for block in copy:
                bare_size += len(block)
    bare = time.perf_counter() - started
    bare_cpu, bare_db = time.process_time() - cpu_started, _backend_cpu() - db_started
    return {"job": f"CSV export of {len(ids):,} residents", "seconds": round(seconds, 2), "bare_seconds": round(bare, 2),
            "notes": f"{rows - 1:,} rows, {size / 1e6:.1f} MB; peak memory +{extra:.0f} MB (COPY: {bare_size / 1e6:.1f} MB); "
                     f"CPU {cpu + db:.2f} s (app {cpu:.2f} + database {db:.2f}) against COPY's {bare_cpu + bare_db:.2f} s "
                     f"(client {bare_cpu:.2f} + database {bare_db:.2f}): {(cpu + db) / (bare_cpu + bare_db):.1f}×",
            "cpu_seconds": round(cpu + db, 2), "bare_cpu_seconds": round(bare_cpu + bare_db, 2)}


def _roster_csv(grid: Grid, rows: int) -> str:
    from households.imports import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _key, header, _required in COLUMNS])
    import datetime as dt

    for n in range(rows):
        number = make_id_number("990101", dt.date(1960, 1, 1) + dt.timedelta(days=n // 400), (n % 400) * 2 + 1, True)
        values = {
            "village": grid.village.name, "grid": grid.name, "address": f"{grid.village.name}压测组",
            "house_number": f"压测{n // 4:05d}号", "name": f"测试{n:05d}", "relation": "户主" if n % 4 == 0 else "子女",
            "id_number": number, "phone": f"139{n:08d}", "status": "在家", "residence_type": "常住",
            "tags": "", "notes": "",
        }
        writer.writerow([values[key] for key, _header, _required in COLUMNS])
    return out.getvalue()


def import_job() -> dict:
    from households import imports

    staff = User.objects.filter(role=User.Role.TOWNSHIP_STAFF, is_superuser=False).order_by("pk").first()
    grid = Grid.objects.filter(village__township=staff.township).select_related("village").order_by("pk").first()
    text = _roster_csv(grid, IMPORT_ROWS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.csv"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        rows = imports.read_rows(path)
        read = time.perf_counter() - started
        result = imports.validate(rows, township=staff.township, user=staff)
        validated = time.perf_counter() - started
        problems = len(result.problems)
        with transaction.atomic():
            roster = RosterImport.objects.create(township=staff.township, uploaded_by=staff, file_name="roster.csv",
                                                 rows=[[n, v] for n, v in rows], total_rows=len(rows))
            commit_started = time.perf_counter()
            imports.commit(roster, staff)
            committed = time.perf_counter() - commit_started
            created = roster.created_residents
            transaction.set_rollback(True)  # leave the dataset as seeded
    total = validated + committed

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_roster (name text, id_number text, phone text)")
        with cursor.connection.cursor().copy("COPY bench_roster (name, id_number, phone) FROM STDIN") as copy:
            for line in list(csv.reader(io.StringIO(text)))[1:]:
                copy.write_row([line[4], line[6], line[7]])
        cursor.execute("DROP TABLE bench_roster")
    bare = time.perf_counter() - started
    return {"job": f"roster import of {IMPORT_ROWS:,} rows", "seconds": round(total, 2), "bare_seconds": round(bare, 2),
            "notes": f"read {read:.1f} s, validate {validated - read:.1f} s, commit {committed:.1f} s; "
                     f"{created:,} residents written, {problems} problems"}


def main() -> None:
    jobs = []
    wanted = sys.argv[1:] or ["export", "import"]
    for job in [j for j in (export_job, import_job) if j.__name__.removesuffix("_job") in wanted]:
        try:
            jobs.append(job())
        except Exception as exc:  # noqa: BLE001 - one broken job must not hide the others' numbers
            jobs.append({"job": job.__name__, "seconds": None, "notes": f"failed: {exc!r}"[:300]})
    json.dump({"jobs": jobs}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
