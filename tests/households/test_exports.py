"""Exports: scoped, filtered, masked, formula-safe, streamed in chunks."""

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from households.exports import neutralise
from households.idnumbers import make_id_number
from households.models import Resident
from tests.factories import HouseholdFactory, tag, tag_with
from tests.households.factories import ResidentFactory


def _csv(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_resident_exports_mask_id_numbers_and_phones_and_show_no_birth_date(world, clients, registry):
    url = reverse("households:resident-list")
    text = _csv(clients["staff"].get(url, {"format": "csv"}))
    assert "510723********1234" in text and "138****5678" in text
    assert "510723195803081234" not in text and "13812345678" not in text and "1958-03-08" not in text
    rows = _xlsx_rows(clients["staff"].get(url, {"format": "xlsx"}))
    assert rows[2][:4] == ["姓名", "性别", "身份证号", "联系电话"]
    flat = [str(v) for row in rows for v in row]
    assert "510723********1234" in flat and "510723195803081234" not in flat


def test_exports_are_scoped_and_follow_the_filters(world, clients, registry):
    tag_with(registry.resident_a1, tag("elderly-alone"))
    text = _csv(clients["village_cadre"].get(reverse("households:resident-list"), {"format": "csv"}))
    assert "李建华" in text and "赵秀兰" not in text
    text = _csv(clients["staff"].get(reverse("households:list"), {"format": "csv", "tag": tag("elderly-alone").pk}))
    assert "李建华" in text and "王建国" not in text and "赵秀兰" not in text
    text = _csv(clients["staff"].get(reverse("households:list"), {"format": "csv", "village": world.village_b.pk}))
    assert "赵秀兰" in text and "李建华" not in text


def test_an_unknown_format_is_404(world, clients, registry):
    assert clients["staff"].get(reverse("households:list"), {"format": "pdf"}).status_code == 404


def test_cells_that_start_like_a_formula_are_neutralised(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, head_name="=HYPERLINK(\"http://x\")", address="@SUM(A1)",
                                 house_number="-1+1")
    ResidentFactory(household=household, name="+cmd")
    text = _csv(clients["staff"].get(reverse("households:list"), {"format": "csv"}))
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "'-1+1" in text
    response = clients["staff"].get(reverse("households:list"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == "'=HYPERLINK(\"http://x\")" for c in cells)


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert neutralise(12) == 12
    assert neutralise("张三") == "张三"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise(None) == ""


def test_focus_tags_are_left_out_of_a_grid_workers_export(world, clients, registry):
    tag_with(registry.resident_a1, tag("focus-prestige"), tag("veteran"))
    text = _csv(clients["grid_worker"].get(reverse("households:resident-list"), {"format": "csv"}))
    assert "退役军人" in text and "有威信的" not in text


def test_a_large_export_is_read_in_chunks_not_all_at_once(world, clients):
    """2,500 residents: the rows come through a server-side cursor (fetched 2,000 at a time), as tuples of the
    columns' values with each resident's groups in the same statement: one statement whatever the number of rows,
    no query per chunk or per row."""
    household = HouseholdFactory(grid=world.grid_a1)
    Resident.objects.bulk_create(
        Resident(household=household, township=world.township, name=f"成员{n}", gender="male",
                 birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=n),
                 id_number=make_id_number("510723", dt.date(1950, 1, 1) + dt.timedelta(days=n), 11, True))
        for n in range(2500)
    )
    response = clients["staff"].get(reverse("households:resident-list"), {"format": "csv"})
    with CaptureQueriesContext(connection) as queries:
        lines = _csv(response).strip().splitlines()
    assert len(lines) == 2501
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1, statements
    assert "CURSOR FOR" in statements[0] and '"households_tag"' in statements[0]
