"""矛盾纠纷排查化解台账: the .xlsx in the official layout, and the .csv."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from disputes.ledger import neutralise
from disputes.models import Dispute
from disputes.services import dispute_assign
from tests.core.sheet_checks import (
    assert_cjk_font_everywhere,
    assert_prints_right,
    assert_rows_fit_their_text,
    in_english,
)
from tests.disputes.factories import DisputeFactory, PartyFactory, advance

COLUMNS = ["序号", "编号", "登记日期", "村（社区）", "来源", "当事人", "纠纷类型", "简要情况", "涉及人数", "金额（元）",
           "风险等级", "化解层级", "调解方式", "调解员", "化解结果", "化解日期", "包案领导", "责任单位", "办结时限", "回访",
           "履行情况", "结案情况", "是否销号"]
GROUPED = range(12, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
LONG = "两户因宅基地界址发生争执，" * 12 + "经网格员多次上门劝解未果。"


@pytest.fixture
def ledger_disputes(world):
    staff = world.users["staff"]
    closed = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 10, 8), kind="land", people_involved=3,
                            amount=Decimal("12000.50"), risk="significant", description=LONG)
    PartyFactory(dispute=closed, name="张三")
    PartyFactory(dispute=closed, name="李四")
    dispute_assign(dispute=closed, by=staff, lead=world.users["supervisor"], responsible_unit="镇司法所",
                   deadline=dt.date(2026, 11, 30))
    advance(closed, Dispute.Status.CLOSED, staff)
    evil = DisputeFactory(grid=world.grid_a2, registered_on=dt.date(2026, 11, 2), description="=HYPERLINK(\"x\")")
    PartyFactory(dispute=evil, name="@王五")
    other_village = DisputeFactory(grid=world.grid_b1, registered_on=dt.date(2026, 11, 3))
    PartyFactory(dispute=other_village, name="赵六")
    return closed, evil, other_village


def _export(client, **params):
    return client.get(reverse("disputes:export"), {"format": "xlsx", **params})


def _header(ws):
    return [ws.cell(4 if c in GROUPED and ws.cell(4, c).value else 3, c).value for c in range(1, len(COLUMNS) + 1)]


@pytest.mark.today(NOW, tick=False)
def test_the_xlsx_ledger_has_the_official_layout(world, clients, ledger_disputes):
    closed, evil, _ = ledger_disputes
    response = _export(clients["staff"], registered_from="2026-10-01", registered_to="2026-11-30",
                       village=world.village_a.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "%E7%9F%9B%E7%9B%BE" in response["Content-Disposition"]  # 矛盾…, the file name is Chinese
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇矛盾纠纷排查化解台账"
    assert ws["A2"].value == "填报单位：青石镇（盖章）"
    assert ws["L2"].value == "统计期间：2026年10月1日至2026年11月30日"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:W1", "A3:A4", "B3:B4", "H3:H4", "L3:P3", "Q3:S3", "T3:T4", "W3:W4"} <= merged
    assert _header(ws) == COLUMNS
    assert ws["L3"].value == "化解情况" and ws["Q3"].value == "包案责任"
    first = [ws.cell(5, c).value for c in range(1, len(COLUMNS) + 1)]
    assert first[:7] == [1, closed.number, "2026年10月8日", "桃源村", "群众反映", "张三、李四", "土地/山林权属"]
    assert first[7] == LONG
    assert first[8:11] == [3, "12,000.50", "较大"]
    assert first[11:14] == ["村级", "人民调解", "李调解"]
    assert first[14].startswith("调解成功") and first[15] == "2026年11月3日"
    assert first[16:19] == [str(world.users["supervisor"]), "镇司法所", "2026年11月30日"]
    assert first[19] == "2026年11月3日：双方关系缓和。"
    assert first[20] == "已履行" and first[21] == "合理诉求解决到位" and first[22] == "是"
    second = [ws.cell(6, c).value for c in range(1, len(COLUMNS) + 1)]
    assert second[1] == evil.number and second[21] is None and second[22] == "否"
    assert second[5] == "'@王五" and second[7].startswith("'=")
    total = [ws.cell(7, c).value for c in range(1, len(COLUMNS) + 1)]
    assert total[0] == "合计" and total[2] == "共2件，调解成功1件，已销号1件"
    assert total[8] == 5 and total[9] == "12,000.50"
    signatures = " ".join(str(ws.cell(9, c).value or "") for c in range(1, len(COLUMNS) + 1))
    assert "审核人：" in signatures and f"填报人：{world.users['staff']}" in signatures
    assert "联系电话：" in signatures and "填报日期：2026年11月20日" in signatures
    assert_prints_right(ws, frozen="A5", title_rows="$3:$4")
    assert_cjk_font_everywhere(ws)
    assert_rows_fit_their_text(ws, 1, 9)
    assert ws.row_dimensions[5].height >= 3 * ws.row_dimensions[6].height  # the long description


@pytest.mark.today(NOW, tick=False)
def test_an_empty_period_says_so_and_totals_nothing(world, clients, ledger_disputes):
    ws = load_workbook(io.BytesIO(_export(clients["staff"], registered_from="2025-01-01",
                                          registered_to="2025-01-31").content)).active
    assert ws["A5"].value == "本期无矛盾纠纷排查化解事项。"
    assert ws["A6"].value == "合计" and ws["C6"].value == "共0件，调解成功0件，已销号0件" and ws["I6"].value == 0


@pytest.mark.today(NOW, tick=False)
def test_the_ledger_is_chinese_under_the_english_ui(world, clients, ledger_disputes):
    response = _export(in_english(clients["staff"]))
    assert "filename*=utf-8''%E7%9F%9B" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇矛盾纠纷排查化解台账"
    assert _header(ws) == COLUMNS
    first = [ws.cell(5, c).value for c in range(1, len(COLUMNS) + 1)]
    assert first[6] == "土地/山林权属" and first[22] == "是"
    text = b"".join(in_english(clients["staff"]).get(reverse("disputes:export"), {"format": "csv"})
                    .streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMNS) and "Land" not in text


@pytest.mark.today(NOW, tick=False)
@pytest.mark.parametrize(("persona", "unit"), [
    ("staff", "青石镇"), ("supervisor", "青石镇"), ("township_cadre", "青石镇桃源村"), ("village_cadre", "青石镇桃源村"),
    ("grid_worker", "青石镇桃源村第一网格"),
])
def test_the_reporting_unit_is_the_scope_of_who_exports(world, clients, ledger_disputes, persona, unit):
    ws = load_workbook(io.BytesIO(_export(clients[persona]).content)).active
    assert ws["A1"].value == f"{unit}矛盾纠纷排查化解台账"
    assert ws["A2"].value == f"填报单位：{unit}（盖章）"


def test_the_csv_ledger_streams_with_a_bom_and_neutralised_cells(world, clients, ledger_disputes):
    response = clients["staff"].get(reverse("disputes:export"), {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 4
    assert rows[1][2] == "2026年10月8日"
    assert any(row[5] == "'@王五" for row in rows)
    assert not any(cell.startswith(("=", "@", "+")) for row in rows[1:] for cell in row if cell != "-")


def test_the_ledger_is_scoped_and_a_household_head_cannot_export(world, clients, ledger_disputes):
    text = b"".join(clients["village_cadre"].get(reverse("disputes:export"), {"format": "csv"}).streaming_content)
    assert ledger_disputes[2].number.encode() not in text
    assert ledger_disputes[0].number.encode() in text
    other = clients["village_cadre"].get(reverse("disputes:export"), {"format": "csv", "village": world.village_b.pk})
    assert len(list(csv.reader(io.StringIO(b"".join(other.streaming_content).decode())))) == 1
    assert clients["household_head"].get(reverse("disputes:export"), {"format": "csv"}).status_code == 403


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+86", "'+86"), ("-2", "'-2"), ("@SUM", "'@SUM"), ("\tx", "'\tx"), ("正常", "正常"), (3, 3),
])
def test_neutralise_defuses_formulas(value, expected):
    assert neutralise(value) == expected


@pytest.mark.today(NOW, tick=False)
def test_the_xlsx_ledger_takes_few_queries_whatever_the_rows(world, clients, django_assert_max_num_queries):
    for i in range(30):
        dispute = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 1))
        PartyFactory(dispute=dispute, name=f"人{i}")
        dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["supervisor"],
                       responsible_unit="镇司法所", deadline=dt.date(2026, 11, 30))
    with django_assert_max_num_queries(14):
        response = _export(clients["staff"])
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(34, 2).value is not None and ws.cell(35, 1).value == "合计"
