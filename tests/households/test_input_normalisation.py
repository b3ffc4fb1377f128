"""Numbers as people type them (issue 20): full-width digits from a Chinese input method, ideographic spaces and
Arabic-Indic digits are one form at the edge (forms, imports, search), and the same ID number typed either way is one
person; Excel's numbers and over-long text are refused row by row, never silently changed."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households import idnumbers
from households.models import Resident, RosterImport
from households.phones import normalize_phone
from tests.households.rosters import csv_bytes, person, xlsx_bytes

FULL_ID = "510723195803081234"  # 李建华, in registry.a1
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


def _resident_data(**overrides):
    data = {"name": "张伟", "id_number": "11010519491231002X", "phone": "13900001111", "relation": "spouse",
            "status": "at_home", "notes": ""}
    data.update(overrides)
    return data


# --- the one normalising function -----------------------------------------------------------------------------


def test_a_full_width_id_number_is_read_as_the_same_ascii_number():
    assert idnumbers.parse(full_width("11010519491231002X")).value == "11010519491231002X"


def test_a_full_width_id_number_with_an_ascii_last_character_is_stored_in_ascii():
    assert idnumbers.parse(full_width(FULL_ID[:17]) + FULL_ID[17]).value == FULL_ID


def test_ideographic_and_zero_width_spaces_are_dropped_and_a_lower_case_x_upper_cased():
    assert idnumbers.parse("110105\u300019491231\u200b002ｘ").value == "11010519491231002X"


def test_arabic_indic_digits_are_refused_with_a_message_saying_which_digits():
    with pytest.raises(ValidationError) as exc:
        idnumbers.parse(FULL_ID.translate(ARABIC_INDIC))
    assert exc.value.code == "digits"


def test_a_full_width_phone_with_an_ideographic_space_is_stored_in_ascii():
    assert normalize_phone("＋８６\u3000１３８ １２３４ ５６７８") == "13812345678"


# --- forms ------------------------------------------------------------------------------------------------------


def test_the_same_id_number_typed_in_full_width_is_the_registered_resident(world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a2.pk]),
                                     _resident_data(id_number=full_width(FULL_ID[:17]) + FULL_ID[17]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "已登记" in body and "李建华" in body
    assert Resident.objects.filter(name="张伟").count() == 0


def test_a_resident_typed_in_full_width_is_stored_in_ascii(world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a1.pk]), _resident_data(
        id_number=full_width("11010519491231002X"), phone="１３９\u3000００００\u3000１１１１"))
    assert response.status_code == 302
    resident = Resident.objects.get(name="张伟")
    assert (resident.id_number, resident.phone) == ("11010519491231002X", "13900001111")


def test_the_resident_form_accepts_an_id_number_typed_with_spaces_like_the_import_and_the_petition_form(
        world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a1.pk]),
                                     _resident_data(id_number="110105 19491231 002x"))
    assert response.status_code == 302
    assert Resident.objects.get(name="张伟").id_number == "11010519491231002X"


def test_the_resident_form_refuses_arabic_indic_digits(world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a1.pk]),
                                     _resident_data(id_number="11010519491231002X".translate(ARABIC_INDIC)[:17] + "X"))
    assert response.status_code == 200
    assert "0-9" in response.content.decode()
    assert not Resident.objects.filter(name="张伟").exists()


def test_a_petitioner_typed_in_full_width_is_found_in_the_registry(world, registry):
    from petitions.forms import PetitionerForm

    form = PetitionerForm({"id_number": full_width(FULL_ID), "name": "", "phone": ""}, user=world.users["staff"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == FULL_ID
    assert form.cleaned_data["resident"].name == "李建华"


def test_a_dispute_party_typed_in_full_width_is_stored_in_ascii(world):
    from disputes.forms import PartyForm

    form = PartyForm({"side": "applicant", "name": "王五", "id_number": full_width("11010519491231002x"),
                      "phone": "１３８\u3000１２３４\u3000５６７８", "address": ""}, user=world.users["staff"])
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["id_number"], form.cleaned_data["phone"]) == ("11010519491231002X", "13812345678")


def test_a_dispute_amount_typed_in_full_width_is_read(world):
    from core.normalise import AmountField
    from disputes.forms import DisputeUpdateForm

    assert isinstance(DisputeUpdateForm.base_fields["amount"], AmountField)
    assert str(AmountField(max_digits=14, decimal_places=2).clean("１２\u3000５００．５０")) == "12500.50"


def test_a_head_phone_typed_in_full_width_is_stored_in_ascii():
    from governance.forms import HeadEditForm

    assert HeadEditForm.base_fields["phone"].clean("１３８１２３４５６７８") == "13812345678"


def test_the_resident_search_finds_an_id_number_typed_in_full_width(world, clients, registry):
    response = clients["staff"].get(reverse("disputes:resident-search"), {"q": full_width(FULL_ID)})
    assert "李建华" in response.content.decode()


# --- the roster import ------------------------------------------------------------------------------------------


def _import(client, content: bytes, name="花名册.xlsx") -> RosterImport:
    client.post(reverse("households:import"), {"file": SimpleUploadedFile(name, content, XLSX)})
    return RosterImport.objects.order_by("-pk").first()


def _problems(roster_import) -> dict[str, str]:
    return {p["column"]: p["message"] for p in roster_import.problems}


def test_an_imported_full_width_id_number_of_a_registered_resident_is_the_same_person(world, clients, registry):
    row = person(0, 住址=registry.a2.address, 门牌号="一组99号", 身份证号=full_width(FULL_ID))
    roster_import = _import(clients["staff"], xlsx_bytes([row]))
    assert "已登记" in _problems(roster_import)["身份证号"]


def test_an_id_number_that_excel_stored_as_a_number_is_refused_saying_to_format_the_column_as_text(world, clients):
    rows = [person(0, 身份证号=5.10723197005170e17), person(1, 身份证号=510723195001010014),
            person(2, 身份证号="5.10723E+17")]
    roster_import = _import(clients["staff"], xlsx_bytes(rows))
    assert roster_import.bad_rows == [2, 3, 4]
    assert {(p["column"]) for p in roster_import.problems} == {"身份证号"}
    assert all("文本" in p["message"] for p in roster_import.problems)


def test_a_csv_with_an_id_number_in_scientific_notation_is_refused(world, clients):
    roster_import = _import(clients["staff"], csv_bytes([person(0, 身份证号="5.10723E+17")]), name="roster.csv")
    assert "文本" in _problems(roster_import)["身份证号"]


def test_a_mobile_stored_as_a_number_is_exact_and_accepted_but_a_landline_that_lost_its_zero_is_refused(
        world, clients):
    rows = [person(0, 联系电话=13912345678), person(1, 联系电话=2887654321)]
    roster_import = _import(clients["staff"], xlsx_bytes(rows))
    assert roster_import.bad_rows == [3]
    assert "文本" in _problems(roster_import)["联系电话"]


def test_a_name_or_address_too_long_is_a_row_error_never_a_truncation(world, clients):
    rows = [person(0, 姓名="张" * 33), person(3, 住址="桃" * 201), person(6, 姓名="李" * 32, 住址="柳" * 200)]
    roster_import = _import(clients["staff"], xlsx_bytes(rows))
    assert roster_import.bad_rows == [2, 3]
    assert [(p["row"], p["column"]) for p in roster_import.problems] == [(2, "姓名"), (3, "住址")]
    assert "33" in roster_import.problems[0]["message"] and "32" in roster_import.problems[0]["message"]
    clients["staff"].post(reverse("households:import-commit", args=[roster_import.pk]), {"mode": "valid"})
    assert Resident.objects.get().name == "李" * 32
    assert Resident.objects.get().household.address == "柳" * 200


def test_the_template_formats_the_id_number_and_phone_columns_as_text(world, clients):
    from openpyxl import load_workbook

    response = clients["staff"].get(reverse("households:import-template"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    columns = {cell.value: cell.column_letter for cell in sheet[1]}
    for header in ("身份证号", "联系电话"):
        assert sheet.column_dimensions[columns[header]].number_format == "@"
        assert sheet[f"{columns[header]}2"].number_format == "@"
    assert sheet[f"{columns['身份证号']}2"].value == "510723197005170012"
