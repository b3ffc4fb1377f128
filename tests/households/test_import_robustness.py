"""Roster import of files the readers cannot parse, and of heavy files inside the limits (issue 20, items 3 and 4)."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from households import imports, tasks
from households.models import RosterImport
from tests.households.rosters import csv_bytes, person, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
UNREADABLE = "无法读取该文件"


def _upload(client, content: bytes, name="花名册.xlsx", follow=True):
    return client.post(reverse("households:import"), {"file": SimpleUploadedFile(name, content, XLSX)}, follow=follow)


def _with_sheet(change, rows=2) -> bytes:
    """A roster whose first sheet's XML is passed through ``change`` (None leaves the sheet out)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([person(n) for n in range(rows)])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                if change is None:
                    continue
                data = change(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


def _broken_xml(sheet: bytes) -> bytes:
    return sheet[: len(sheet) // 2]


def _text_in_a_number_cell(sheet: bytes) -> bytes:
    return sheet.replace(b"</sheetData>", b'<row r="9"><c r="A9" t="n"><v>abc</v></c></row></sheetData>')


def _entity_bomb(sheet: bytes) -> bytes:
    """Billion laughs: ten levels of ten, a gigabyte of "lol" from a few hundred bytes."""
    entities = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    doctype = b'<!DOCTYPE worksheet [<!ENTITY l0 "lol">' + entities + b"]>"
    bomb_row = b'<row r="9"><c r="A9" t="inlineStr"><is><t>&l9;</t></is></c></row></sheetData>'
    return doctype + sheet.replace(b"</sheetData>", bomb_row)


BAD_FILES = [
    pytest.param("roster.xlsx", lambda: _with_sheet(_broken_xml), UNREADABLE, id="malformed sheet XML"),
    pytest.param("roster.xlsx", lambda: _with_sheet(_text_in_a_number_cell), UNREADABLE, id="text in a number cell"),
    pytest.param("roster.xlsx", lambda: _with_sheet(_entity_bomb), UNREADABLE, id="entity-expansion bomb"),
    pytest.param("roster.xlsx", lambda: _with_sheet(None), UNREADABLE, id="workbook without its sheet"),
    pytest.param("roster.csv", lambda: csv_bytes([person(0, 备注="x" * 200_000)]), "超过 131,072 个字符",
                 id="CSV cell over the field limit"),
    # past the first 8 KB, which the upload check reads
    pytest.param("roster.csv", lambda: csv_bytes([person(n) for n in range(100)]) + b'"a\x00b",x\n', UNREADABLE,
                 id="CSV with a NUL"),
]


@pytest.mark.parametrize("name, content, message", BAD_FILES)
def test_a_small_file_the_parser_cannot_read_fails_at_once_with_a_message(world, clients, name, content, message):
    response = _upload(clients["staff"], content(), name=name)
    assert response.status_code == 200
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.FAILED
    assert message in roster_import.error
    assert message in response.content.decode()
    assert 'hx-trigger="every 1s"' not in response.content.decode()
    assert not roster_import.file  # the stored upload is deleted all the same
    assert "导入失败" in clients["staff"].get(reverse("households:import")).content.decode()


@pytest.mark.parametrize("name, content, message", BAD_FILES)
def test_a_large_file_the_parser_cannot_read_fails_in_the_worker_and_the_poll_stops(
    world, clients, settings, django_capture_on_commit_callbacks, name, content, message,
):
    settings.HOUSEHOLDS_IMPORT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False):
        _upload(clients["staff"], content(), name=name)
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.VALIDATING

    tasks.validate_import(roster_import.pk, world.users["staff"].pk)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED and message in roster_import.error
    progress = clients["staff"].get(reverse("households:import-progress", args=[roster_import.pk]),
                                    HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    page = clients["staff"].get(reverse("households:import-preview", args=[roster_import.pk])).content.decode()
    assert message in page and 'hx-trigger="every 1s"' not in page


def test_an_entity_bomb_is_refused_quickly(world, clients):
    started = time.monotonic()
    _upload(clients["staff"], _with_sheet(_entity_bomb))
    assert time.monotonic() - started < 2
    assert UNREADABLE in RosterImport.objects.get().error


def test_an_unexpected_error_in_the_worker_fails_the_import_and_is_raised(world, clients, settings, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    settings.HOUSEHOLDS_IMPORT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False):
        _upload(clients["staff"], xlsx_bytes([person(0)]))
    roster_import = RosterImport.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(imports, "validate", broken)
    with pytest.raises(RuntimeError):
        tasks.validate_import(roster_import.pk, world.users["staff"].pk)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.FAILED
    assert "意外错误" in roster_import.error


# --- Heavy files inside the limits ----------------------------------------------------------------------


def test_a_file_over_the_row_cap_is_refused_with_the_cap_and_the_upload_page_states_it(world, clients, settings):
    settings.ROSTER_MAX_ROWS = 10
    assert "每个文件最多 10 行" in clients["staff"].get(reverse("households:import")).content.decode()
    _upload(clients["staff"], xlsx_bytes([person(n) for n in range(10)]), name="ten.xlsx")
    assert RosterImport.objects.get(file_name="ten.xlsx").status == RosterImport.Status.READY

    response = _upload(clients["staff"], csv_bytes([person(n) for n in range(11)]), name="eleven.csv")
    roster_import = RosterImport.objects.get(file_name="eleven.csv")
    assert roster_import.status == RosterImport.Status.FAILED
    assert "超过 10 行" in roster_import.error and "拆分" in roster_import.error
    assert "超过 10 行" in response.content.decode()


def test_reading_stops_at_the_row_cap(settings, tmp_path):
    settings.ROSTER_MAX_ROWS = 5
    seen = []

    def rows():
        yield [header for _key, header, _req in imports.COLUMNS]
        for n in range(1_000_000):
            seen.append(n)
            yield ["桃源村", "第一网格", "一组", "", f"测试{n}", "户主", "x"]

    with pytest.raises(imports.ImportRefused):
        imports._read_open_rows(rows())
    assert len(seen) == 6


def test_the_progress_poll_never_loads_the_stored_rows(world, clients, settings, django_capture_on_commit_callbacks):
    settings.HOUSEHOLDS_IMPORT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False):
        _upload(clients["staff"], xlsx_bytes([person(n) for n in range(30)]))
    roster_import = RosterImport.objects.get()
    RosterImport.objects.filter(pk=roster_import.pk).update(rows=[[n, {"name": "x"}] for n in range(30)],
                                                            total_rows=30, processed_rows=10)
    with CaptureQueriesContext(connection) as queries:
        response = clients["staff"].get(reverse("households:import-progress", args=[roster_import.pk]),
                                        HTTP_HX_REQUEST="true")
    assert "10 / 30" in response.content.decode()
    sql = " ".join(q["sql"] for q in queries if "households_rosterimport" in q["sql"])
    assert '"households_rosterimport"."status"' in sql
    for column in ("rows", "problems", "warnings", "bad_rows"):
        assert f'"households_rosterimport"."{column}"' not in sql


def test_the_preview_shows_a_page_of_problems_and_never_loads_the_stored_rows(world, clients, monkeypatch):
    from households import views

    monkeypatch.setattr(views, "PROBLEMS_PER_PAGE", 2)
    rows = [person(n) for n in range(20)]
    for n in (3, 8, 13):
        rows[n]["网格"] = f"第{n}网格"  # three unknown grids: three problems, on rows 5, 10, 15
    _upload(clients["staff"], xlsx_bytes(rows))
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.READY and len(roster_import.rows) == 20
    url = reverse("households:import-preview", args=[roster_import.pk])

    with CaptureQueriesContext(connection) as queries:
        first = clients["staff"].get(url).content.decode()
    assert "第3网格" in first and "第8网格" in first and "第13网格" not in first
    assert "第 1 页，共 2 页（3 个问题）" in first
    assert 'data-testid="bad-row-count">3<' in first and "17" in first  # 17 valid rows
    sql = " ".join(q["sql"] for q in queries)
    assert '"households_rosterimport"."rows"' not in sql
    assert '"households_rosterimport"."problems"' not in sql.replace('jsonb_path_query_array("households_rosterimport"."problems"', "").replace('jsonb_array_length("households_rosterimport"."problems"', "")

    second = clients["staff"].get(url, {"page": 2}).content.decode()
    assert "第13网格" in second and "第3网格" not in second
    lines = b"".join(clients["staff"].get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 4  # the download has every problem


def test_an_unexpected_error_while_importing_writes_nothing_and_lets_the_import_be_tried_again(
        world, clients, settings, monkeypatch, django_capture_on_commit_callbacks):
    from households.models import Household

    settings.HOUSEHOLDS_IMPORT_INLINE_ROWS = 0
    _upload(clients["staff"], xlsx_bytes([person(0), person(1)]))
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.READY
    preview = reverse("households:import-preview", args=[roster_import.pk])
    commit_url = reverse("households:import-commit", args=[roster_import.pk])
    with django_capture_on_commit_callbacks(execute=False):
        clients["staff"].post(commit_url)
    real_write = imports._write

    def broken(*args, **kwargs):
        real_write(*args, **kwargs)
        raise RuntimeError("a bug of ours, after half the rows")

    monkeypatch.setattr(imports, "_write", broken)
    with pytest.raises(RuntimeError):
        tasks.commit_import(roster_import.pk, world.users["staff"].pk, False)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY and not Household.objects.exists()
    page = clients["staff"].get(preview).content.decode()
    assert "意外错误" in page and "导入中" not in page
    monkeypatch.setattr(imports, "_write", real_write)
    with django_capture_on_commit_callbacks(execute=False):
        clients["staff"].post(commit_url)
    tasks.commit_import(roster_import.pk, world.users["staff"].pk, False)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert Household.objects.count() == roster_import.created_households > 0
