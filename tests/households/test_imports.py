"""Roster import: the file checks, the preview of every problem, the all-or-nothing commit, re-imports."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households import tasks
from households.models import Household, Resident, RosterImport
from tests.factories import HouseholdFactory
from tests.households.factories import ResidentFactory
from tests.households.rosters import HEADERS, csv_bytes, person, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, content: bytes, name="花名册.xlsx", follow=True):
    return client.post(reverse("households:import"), {"file": SimpleUploadedFile(name, content, XLSX)}, follow=follow)


def _fifty_rows_with_three_bad():
    rows = [person(n) for n in range(50)]
    rows[7]["身份证号"] = rows[7]["身份证号"][:17] + ("0" if rows[7]["身份证号"][17] != "0" else "1")  # check digit
    rows[20]["网格"] = "第九网格"  # unknown grid
    rows[33]["身份证号"] = rows[2]["身份证号"]  # duplicate within the file
    return rows


def test_the_preview_reports_exactly_the_bad_rows_and_the_commit_writes_nothing(world, clients):
    response = _upload(clients["staff"], xlsx_bytes(_fifty_rows_with_three_bad()))
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.READY
    assert roster_import.total_rows == 50
    # Spreadsheet rows: the header is row 1, so list index 7 is row 9.
    assert roster_import.bad_rows == [9, 22, 35]
    assert [(p["row"], p["column"]) for p in roster_import.problems] == [(9, "身份证号"), (22, "网格"), (35, "身份证号")]
    body = response.content.decode()
    assert "校验位" in body and "第九网格" in body and "与第 4 行的身份证号重复" in body

    response = clients["staff"].post(reverse("households:import-commit", args=[roster_import.pk]), {"mode": "all"},
                                     follow=True)
    assert "未导入任何数据" in response.content.decode()
    assert Resident.objects.count() == 0 and Household.objects.count() == 0


def test_importing_only_the_valid_rows_writes_them_and_leaves_out_the_bad(world, clients):
    _upload(clients["staff"], xlsx_bytes(_fifty_rows_with_three_bad()))
    roster_import = RosterImport.objects.get()
    clients["staff"].post(reverse("households:import-commit", args=[roster_import.pk]), {"mode": "valid"})
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTED
    assert Resident.objects.count() == 47
    assert roster_import.created_residents == 47
    assert Household.objects.count() == roster_import.created_households == 17
    resident = Resident.objects.get(name="测试003")
    assert resident.household.head_name == "测试003"
    assert resident.relation == "head" and resident.status == "at_home"
    assert resident.household.grid == world.grid_a1
    assert resident.history.count() == 1
    assert roster_import.rows == []  # the personal data now lives in the registry only


def test_a_clean_file_imports_all_and_importing_it_again_creates_no_duplicates(world, clients):
    content = csv_bytes([person(n, 特殊群体="独居老人；退役军人" if n == 0 else "") for n in range(30)])
    _upload(clients["staff"], content, name="roster.csv")
    first = RosterImport.objects.get()
    assert first.bad_rows == []
    clients["staff"].post(reverse("households:import-commit", args=[first.pk]), {"mode": "all"})
    assert Resident.objects.count() == 30 and Household.objects.count() == 10
    assert set(Resident.objects.get(name="测试000").tags.values_list("code", flat=True)) == {"elderly-alone", "veteran"}

    _upload(clients["staff"], content, name="roster.csv")
    again = RosterImport.objects.order_by("-pk").first()
    assert again.bad_rows == [] and again.skipped_rows == 30
    clients["staff"].post(reverse("households:import-commit", args=[again.pk]), {"mode": "all"})
    assert Resident.objects.count() == 30 and Household.objects.count() == 10


def test_an_id_number_registered_in_another_household_is_a_problem_naming_it(world, clients):
    existing = ResidentFactory(household=HouseholdFactory(grid=world.grid_a2), name="老住户")
    _upload(clients["staff"], xlsx_bytes([person(0, 身份证号=existing.id_number)]))
    problem = RosterImport.objects.get().problems[0]
    assert problem["column"] == "身份证号" and "老住户" in problem["message"]


def test_missing_fields_unknown_village_bad_phone_and_legacy_numbers_are_each_reported(world, clients):
    rows = [person(0, 姓名=""), person(1, **{"村（社区）": "不存在村"}), person(2, 联系电话="12345"),
            person(3, 身份证号="510723600101001"), person(4, 与户主关系="邻居"), person(5, 特殊群体="不存在的群体")]
    _upload(clients["staff"], xlsx_bytes(rows))
    problems = {(p["row"], p["column"]): p["message"] for p in RosterImport.objects.get().problems}
    assert problems[(2, "姓名")] == "此项为必填项。"
    assert "不存在村" in problems[(3, "村（社区）")]
    assert "手机号" in problems[(4, "联系电话")]
    assert "15位" in problems[(5, "身份证号")]
    assert "邻居" in problems[(6, "与户主关系")]
    assert "不存在的群体" in problems[(7, "特殊群体")]


def test_an_unknown_area_code_is_a_warning_not_a_problem(world, clients):
    from households.idnumbers import check_char

    number = "99072319600101001" + check_char("99072319600101001")
    _upload(clients["staff"], xlsx_bytes([person(0, 身份证号=number)]))
    roster_import = RosterImport.objects.get()
    assert roster_import.bad_rows == []
    assert roster_import.warnings[0]["row"] == 2


def test_a_village_cadre_cannot_import(world, clients):
    assert clients["village_cadre"].get(reverse("households:import")).status_code == 403
    response = _upload(clients["village_cadre"], xlsx_bytes([person(0)]), follow=False)
    assert response.status_code == 403


@pytest.mark.parametrize("name, content, message", [
    ("roster.xlsm", b"PK\x03\x04", "宏"),
    ("roster.xls", b"\xd0\xcf\x11\xe0", "只能导入"),
    ("roster.pdf", b"%PDF-1.4", "只能导入"),
    ("roster.xlsx", b"just some text, not a zip", "不是表格"),
    ("roster.csv", b"\x00\x01\x02binary", "不是表格"),
])
def test_files_that_are_not_plain_spreadsheets_are_refused_with_a_clear_message(world, clients, name, content,
                                                                                message):
    response = _upload(clients["staff"], content, name=name, follow=False)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_an_xlsx_with_a_macro_inside_is_refused(world, clients):
    buffer = io.BytesIO(xlsx_bytes([person(0)]))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"macro")
    response = _upload(clients["staff"], buffer.getvalue(), follow=False)
    assert "宏" in response.content.decode()


def test_a_zip_bomb_is_refused(world, clients):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (300 * 1024 * 1024))
    response = _upload(clients["staff"], buffer.getvalue(), follow=False)
    assert "压缩炸弹" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(world, clients, settings):
    settings.HOUSEHOLDS_IMPORT_MAX_MB = 1
    response = _upload(clients["staff"], csv_bytes([person(0)]) + b"x" * (1024 * 1024), name="big.csv", follow=False)
    assert "超过 1 MB" in response.content.decode()


def test_a_file_without_the_required_headers_is_refused(world, clients):
    _upload(clients["staff"], xlsx_bytes([person(0)], headers=["姓名", "身份证号"]))
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.FAILED
    assert "村（社区）" in roster_import.error


def test_a_gbk_csv_from_chinese_excel_is_read(world, clients):
    _upload(clients["staff"], csv_bytes([person(0)], encoding="gb18030"), name="roster.csv")
    roster_import = RosterImport.objects.get()
    assert roster_import.total_rows == 1 and roster_import.bad_rows == []


def test_a_large_file_is_checked_by_the_worker_with_progress_shown(world, clients, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.HOUSEHOLDS_IMPORT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _upload(clients["staff"], xlsx_bytes([person(n) for n in range(1200)]))
    assert len(callbacks) == 1  # the task is sent once the upload is committed
    roster_import = RosterImport.objects.get()
    assert roster_import.status == RosterImport.Status.VALIDATING
    progress = clients["staff"].get(reverse("households:import-progress", args=[roster_import.pk]),
                                    HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.content.decode()
    assert "HX-Refresh" not in progress

    tasks.validate_import(roster_import.pk, world.users["staff"].pk)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.READY and roster_import.processed_rows == 1200
    assert roster_import.bad_rows == []
    assert not roster_import.file
    progress = clients["staff"].get(reverse("households:import-progress", args=[roster_import.pk]),
                                    HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"
    tasks.validate_import(roster_import.pk, world.users["staff"].pk)  # delivered twice: harmless

    settings.HOUSEHOLDS_IMPORT_INLINE_ROWS = 100
    with django_capture_on_commit_callbacks(execute=False):
        clients["staff"].post(reverse("households:import-commit", args=[roster_import.pk]), {"mode": "all"})
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.COMMITTING
    tasks.commit_import(roster_import.pk, world.users["staff"].pk, False)
    tasks.commit_import(roster_import.pk, world.users["staff"].pk, False)  # twice: nothing more
    assert Resident.objects.count() == 1200


def test_the_template_has_the_chinese_headers(world, clients):
    from openpyxl import load_workbook

    response = clients["staff"].get(reverse("households:import-template"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == HEADERS
    response = clients["staff"].get(reverse("households:import-template"), {"format": "csv"})
    assert "身份证号" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_problem_list_downloads_as_csv(world, clients):
    _upload(clients["staff"], xlsx_bytes(_fifty_rows_with_three_bad()))
    roster_import = RosterImport.objects.get()
    response = clients["staff"].get(reverse("households:import-preview", args=[roster_import.pk]), {"format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4


def test_another_townships_staff_cannot_see_an_import(world, clients):
    _upload(clients["staff"], xlsx_bytes([person(0)]))
    roster_import = RosterImport.objects.get()
    assert clients["outsider"].get(reverse("households:import-preview", args=[roster_import.pk])).status_code == 404


@pytest.mark.celery
def test_a_large_import_is_checked_and_written_by_a_real_worker(celery_worker_process, world, clients, settings,
                                                                 private_media):
    import time

    celery_worker_process(extra_env={"PRIVATE_MEDIA_ROOT": str(private_media)})
    settings.HOUSEHOLDS_IMPORT_INLINE_BYTES = 0
    settings.HOUSEHOLDS_IMPORT_INLINE_ROWS = 10
    _upload(clients["staff"], xlsx_bytes([person(n) for n in range(300)]), follow=False)
    roster_import = RosterImport.objects.get()

    def wait_for(status):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            roster_import.refresh_from_db()
            if roster_import.status == status:
                return
            time.sleep(0.2)
        raise AssertionError(f"still {roster_import.status}: {roster_import.error}")

    wait_for(RosterImport.Status.READY)
    assert roster_import.total_rows == 300 and roster_import.bad_rows == []
    clients["staff"].post(reverse("households:import-commit", args=[roster_import.pk]), {"mode": "all"})
    wait_for(RosterImport.Status.COMMITTED)
    assert Resident.objects.count() == 300


def test_the_problem_list_names_the_rows_person_and_the_bad_value_masked_where_sensitive(world, clients):
    rows = [person(0), person(1, 联系电话="12345"), person(2, 与户主关系="邻居")]
    bad_id = rows[0]["身份证号"][:17] + ("0" if rows[0]["身份证号"][17] != "0" else "1")
    rows[0]["身份证号"] = bad_id
    response = _upload(clients["staff"], xlsx_bytes(rows))
    problems = {p["column"]: p for p in RosterImport.objects.get().problems}
    assert problems["身份证号"]["name"] == rows[0]["姓名"]
    assert problems["身份证号"]["value"] == bad_id[:6] + "********" + bad_id[-4:]
    assert problems["联系电话"]["value"] == "*****" and problems["与户主关系"]["value"] == "邻居"
    table = response.content.decode().split('data-testid="problems"')[1].split("</table>")[0]
    assert rows[2]["姓名"] in table and "邻居" in table and bad_id not in table


def test_the_templates_example_row_passes_the_import(world, clients):
    from households import imports

    headers, rows = imports.template_rows()
    example = dict(zip(headers, rows[0], strict=True))
    _upload(clients["staff"], xlsx_bytes([{**example, "村（社区）": world.village_a.name, "网格": world.grid_a1.name}]))
    assert RosterImport.objects.get().problems == []
