"""The 信访事项台账 export: the official layout in .xlsx, a streamed .csv with neutralised cells, both scoped."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from petitions.models import Petition
from tests.core.sheet_checks import (
    assert_cjk_font_everywhere,
    assert_prints_right,
    assert_rows_fit_their_text,
    in_english,
)

from .factories import advance, assign, outsider, register

HEADERS = ["序号", "编号", "来信来访日期", "信访形式（渠道）", "交办单位", "信访人", "人数", "属地村", "问题类别", "反映问题",
           "诉求", "越级", "重复访", "受理日期", "包案领导", "责任单位", "办结时限", "办理情况", "答复日期", "办结日期",
           "群众满意度", "是否销号"]
GROUPED = range(15, 23)
N = len(HEADERS)


pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def ledger(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    closed = register(by=staff, village=world.village_a, received_on=dt.date(2026, 1, 5), head_count=8,
                      petitioners=[outsider("王一"), outsider("王二")], channel=Petition.Channel.LETTER,
                      demands="足额发放补偿款")
    assign(closed, by=staff, lead=supervisor, unit="镇国土所")
    advance(closed, Petition.Status.CLOSED, staff=staff, supervisor=supervisor)
    open_ = register(by=staff, village=world.village_a, received_on=dt.date(2026, 2, 1),
                     content="=HYPERLINK(\"http://x\")", petitioners=[outsider("-李三")], subject="environment",
                     channel=Petition.Channel.REFERRED, referred_by="县信访局", skip_level=True)
    other = register(by=staff, village=world.village_b, received_on=dt.date(2026, 2, 2))
    return closed, open_, other


def _workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


def _headers(ws):
    return [ws.cell(4 if c in GROUPED else 3, c).value for c in range(1, N + 1)]


def _row(ws, row):
    return [ws.cell(row, c).value for c in range(1, N + 1)]


def test_the_xlsx_ledger_has_the_official_layout(world, clients, ledger):
    closed, open_, _ = ledger
    response = clients["staff"].get(reverse("petitions:export"), {
        "format": "xlsx", "village": world.village_a.pk, "received_from": "2026-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''%E4%BF%A1%E8%AE%BF" in response["Content-Disposition"]  # 信访…
    ws = _workbook(response)
    assert ws["A1"].value == "青石镇信访事项台账"
    assert ws["A2"].value == "填报单位：青石镇（盖章）"
    assert ws["L2"].value == "统计期间：2026年1月1日至…"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:V1" in merged
    assert {"A3:A4", "B3:B4", "J3:J4", "O3:Q3", "R3:V3"} <= merged
    assert (ws["O3"].value, ws["R3"].value) == ("包案责任", "办理落实")
    assert _headers(ws) == HEADERS
    first = _row(ws, 5)
    assert first[:9] == [1, closed.number, "2026年1月5日", "来信", None, "王一、王二等8人", 8, "桃源村", "征地拆迁"]
    assert first[9] == "反映征地补偿款未足额发放" and first[10] == "足额发放补偿款"
    assert first[11:14] == ["否", "否", "2026年1月8日"]
    assert (first[14], first[15]) == (str(world.users["supervisor"]), "镇国土所")
    assert first[17] == "2026年3月2日答复：经核实，补偿款已于本月补发到位。"
    assert first[18:] == ["2026年3月2日", "2026年3月2日", "满意", "是"]
    second = _row(ws, 6)
    assert second[1] == open_.number and second[21] == "否"
    assert second[3:5] == ["上级转送/交办", "县信访局"] and second[11] == "是"
    assert second[8] == "环境保护" and second[9].startswith("'=")
    total = _row(ws, 7)
    assert total[0] == "合计" and total[2] == "共2件（集体访1件，越级访1件），已销号1件" and total[6] == 9
    footer = " ".join(str(v or "") for v in _row(ws, 9))
    assert "填报人" in footer and "审核人" in footer and "联系电话" in footer and "填报日期：2026年3月2日" in footer
    assert_prints_right(ws, frozen="A5", title_rows="$3:$4")
    assert_cjk_font_everywhere(ws)
    assert_rows_fit_their_text(ws, 1, 9)


def test_an_empty_ledger_says_so(world, clients, ledger):
    ws = _workbook(clients["staff"].get(reverse("petitions:export"), {"format": "xlsx", "received_to": "2025-12-31"}))
    assert ws["A5"].value == "本期无信访事项。"
    assert ws["A6"].value == "合计" and ws["G6"].value == 0


def test_the_ledger_is_chinese_under_the_english_ui(world, clients, ledger):
    client = in_english(clients["staff"])
    response = client.get(reverse("petitions:export"), {"format": "xlsx"})
    assert "filename*=utf-8''%E4%BF%A1%E8%AE%BF" in response["Content-Disposition"]
    ws = _workbook(response)
    assert ws["A1"].value == "青石镇信访事项台账" and ws["A2"].value == "填报单位：青石镇（盖章）"
    assert _headers(ws) == HEADERS
    assert _row(ws, 5)[8] == "征地拆迁" and _row(ws, 5)[20] == "满意"
    text = b"".join(client.get(reverse("petitions:export"), {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS) and "Satisfied" not in text and "征地拆迁" in text


@pytest.mark.parametrize(("persona", "unit"), [
    ("staff", "青石镇"), ("supervisor", "青石镇"), ("village_cadre", "青石镇桃源村"), ("village_cadre_b", "青石镇柳湾村"),
    ("grid_worker", "青石镇桃源村第一网格"),
])
def test_the_reporting_unit_is_the_scope_of_who_exports(world, clients, ledger, persona, unit):
    ws = _workbook(clients[persona].get(reverse("petitions:export"), {"format": "xlsx"}))
    assert ws["A1"].value == f"{unit}信访事项台账"
    assert ws["A2"].value == f"填报单位：{unit}（盖章）"


def test_formula_like_text_is_neutralised_in_both_files(world, clients, ledger):
    ws = _workbook(clients["staff"].get(reverse("petitions:export"), {"format": "xlsx", "q": "李三"}))
    assert ws.cell(5, 6).value == "'-李三"
    response = clients["staff"].get(reverse("petitions:export"), {"format": "csv", "q": "李三"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == HEADERS
    assert rows[1][5] == "'-李三"
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
