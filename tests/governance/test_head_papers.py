"""The household heads' papers: 联户长花名册 and 聘书 — Chinese, A4, scoped like the heads themselves."""

import datetime as dt

from django.urls import reverse

from tests.factories import HouseholdFactory, HouseholdHeadFactory


def test_the_roster_lists_the_heads_the_list_shows(world, clients):
    HouseholdHeadFactory(grid=world.grid_b1, name="柳湾联户长", phone="13800001234",
                         appointed_on=dt.date(2025, 1, 1), term_ends_on=dt.date(2027, 12, 31), certificate_number="LH-9")
    HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    url = reverse("governance:head-roster")
    body = clients["staff"].get(url).content.decode()
    assert "青石镇联户长花名册" in body and body.count('data-testid="roster-row"') == 3
    assert "马林" in body and "柳湾联户长" in body and "138****1234" in body and "13800001234" not in body
    assert "2025年1月1日" in body and "LH-9" in body and "合计" in body
    body = clients["staff"].get(url, {"village": world.village_b.pk}).content.decode()
    assert "青石镇柳湾村联户长花名册" in body and body.count('data-testid="roster-row"') == 1
    body = clients["village_cadre"].get(url).content.decode()
    assert "柳湾联户长" not in body and "青石镇桃源村联户长花名册" in body
    assert "本期无" in clients["outsider"].get(url).content.decode()
    assert 'data-testid="head-roster"' in clients["staff"].get(reverse("governance:head-list")).content.decode()


def test_grid_workers_and_household_heads_print_no_roster(world, clients):
    for who in ("grid_worker", "household_head"):
        assert clients[who].get(reverse("governance:head-roster")).status_code == 403


def test_the_certificate_names_the_head_the_grid_and_the_term(world, clients):
    head = HouseholdHeadFactory(grid=world.grid_a1, name="牛大力", appointed_on=dt.date(2026, 1, 5),
                                term_ends_on=dt.date(2028, 12, 31), certificate_number="QS-2026-007")
    client = clients["village_cadre"]
    client.cookies["django_language"] = "en"
    body = client.get(reverse("governance:head-certificate", args=[head.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in ("聘　书", "QS-2026-007", "牛大力", "青石镇桃源村第一网格联户长", "2026年1月5日至2028年12月31日",
                 "青石镇人民政府（印）", "Print"):
        assert text in body, text
    assert clients["village_cadre_b"].get(reverse("governance:head-certificate", args=[head.pk])).status_code == 404
