"""Department alert lists: upload, preview with a clear message per row, import all or nothing, duplicates reported."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from casework.models import Notification
from monitoring.models import AlertImport, MonitoringCase
from tests.factories import HouseholdFactory, ResidentFactory
from tests.monitoring.factories import open_case

HEADERS = ["姓名", "身份证号", "风险类型", "预警内容"]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("医保预警.xlsx", out.getvalue())


@pytest.fixture
def people(world):
    a = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1, head_name="赵家"), name="赵守田")
    b = ResidentFactory(household=HouseholdFactory(grid=world.grid_b1, head_name="钱家"), name="钱小梅")
    spouse = ResidentFactory(household=a.household, name="孙桂兰", relation="spouse")
    return a, b, spouse


def _upload(client, rows, department="medical", **kwargs):
    return client.post(reverse("monitoring:alert-upload"), {"department": department, "file": _xlsx(rows, **kwargs)})


def test_staff_preview_then_import_a_list_and_the_village_cadres_get_the_leads(world, clients, people):
    a, b, spouse = people
    response = _upload(clients["staff"], [["赵守田", a.id_number, "因病", "年度自付医疗费用2.3万元"],
                                          ["孙桂兰", spouse.id_number, "因病", "慢病"],
                                          ["钱小梅", b.id_number, "", ""]])
    alert = AlertImport.objects.get()
    assert response["Location"] == alert.get_absolute_url()
    assert not MonitoringCase.objects.exists()  # nothing before the confirmation
    page = clients["staff"].get(alert.get_absolute_url()).content.decode()
    assert "与第 2 行为同一户" in page and a.id_number not in page and a.masked_id_number in page
    assert [r["outcome"] for r in alert.rows] == ["new", "merged", "new"]

    response = clients["staff"].post(reverse("monitoring:alert-commit", args=[alert.pk]))
    assert response.status_code == 302
    cases = {c.household_id: c for c in MonitoringCase.objects.all()}
    assert set(cases) == {a.household_id, b.household_id}
    case = cases[a.household_id]
    assert (case.source, case.department, case.alert_import) == ("department", "medical", alert)
    assert "医保部门预警" in case.lead_note and "孙桂兰：慢病" in case.lead_note
    assert [k.code for k in case.risk_kinds.all()] == ["illness"]
    assert case.assignment.lead == world.users["village_cadre"]
    assert Notification.objects.inbox_of(world.users["village_cadre"]).count() == 1
    assert Notification.objects.inbox_of(world.users["village_cadre_b"]).count() == 1
    alert.refresh_from_db()
    assert alert.status == "imported" and alert.rows[1]["case"] == case.number
    # Twice is refused: nothing doubled.
    clients["staff"].post(reverse("monitoring:alert-commit", args=[alert.pk]))
    assert MonitoringCase.objects.count() == 2


def test_a_list_with_a_bad_row_names_the_person_and_the_value_and_imports_nothing(world, clients, people):
    a, _b, _spouse = people
    bad = a.id_number[:17] + ("0" if a.id_number[17] != "0" else "1")
    _upload(clients["staff"], [["赵守田", a.id_number, "因病", ""], ["李四", bad, "", ""],
                               ["赵守田", a.id_number, "因穷", ""], ["王五", "510723199001011234", "", ""]])
    alert = AlertImport.objects.get()
    messages = [r["message"] for r in alert.rows]
    assert "李四：身份证号" in messages[1] and "校验位" in messages[1] and "510723********" in messages[1]
    assert "赵守田：无法识别的风险类型“因穷”" in messages[2]
    assert "王五" in messages[3] and ("辖区内没有登记" in messages[3] or "不正确" in messages[3])
    page = clients["staff"].get(alert.get_absolute_url()).content.decode()
    assert "本次未导入任何数据" in page and 'data-testid="alert-commit"' not in page
    clients["staff"].post(reverse("monitoring:alert-commit", args=[alert.pk]))
    assert not MonitoringCase.objects.exists()
    assert AlertImport.objects.get().status == "preview"


def test_a_name_that_does_not_match_the_id_number_is_an_error(world, clients, people):
    a, _b, _spouse = people
    _upload(clients["staff"], [["赵守天", a.id_number, "", ""]])
    assert "登记的姓名是 赵守田" in AlertImport.objects.get().rows[0]["message"]


def test_a_household_with_an_open_episode_is_reported_not_doubled(world, clients, people):
    a, _b, _spouse = people
    case = open_case(world.users["staff"], household=a.household)
    _upload(clients["staff"], [["赵守田", a.id_number, "因病", ""]])
    alert = AlertImport.objects.get()
    assert alert.rows[0]["outcome"] == "open" and case.number in alert.rows[0]["message"]
    clients["staff"].post(reverse("monitoring:alert-commit", args=[alert.pk]))
    assert MonitoringCase.objects.count() == 1


def test_a_file_without_the_columns_is_refused_on_the_form(world, clients, people):
    response = _upload(clients["staff"], [["赵守田"]], headers=["名字"])
    assert response.status_code == 200 and "姓名、身份证号" in response.content.decode()
    assert not AlertImport.objects.exists()


def test_only_township_staff_import_and_the_supervisor_reads(world, clients, people):
    a, _b, _spouse = people
    _upload(clients["staff"], [["赵守田", a.id_number, "", ""]])
    alert = AlertImport.objects.get()
    assert clients["supervisor"].get(alert.get_absolute_url()).status_code == 200
    assert clients["supervisor"].post(reverse("monitoring:alert-commit", args=[alert.pk])).status_code == 403
    for who in ("village_cadre", "household_head", "outsider"):
        assert clients[who].get(alert.get_absolute_url()).status_code == 404
    for who in ("village_cadre", "supervisor", "grid_worker"):
        assert clients[who].get(reverse("monitoring:alert-upload")).status_code == 403
    assert clients["staff"].get(reverse("monitoring:alert-commit", args=[alert.pk])).status_code == 405


def test_the_template_has_the_headers(world, clients):
    response = clients["staff"].get(reverse("monitoring:alert-template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADERS
