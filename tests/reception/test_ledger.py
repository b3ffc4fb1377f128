"""The 领导接访台账 and the monthly per-leader statistics: Chinese, IDs masked, figures counted by hand."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reception import services
from reception.models import Session
from tests.factories import HouseholdFactory, ResidentFactory

from .factories import LeaderFactory, SessionFactory

D = dt.date
pytestmark = pytest.mark.today("2026-11-20")


def test_the_ledger_and_the_statistics_of_the_month(world, clients):
    leader = LeaderFactory(township=world.township, user=world.users["supervisor"], name="张书记", post="党委书记")
    held = SessionFactory(township=world.township, date=D(2026, 11, 16), leaders=[leader],
                          status=Session.Status.HELD)
    SessionFactory(township=world.township, date=D(2026, 11, 9), leaders=[leader], status=Session.Status.MISSED)
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="王大山")
    staff = world.users["staff"]
    one = services.reception_record(session=held, by=staff, visitor_name="", resident=resident, request="土地边界")
    services.reception_answer(reception=one, by=staff, answer="当场解释")
    two = services.reception_record(session=held, by=staff, visitor_name="李四", request="道路积水",
                                    village=world.village_b)
    services.reception_refer(reception=two, by=staff, lead=staff, unit="建设办", deadline=D(2026, 11, 30))
    response = clients["staff"].get(reverse("reception:ledger") + "?month=2026-11")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ledger, stats = wb["领导接访台账"], wb["领导接访情况统计表"]
    text = "\n".join(str(c.value) for row in ledger.iter_rows() for c in row if c.value is not None)
    assert "青石镇领导接访台账" in text and "当场答复" in text and "建设办" in text and "2026年11月30日" in text
    assert resident.id_number not in text and resident.id_number[:6] in text
    rows = [[c.value for c in row] for row in stats.iter_rows()]
    mine = next(r for r in rows if r[0] == "张书记")
    assert mine[:12] == ["张书记", "党委书记", 2, 1, "50%", 2, 1, 0, 0, 1, 0, "0%"]


def test_the_ledger_is_for_township_staff_only(world, clients):
    assert clients["village_cadre"].get(reverse("reception:ledger")).status_code == 403
