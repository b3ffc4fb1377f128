"""The monthly reports (矛盾纠纷排查调处月报, 信访月报): scoped, Chinese whatever the UI, every figure equal to the
list it links to, as a printable page and as a workbook."""

import datetime as dt
import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from disputes.models import Dispute
from reports.registry import REPORTS, Part, register_report, register_section
from tests.disputes.factories import DisputeFactory, PartyFactory, advance
from tests.petitions.factories import advance as petition_advance
from tests.petitions.factories import register

S = Dispute.Status
NOV = dt.date(2026, 11, 2)


@pytest.fixture
def cases(world):
    staff = world.users["staff"]
    made = {
        "a_land": DisputeFactory(grid=world.grid_a1, kind="land", registered_on=NOV),
        "a_family": DisputeFactory(grid=world.grid_a2, kind="family", source="visit", registered_on=NOV),
        "b_land": DisputeFactory(grid=world.grid_b1, kind="land", registered_on=NOV),
        "a_october": DisputeFactory(grid=world.grid_a1, kind="labour", registered_on=dt.date(2026, 10, 5)),
    }
    for d in made.values():
        PartyFactory(dispute=d)
    advance(made["a_land"], S.SUCCEEDED, staff)
    advance(made["b_land"], S.FAILED, staff)
    register(by=staff, village=world.village_a, received_on=dt.date(2026, 11, 3), channel="letter")
    p = register(by=staff, village=world.village_b, received_on=dt.date(2026, 11, 4), head_count=6, skip_level=True,
                 channel="referred", referred_by="县信访局")
    petition_advance(p, "replied", staff=staff, supervisor=world.users["supervisor"])
    register(by=staff, village=world.village_a, received_on=dt.date(2026, 10, 9))
    return made


def _page(client, report="disputes", month="2026-11", **extra):
    return client.get(reverse("reports:index"), {"report": report, "month": month, **extra})


def _figures(body: str) -> list[tuple[str, int]]:
    return [(unescape(url), int(value)) for url, value in re.findall(r'<a href="([^"]+)" data-testid="figure">(\d+)</a>', body)]


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


def test_the_township_dispute_report_counts_the_month(world, clients, cases):
    response = _page(clients["staff"])
    body = response.content.decode()
    assert response.status_code == 200
    assert "青石镇矛盾纠纷排查调处月报" in body and "2026年11月" in body and "报送单位：青石镇（盖章）" in body
    assert "本月共排查登记矛盾纠纷<a" in body
    first = _figures(body)[:5]
    assert [v for _u, v in first] == [3, 1, 1, 3, 1]  # registered, succeeded, failed, not closed, carried over
    assert "50.0%" in body
    assert "一、总体情况" in body and "二、按纠纷类型统计" in body and "四、按处置层级统计" in body


@pytest.mark.parametrize("who", ["staff", "village_cadre", "township_cadre"])
@pytest.mark.parametrize("report", ["disputes", "petitions"])
def test_every_figure_equals_the_list_it_opens(world, clients, cases, who, report):
    client = clients[who]
    figures = _figures(_page(client, report).content.decode())
    assert figures
    checked = {}
    for url, value in figures:
        if url not in checked:
            checked[url] = _list_count(client, url)
        assert checked[url] == value, url


def test_a_village_cadre_reports_their_village_only(world, clients, cases):
    body = _page(clients["village_cadre"]).content.decode()
    assert "报送单位：青石镇桃源村（盖章）" in body
    assert _figures(body)[0][1] == 2  # A's two November disputes, not B's
    body = _page(clients["village_cadre"], "petitions").content.decode()
    assert "青石镇桃源村信访月报" in body and _figures(body)[0][1] == 1


def test_staff_can_report_one_village_and_another_village_is_404(world, clients, cases):
    body = _page(clients["staff"], village=world.village_b.pk).content.decode()
    assert "报送单位：青石镇柳湾村（盖章）" in body and _figures(body)[0][1] == 1
    assert _page(clients["village_cadre"], village=world.village_b.pk).status_code == 404
    assert _page(clients["outsider"], village=world.village_a.pk).status_code == 404
    assert _page(clients["staff"], village="abc").status_code == 404


def test_grid_workers_and_household_heads_make_no_report(world, clients):
    for who in ("grid_worker", "household_head"):
        assert _page(clients[who]).status_code == 403
        assert clients[who].get(reverse("reports:xlsx"), {"report": "disputes", "month": "2026-11"}).status_code == 403
    assert clients["staff"].post(reverse("reports:index")).status_code == 405


def test_the_navigation_offers_reports_to_those_who_make_them(world, clients):
    assert reverse("reports:index") in clients["village_cadre"].get(reverse("disputes:list")).content.decode()
    assert reverse("reports:index") not in clients["grid_worker"].get(reverse("disputes:list")).content.decode()


def test_a_bad_month_says_so_and_keeps_what_was_typed(world, clients):
    response = _page(clients["staff"], month="2026-13")
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="field-error"' in body and 'value="2026-13"' in body
    assert 'data-testid="field-error"' in _page(clients["staff"], month="2027-01").content.decode()
    assert 'data-testid="field-error"' in _page(clients["staff"], report="nope").content.decode()


def test_the_petition_report_counts_channels_forms_and_replies(world, clients, cases):
    body = _page(clients["staff"], "petitions").content.decode()
    assert "青石镇信访月报" in body
    for text in ("按信访渠道统计", "按信访形式统计", "来信", "集体访", "越级访", "按期答复率", "办结销号"):
        assert text in body, text
    values = [v for _u, v in _figures(body)]
    assert values[0] == 2  # received in November
    # the sentence: total, on time, late, closed, open, collective, skip-level, repeat, carried over, overdue
    assert values[5:8] == [1, 1, 0]


def test_the_report_is_chinese_under_the_english_ui(world, clients, cases):
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    body = _page(client, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Download as Excel" in body  # the toolbar follows the UI
    assert "土地/山林权属" in body or "土地" in body
    assert "Land or forest rights" not in body and "Village level" not in body


def test_the_workbook_has_the_standard_tables_and_a_print_setup(world, clients, cases):
    response = clients["staff"].get(reverse("reports:xlsx"), {"report": "disputes", "month": "2026-11"})
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E7%9F%9B%E7%9B%BE" in response["Content-Disposition"]  # 矛盾, the Chinese file name
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "青石镇矛盾纠纷排查调处月报（2026年11月）" in values
    assert "表1 矛盾纠纷类型" in values and "合计" in values
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == "$1:$2" and ws.sheet_properties.pageSetUpPr.fitToPage
    bad = clients["staff"].get(reverse("reports:xlsx"), {"report": "disputes", "month": "x"})
    assert bad.status_code == 400


def test_a_later_module_adds_a_section_to_the_registry(world, clients):
    report = register_report("test-only", "测试月报")

    @register_section("test-only")
    def extra(period):
        return [Part("隐患排查", ["本月排查隐患", "0", "处。"])]

    try:
        body = _page(clients["staff"], "test-only").content.decode()
        assert "测试月报" in body and "一、隐患排查" in body
    finally:
        REPORTS.pop("test-only")
    assert report.sections == [extra]
