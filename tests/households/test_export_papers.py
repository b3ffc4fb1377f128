"""Every export is a paper: a title headed by the unit of who exports, widths, the header frozen and repeated on every
printed page, A4 one page wide with page numbers, 宋体, Chinese whatever the UI language. The import template keeps ID
numbers and phones as text. Township staff may export the roster with full ID numbers, with a reason, logged."""

import datetime as dt

import pytest
from django.urls import reverse

from households.models import RevealLog
from tests.core.sheet_checks import (
    assert_cjk_font_everywhere,
    assert_prints_right,
    assert_rows_fit_their_text,
    in_english,
    workbook_of,
)

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
pytestmark = pytest.mark.today(NOW, tick=False)

TITLES = {
    "households:list": "农户名册",
    "households:resident-list": "人员名册",
    "households:visit-list": "民情日记",
    "households:demand-list": "诉求台账",
    "households:not-visited": "90天未走访农户清单",
    "households:past-cadence": "超期未关爱走访农户清单",
}
FULL = "households:resident-export-full"


def _xlsx(client, url_name, **params):
    response = client.get(reverse(url_name), {"format": "xlsx", **params})
    assert response.status_code == 200
    return response, workbook_of(response).active


@pytest.mark.parametrize("url_name", list(TITLES))
def test_every_export_is_a_titled_paper_that_prints_one_page_wide(world, clients, registry, url_name):
    response, ws = _xlsx(clients["staff"], url_name)
    assert ws["A1"].value == f"青石镇{TITLES[url_name]}"
    assert "A1" in {str(r).split(":")[0] for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "单位：青石镇　　导出日期：2026年11月20日"
    assert ws["A3"].font.b and ws["A3"].value
    assert ws.cell(ws.max_row, 1).value.startswith(("共", "无符合条件的记录"))
    assert_prints_right(ws, frozen="A4", title_rows="$3:$3", landscape=ws.page_setup.orientation == "landscape")
    assert_cjk_font_everywhere(ws)
    assert_rows_fit_their_text(ws, 3, ws.max_row - 1)


def test_the_resident_roster_prints_landscape_with_text_id_columns_wide_enough(world, clients, registry):
    _, ws = _xlsx(clients["staff"], "households:resident-list")
    assert ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[3]]
    id_col = header.index("身份证号") + 1
    phone_col = header.index("联系电话") + 1
    for col in (id_col, phone_col):
        letter = ws.cell(3, col).column_letter
        assert ws.column_dimensions[letter].width >= 20
        assert all(ws.cell(r, col).number_format == "@" for r in range(4, ws.max_row) if ws.cell(r, col).value)
    names = [ws.cell(r, 1).value for r in range(4, ws.max_row)]
    assert "李建华" in names
    assert ws.cell(ws.max_row, 1).value == f"共{len(names)}条记录"


def test_dates_are_written_in_full_not_as_hashes(world, clients, registry):
    from tests.factories import VisitFactory

    VisitFactory(grid=world.grid_a1, households=[registry.a1], visited_on=dt.date(2026, 11, 3))
    _, ws = _xlsx(clients["staff"], "households:visit-list")
    date_cell = ws["A4"]
    assert date_cell.value.date() == dt.date(2026, 11, 3)
    assert date_cell.number_format == 'yyyy"年"m"月"d"日"'
    assert ws.column_dimensions["A"].width >= 15  # 2026年11月3日 fits; no ###


def test_an_empty_export_says_there_is_nothing(world, clients):
    _, ws = _xlsx(clients["staff"], "households:resident-list")
    assert ws["A4"].value == "无符合条件的记录。"


def test_exports_are_chinese_under_the_english_ui_file_names_too(world, clients, registry):
    client = in_english(clients["staff"])
    assert "Residents" in client.get(reverse("households:resident-list")).content.decode()
    response, ws = _xlsx(client, "households:resident-list")
    assert "filename*=utf-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%86%8C" in response["Content-Disposition"]  # 人员名册
    assert ws["A1"].value == "青石镇人员名册"
    assert [c.value for c in ws[3]][:4] == ["姓名", "性别", "身份证号", "联系电话"]
    assert "男" in [c.value for c in ws[4]] or "女" in [c.value for c in ws[4]]
    csv = client.get(reverse("households:list"), {"format": "csv"})
    assert "%E5%86%9C%E6%88%B7" in csv["Content-Disposition"]  # 农户名册
    assert b"".join(csv.streaming_content).decode("utf-8-sig").startswith("户主,门牌号")


@pytest.mark.parametrize(("persona", "unit"), [
    ("staff", "青石镇"), ("supervisor", "青石镇"), ("township_cadre", "青石镇桃源村"), ("village_cadre", "青石镇桃源村"),
    ("village_cadre_b", "青石镇柳湾村"), ("grid_worker", "青石镇桃源村第一网格"), ("household_head", "青石镇桃源村第一网格"),
])
def test_the_title_names_the_unit_of_who_exports(world, clients, registry, persona, unit):
    _, ws = _xlsx(clients[persona], "households:list")
    assert ws["A1"].value == f"{unit}农户名册"
    assert ws["A2"].value.startswith(f"单位：{unit}")


