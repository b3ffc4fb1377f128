"""The 安全隐患 sheet of a hazard round's statistics workbook (hazards/rounds_sheet.py, registered with casework's
round sheet): fields × villages, with 排查户（处）数, 发现, 已整改, 整改率, 逾期 and 零报告, in Chinese."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from casework import rounds
from casework.models import Campaign
from hazards.models import Hazard
from tests.hazards.factories import HazardFactory, advance, field
from tests.hazards.test_rounds import _hazard_round


def test_the_round_sheet_of_a_hazard_round_has_fields_by_village(world, clients, today):
    campaign = rounds.campaign_create(
        by=world.users["staff"], township=world.township, kind=Campaign.Kind.HAZARDS, title="冬季安全隐患大排查",
        villages=[world.village_a, world.village_b], starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30),
        returns_due=dt.date(2026, 11, 18), topics=["用火用电/消防", "燃气"])
    ret_a = campaign.returns.get(village=world.village_a)
    ret_b = campaign.returns.get(village=world.village_b)
    fire = [HazardFactory(grid=world.grid_a1, field=field("fire"), found_on=dt.date(2026, 11, 5)) for _ in range(2)]
    gas = HazardFactory(grid=world.grid_a1, field=field("gas"), found_on=dt.date(2026, 11, 6))
    traffic = HazardFactory(grid=world.grid_a1, field=field("traffic"), found_on=dt.date(2026, 11, 6))
    rounds.return_submit(ret=ret_a, by=world.users["village_cadre"], checked_count=46,
                         found={"hazards-hazard": [h.pk for h in (*fire, gas, traffic)]})
    rounds.return_submit(ret=ret_b, by=world.users["village_cadre_b"], checked_count=20, zero_report=True)
    staff = world.users["staff"]
    advance(fire[0], Hazard.Status.CLOSED, staff)
    advance(gas, Hazard.Status.RECTIFYING, staff)
    Hazard.objects.filter(pk=gas.pk).update(deadline=today - dt.timedelta(days=2))

    response = clients["staff"].get(reverse("rounds:sheet", kwargs={"pk": campaign.pk}), HTTP_ACCEPT_LANGUAGE="en")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["排查情况统计表", "安全隐患排查整治分领域统计表"]
    ws = wb["安全隐患排查整治分领域统计表"]
    assert ws["A1"].value == "青石镇安全隐患排查整治分领域统计表"
    assert [c.value for c in ws[3]][:4] == ["序号", "村（社区）", "领域", "排查户（处）数"] and ws["I3"].value == "零报告"
    assert ws["E3"].value == "隐患整改情况" and [c.value for c in ws[4]][4:8] == ["发现隐患数", "已整改", "整改率", "逾期未整改"]
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=ws.max_row)]
    by = {(r[1], r[2]): r for r in body if r[1]}
    assert by[("柳湾村", "小计")][3:] == [20, 0, 0, "—", 0, "1份"]
    assert by[("桃源村", "用火用电/消防")][4:8] == [2, 1, "50.0%", 0]
    assert by[("桃源村", "燃气")][4:8] == [1, 0, "0.0%", 1]
    assert by[("桃源村", "道路交通")][4] == 1  # a field the round did not name, found all the same
    assert by[("桃源村", "小计")][3:] == [46, 4, 1, "25.0%", 1, "0份"]
    total = next(r for r in body if r[0] == "合计")
    assert total[3:] == [66, 4, 1, "25.0%", 1, "1份"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_a_village_cadres_hazard_sheet_counts_their_village_only(world, clients):
    campaign = _hazard_round(world)
    ret_a = campaign.returns.get(village=world.village_a)
    hazard = HazardFactory(grid=world.grid_a1, found_on=dt.date(2026, 11, 5))
    rounds.return_submit(ret=ret_a, by=world.users["village_cadre"], checked_count=10, found={"hazards-hazard": [hazard.pk]})
    response = clients["village_cadre_b"].get(reverse("rounds:sheet", kwargs={"pk": campaign.pk}))
    ws = load_workbook(io.BytesIO(response.content))["安全隐患排查整治分领域统计表"]
    values = [c.value for row in ws.iter_rows(min_row=5) for c in row]
    assert "桃源村" not in values and "柳湾村" in values
