"""The 信访事项台账 export: the official layout in .xlsx, a streamed .csv with neutralised cells, both scoped."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from petitions.models import Petition

from .factories import advance, assign, outsider, register

HEADERS = ["序号", "编号", "信访人", "受理日期", "信访形式", "反映问题", "包案领导", "责任单位", "办结时限", "办理情况",
           "群众满意度", "是否销号"]


pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def ledger(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    closed = register(by=staff, village=world.village_a, received_on=dt.date(2026, 1, 5), head_count=8,
                      petitioners=[outsider("王一"), outsider("王二")])
    assign(closed, by=staff, lead=supervisor, unit="镇国土所")
    advance(closed, Petition.Status.CLOSED, staff=staff, supervisor=supervisor)
    open_ = register(by=staff, village=world.village_a, received_on=dt.date(2026, 2, 1),
                     content="=HYPERLINK(\"http://x\")", petitioners=[outsider("-李三")], subject="environment")
    other = register(by=staff, village=world.village_b, received_on=dt.date(2026, 2, 2))
    return closed, open_, other


def _workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_the_xlsx_ledger_has_the_official_layout(world, clients, ledger):
    closed, open_, _ = ledger
    response = clients["staff"].get(reverse("petitions:export"), {"format": "xlsx", "village": world.village_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = _workbook(response)
    assert ws["A1"].value == "青石镇信访事项台账"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:L1" in merged
    assert {"A3:A4", "B3:B4", "F3:F4", "G3:H3", "I3:L3"} <= merged
    assert (ws["G3"].value, ws["I3"].value) == ("包案责任", "办理落实")
    headers = [ws.cell(3, c).value if ws.cell(4, c).value is None else ws.cell(4, c).value for c in range(1, 13)]
    assert headers == HEADERS
    first = [ws.cell(5, c).value for c in range(1, 13)]
    assert first[0] == 1 and first[1] == closed.number
    assert first[2] == "王一、王二等8人"
    assert first[4] == "集体访、初信初访"
    assert first[5].startswith("【征地拆迁】")
    assert (first[6], first[7]) == (str(world.users["supervisor"]), "镇国土所")
    assert first[10] == "满意" and first[11] == "是"
    second = [ws.cell(6, c).value for c in range(1, 13)]
    assert second[1] == open_.number and second[11] == "否"
    assert second[5].startswith("【环境保护】")
    assert ws.cell(7, 2).value is None  # village B is filtered out
    footer = " ".join(str(ws.cell(8, c).value or "") for c in range(1, 13))
    assert "填报人" in footer and "审核人" in footer and "填报日期" in footer
    assert ws.freeze_panes == "A5"


def test_formula_like_text_is_neutralised_in_both_files(world, clients, ledger):
    ws = _workbook(clients["staff"].get(reverse("petitions:export"), {"format": "xlsx", "q": "李三"}))
    assert ws.cell(5, 3).value == "'-李三"
    response = clients["staff"].get(reverse("petitions:export"), {"format": "csv", "q": "李三"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == HEADERS
    assert rows[1][2] == "'-李三"
    assert len(rows) == 2


def test_the_csv_ledger_is_scoped(world, clients, ledger):
    response = clients["village_cadre"].get(reverse("petitions:export"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
    numbers = {r[1] for r in rows[1:]}
    assert numbers == {ledger[0].number, ledger[1].number}
    response = clients["village_cadre"].get(reverse("petitions:export"), {"format": "csv", "village": world.village_b.pk})
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))) == 1


def test_the_export_takes_few_queries_whatever_the_rows(world, clients, django_assert_max_num_queries):
    for i in range(30):
        petition = register(by=world.users["staff"], village=world.village_a, petitioners=[outsider(f"人{i}")])
        assign(petition, by=world.users["staff"], lead=world.users["supervisor"])
    with django_assert_max_num_queries(12):
        response = clients["staff"].get(reverse("petitions:export"), {"format": "xlsx"})
    assert _workbook(response).cell(34, 2).value is not None