def test_the_import_template_keeps_id_numbers_and_phones_as_text(world, clients):
    response = in_english(clients["staff"]).get(reverse("households:import-template"), {"format": "xlsx"})
    assert "%E8%8A%B1%E5%90%8D%E5%86%8C" in response["Content-Disposition"]  # 花名册导入模板
    ws = workbook_of(response).active
    header = [c.value for c in ws[1]]
    assert header[:2] == ["村（社区）", "网格"]
    for name in ("身份证号", "联系电话"):
        col = header.index(name) + 1
        letter = ws.cell(1, col).column_letter
        assert ws.column_dimensions[letter].number_format == "@"
        assert ws.cell(2, col).number_format == "@" and isinstance(ws.cell(2, col).value, str)
        assert ws.column_dimensions[letter].width >= 20
    assert_prints_right(ws, frozen="A2", title_rows="$1:$1", landscape=True)
    assert_cjk_font_everywhere(ws)


# --- The full roster for the county's records -------------------------------------------------------------


def test_township_staff_export_full_id_numbers_after_giving_a_reason_and_it_is_logged(world, clients, registry):
    client = clients["staff"]
    page = client.get(reverse(FULL), {"village": world.village_a.pk})
    assert page.status_code == 200
    assert f"?village={world.village_a.pk}" in page.content.decode()
    response = client.post(reverse(FULL) + f"?village={world.village_a.pk}",
                           {"reason": "县综治中心来函（青综治〔2026〕12号）要求报送花名册", "format": "xlsx"})
    assert response.status_code == 200
    ws = workbook_of(response).active
    assert ws["A1"].value == "青石镇人员名册（含完整身份证号）"
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert "510723195803081234" in cells and "510723********1234" not in cells
    assert "13812345678" not in cells and "138****5678" in cells  # phones stay masked
    assert "赵秀兰" not in cells  # the village filter rode along
    log = RevealLog.objects.get()
    assert log.user == world.users["staff"] and log.field == RevealLog.Field.ID_NUMBER
    assert log.reason == "县综治中心来函（青综治〔2026〕12号）要求报送花名册"
    assert log.subject == "人员名册（1人）" and log.township == world.township and log.resident is None
    log_page = client.get(reverse("households:reveal-log")).content.decode()
    assert "人员名册（1人）" in log_page


def test_the_full_export_needs_a_reason_and_keeps_what_was_typed(world, clients, registry):
    response = clients["staff"].post(reverse(FULL), {"reason": " ", "format": "xlsx"})
    assert response.status_code == 400
    assert "请说明需要完整身份证号的理由" in response.content.decode()
    response = clients["staff"].post(reverse(FULL), {"reason": "x", "format": "csv"})
    assert response.status_code == 400
    assert 'value="x"' in response.content.decode()
    assert not RevealLog.objects.exists()


def test_the_full_export_as_csv_is_logged_too(world, clients, registry):
    response = clients["staff"].post(reverse(FULL), {"reason": "备案", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "510723195803081234" in text
    assert RevealLog.objects.get().reason == "备案"


@pytest.mark.parametrize("persona", ["supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head"])
def test_everyone_but_township_staff_gets_403_and_nothing_is_logged(world, clients, registry, persona):
    assert clients[persona].get(reverse(FULL)).status_code == 403
    assert clients[persona].post(reverse(FULL), {"reason": "备案", "format": "xlsx"}).status_code == 403
    assert not RevealLog.objects.exists()
    assert 'data-testid="full-export"' not in clients[persona].get(reverse("households:resident-list")).content.decode()
    masked = b"".join(clients[persona].get(reverse("households:resident-list"), {"format": "csv"}).streaming_content)
    assert b"510723195803081234" not in masked


def test_staff_see_the_full_export_button_and_another_townships_staff_get_none_of_ours(world, clients, registry):
    page = clients["staff"].get(reverse("households:resident-list"), {"village": world.village_a.pk})
    assert 'data-testid="full-export"' in page.content.decode()
    response = clients["outsider"].post(reverse(FULL), {"reason": "备案", "format": "csv"})
    assert response.status_code == 200
    assert b"510723195803081234" not in b"".join(response.streaming_content)
    assert RevealLog.objects.get().township == world.other_township


def test_the_full_export_answers_405_to_other_methods(world, clients):
    assert clients["staff"].put(reverse(FULL)).status_code == 405


def test_a_logged_out_visitor_is_sent_to_log_in(world, client):
    response = client.post(reverse(FULL), {"reason": "备案"})
    assert response.status_code == 302 and not RevealLog.objects.exists()
