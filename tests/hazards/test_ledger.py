"""安全隐患排查整治台账 and 重大隐患挂牌督办表: the official layout, always in Chinese, the user's scope only."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hazards.models import Hazard
from tests.hazards.factories import HazardFactory, advance

COLUMNS = ["序号", "编号", "排查日期", "村/网格", "地点或户", "领域", "隐患描述", "等级", "责任主体/责任人",
           "整改措施", "整改时限", "包案领导/责任单位", "整改完成日期", "复查人/日期/结论", "销号日期", "备注"]
S = Hazard.Status


@pytest.fixture
def ledger_hazards(world):
    staff, supervisor, worker = world.users["staff"], world.users["supervisor"], world.users["grid_worker"]
    closed = advance(HazardFactory(grid=world.grid_a1, found_on=dt.date(2026, 11, 2), place="村口小卖部"), S.CLOSED,
                     worker, checker=staff, approver=supervisor, lead=supervisor)
    major = advance(HazardFactory(grid=world.grid_a2, found_on=dt.date(2026, 11, 5), grade=Hazard.Grade.MAJOR,
                                  description="=HYPERLINK(\"x\")"), S.RECTIFYING, staff, lead=supervisor)
    theirs = HazardFactory(grid=world.grid_b1, found_on=dt.date(2026, 11, 6), description="他村隐患")
    return closed, major, theirs


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_ledger_has_the_official_layout_in_chinese(world, clients, ledger_hazards, language):
    closed, major, _ = ledger_hazards
    client = clients["staff"]
    client.cookies["django_language"] = language
    response = client.get(reverse("hazards:export"), {"village": world.village_a.pk, "found_from": "2026-11-01",
                                                      "found_to": "2026-11-30"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇安全隐患排查整治台账"
    assert "2026年11月1日" in ws["A2"].value and "2026年11月30日" in ws["A2"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:P1", "A2:P2", "A3:A4", "I3:I4", "J3:M3", "N3:O3", "P3:P4"} <= merged
    header = [ws.cell(4 if 10 <= c <= 15 else 3, c).value for c in range(1, 17)]
    assert header == COLUMNS
    assert ws["J3"].value == "整改情况" and ws["N3"].value == "复查销号"
    rows = [[ws.cell(r, c).value for c in range(1, 17)] for r in (5, 6)]
    assert [r[1] for r in rows] == [closed.number, major.number]
    first = rows[0]
    assert first[3] == "桃源村/第一网格" and first[4] == "村口小卖部" and first[5] == "用火用电/消防"
    assert first[7] == "一般隐患" and first[8] == "农户：王建国"
    assert first[9] == "已更换线路。" and "合格" in first[13] and first[14] is not None
    assert rows[1][7] == "重大隐患" and rows[1][6].startswith("'=")  # a formula is written as text
    assert rows[1][15] == "整改中"
    assert ws.cell(8, 1).value.startswith("填报单位：青石镇")
    assert "他村隐患" not in str([[c.value for c in row] for row in ws.iter_rows()])


def test_a_village_cadre_exports_only_their_village(world, clients, ledger_hazards):
    response = clients["village_cadre"].get(reverse("hazards:export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    numbers = {ws.cell(r, 2).value for r in range(5, ws.max_row + 1)}
    assert ledger_hazards[2].number not in numbers and ledger_hazards[0].number in numbers
    assert ws.cell(ws.max_row, 1).value == "填报单位：青石镇桃源村"


def test_the_supervision_sheet_lists_the_major_hazards_with_their_five_commitments(world, clients, ledger_hazards):
    _closed, major, _ = ledger_hazards
    plan = major.control_plan
    plan.measures, plan.owner, plan.funds = "削坡减载，设置截水沟", "李镇长", "5万元"
    plan.save()
    response = clients["supervisor"].get(reverse("hazards:supervision-sheet"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇重大隐患挂牌督办表"
    assert ws["G3"].value == "五落实" and ws["L3"].value == "挂牌督办"
    row = [ws.cell(5, c).value for c in range(1, 17)]
    assert row[1] == major.number and row[6] == "削坡减载，设置截水沟" and row[7] == "李镇长"
    assert row[13] == "红牌督办"
    assert ws.cell(6, 2).value is None  # the ordinary ones are not on it


def test_household_heads_cannot_export(world, clients):
    assert clients["household_head"].get(reverse("hazards:export")).status_code == 403
    assert clients["household_head"].get(reverse("hazards:supervision-sheet")).status_code == 403
