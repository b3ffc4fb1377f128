"""A township clerk downloads the papers: the resident roster with full ID numbers after giving a reason, and the
dispute ledger under the English UI, still Chinese, its file name too."""

import pytest
from openpyxl import load_workbook

from households.models import RevealLog
from tests.conftest import login_through_page
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.households.factories import make_registry

pytestmark = pytest.mark.browser


def test_a_clerk_exports_the_roster_with_full_id_numbers_after_giving_a_reason(transactional_db, world, live_server,
                                                                               page, tmp_path):
    make_registry(world)
    page = login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/households/residents/?village={world.village_a.pk}")
    page.get_by_test_id("full-export").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="导出").click()
    page.wait_for_load_state()
    assert "请说明需要完整身份证号的理由" in page.content()
    page.fill("input[name=reason]", "县综治中心来函要求报送花名册备案")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出").click()
    download = download_info.value
    assert download.suggested_filename.startswith("人员名册") and download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    ws = load_workbook(target).active
    assert ws["A1"].value == "青石镇人员名册（含完整身份证号）"
    assert "510723195803081234" in [c.value for row in ws.iter_rows() for c in row]
    assert RevealLog.objects.get().reason == "县综治中心来函要求报送花名册备案"


def test_the_dispute_ledger_downloads_in_chinese_under_the_english_ui(transactional_db, world, live_server, page,
                                                                       tmp_path):
    PartyFactory(dispute=DisputeFactory(grid=world.grid_a1), name="张三")
    page = login_through_page(page, live_server.url, "vcadre")
    page.goto(f"{live_server.url}/disputes/")
    with page.expect_navigation():
        page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    assert page.get_by_role("heading", name="Disputes").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export Excel").click()
    download = download_info.value
    assert download.suggested_filename.startswith("矛盾纠纷排查化解台账")
    target = tmp_path / "ledger.xlsx"
    download.save_as(target)
    ws = load_workbook(target).active
    assert ws["A1"].value == "青石镇桃源村矛盾纠纷排查化解台账"
    assert ws["A2"].value == "填报单位：青石镇桃源村（盖章）"
