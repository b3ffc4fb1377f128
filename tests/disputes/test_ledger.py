"""矛盾纠纷排查化解台账: the .xlsx in the official layout, and the .csv."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from disputes.ledger import neutralise
from disputes.models import Dispute
from disputes.services import dispute_assign
from tests.disputes.factories import DisputeFactory, PartyFactory, advance

COLUMNS = ["序号", "编号", "登记日期", "当事人", "纠纷类型", "简要情况", "化解层级", "调解方式", "包案领导", "责任单位",
           "办结时限", "化解结果", "是否销号"]
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ledger_disputes(world):
    staff = world.users["staff"]
    closed = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 10, 8), kind="land")
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


@pytest.mark.today(NOW, tick=False)
def test_the_xlsx_ledger_has_the_official_layout(world, clients, ledger_disputes):
    closed, evil, _ = ledger_disputes
    response = clients["staff"].get(reverse("disputes:export"), {
        "format": "xlsx", "registered_from": "2026-10-01", "registered_to": "2026-11-30", "village": world.village_a.pk,
    })
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇矛盾纠纷排查化解台账"
    assert "2026-10-01" in ws["A2"].value and "2026-11-30" in ws["A2"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:M1", "A2:M2", "A3:A4", "B3:B4", "F3:F4", "G3:H3", "I3:K3", "L3:L4", "M3:M4"} <= merged
    header = [ws.cell(4 if 7 <= c <= 11 else 3, c).value for c in range(1, 14)]
    assert header == COLUMNS
    assert ws["G3"].value == "化解情况" and ws["I3"].value == "包案责任"
    assert [ws.cell(4, c).value for c in (7, 8, 9, 10, 11)] == COLUMNS[6:11]
    first = [ws.cell(5, c).value for c in range(1, 14)]
    assert first[0] == 1 and first[1] == closed.number
    assert first[2].date() == dt.date(2026, 10, 8)
    assert first[3] == "张三、李四"
    assert first[4] == "土地/山林权属"
    assert first[6] == "村级" and first[7] == "人民调解"
    assert first[8] == str(world.users["supervisor"]) and first[9] == "镇司法所"
    assert first[10].date() == dt.date(2026, 11, 30)
    assert first[11].startswith("调解成功") and first[12] == "是"
    second = [ws.cell(6, c).value for c in range(1, 14)]
    assert second[1] == evil.number and second[12] == "否"
    assert second[3] == "'@王五" and second[5].startswith("'=")
    assert ws.cell(7, 2).value is None  # village B's dispute is filtered out
    filer = [ws.cell(8, c).value for c in (1, 6, 10)]
    assert filer[0] == "填报单位：青石镇"
    assert filer[1] == f"填报人：{world.users['staff']}"
    assert filer[2] == "填报日期：2026-11-20"
    assert ws.freeze_panes == "A5"


def test_the_csv_ledger_streams_with_a_bom_and_neutralised_cells(world, clients, ledger_disputes):
    response = clients["staff"].get(reverse("disputes:export"), {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 4
    assert any(row[3] == "'@王五" for row in rows)
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
