"""GB/T 31000-2015 data sets: the standard's element names and codes from our records, per township and period,
scoped, with ID numbers masked unless exported with a logged reason, and a validation report of what is missing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from disputes.models import Dispute
from households.models import RevealLog
from standards import loader
from standards.models import CodeValue, DataElement
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.factories import HouseholdFactory, ResidentFactory, tag, tag_with

PERIOD = {"start": "2026-11-01", "end": "2026-11-30"}


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _export(client, township, dataset, **params):
    url = reverse("standards:export", args=[township.pk])
    return client.get(url, {"dataset": dataset, **PERIOD, "format": "csv", **params})


@pytest.fixture
def people(world):
    household = HouseholdFactory(grid=world.grid_a1, head_name="王大山", address="桃源村一组8号")
    head = ResidentFactory(household=household, name="王大山", relation="head", gender="male")
    child = ResidentFactory(household=household, name="王小花", relation="child", gender="female", phone="")
    tag_with(child, tag("children-left-behind"), tag("disabled"))
    tag_with(head, tag("focus-prestige"))
    return head, child


def test_the_mapping_is_kept_as_data_and_loading_it_again_changes_nothing(db):
    assert DataElement.objects.filter(dataset="disputes", name="矛盾纠纷类别").exists()
    assert CodeValue.objects.get(table="sex", our_value="female").code == "2"
    assert loader.load(DataElement, CodeValue) == (0, 0)
    call_command("load_standard", stdout=io.StringIO())
    assert set(CodeValue.objects.filter(table="dispute_kind").values_list("our_value", flat=True)) == set(
        Dispute.Kind.values)


def test_the_population_data_set_has_the_standards_element_names_and_codes_with_ids_masked(world, clients, people):
    head, child = people
    response = _export(clients["staff"], world.township, "population")
    assert response.status_code == 200
    rows = {r["姓名"]: r for r in _csv(response)}
    assert list(rows["王大山"])[:6] == ["公民身份号码", "姓名", "性别", "出生日期", "联系方式", "与户主关系"]
    assert rows["王大山"]["性别"] == "1" and rows["王小花"]["性别"] == "2"
    assert rows["王大山"]["与户主关系"] == "02" and rows["王小花"]["与户主关系"] == "20"
    assert rows["王大山"]["人口类型"] == "1" and rows["王大山"]["行政区划代码"] == world.township.code
    assert rows["王大山"]["公民身份号码"] == head.id_number[:6] + "********" + head.id_number[-4:]
    assert head.id_number not in str(rows) and head.phone not in str(rows)


def test_special_groups_carry_only_tags_with_a_code_and_never_focus_tags_for_those_who_may_not_see_them(
        world, clients, people):
    rows = _csv(_export(clients["supervisor"], world.township, "special"))
    assert [(r["姓名"], r["人员类别"]) for r in rows] == [("王小花", "0401")]
    page = clients["staff"].get(reverse("standards:township", args=[world.township.pk]),
                                {"dataset": "special", **PERIOD}).content.decode()
    assert "“disabled”在代码表 person_category 中没有对应代码" in page
    village_page = clients["supervisor"].get(reverse("standards:township", args=[world.township.pk]),
                                             {"dataset": "special", **PERIOD}).content.decode()
    assert ("focus-prestige" in village_page) == ("focus-prestige" in page)


def test_disputes_of_the_period_with_codes_and_the_report_lists_what_is_missing(world, clients):
    inside = DisputeFactory(grid=world.grid_a1, number="JF-2026-0101", kind=Dispute.Kind.LAND, risk="major",
                            registered_on=dt.date(2026, 11, 5))
    PartyFactory(dispute=inside, name="李四", id_number="")
    DisputeFactory(grid=world.grid_a1, number="JF-2026-0099", registered_on=dt.date(2026, 10, 30))
    rows = _csv(_export(clients["staff"], world.township, "disputes"))
    assert [r["矛盾纠纷编号"] for r in rows] == ["JF-2026-0101"]
    assert rows[0]["矛盾纠纷类别"] == "07" and rows[0]["矛盾纠纷规模"] == "3"
    assert rows[0]["主要当事人姓名"] == "李四" and rows[0]["发生地"] == "桃源村第一网格"
    page = clients["staff"].get(reverse("standards:township", args=[world.township.pk]),
                                {"dataset": "disputes", **PERIOD}).content.decode()
    assert "JF-2026-0101" in page and "主要当事人公民身份号码" in page and "缺失" in page
    assert "共 1 条记录，其中 1 条有缺失或无对应代码的数据项" in page


def test_a_dispute_type_without_a_code_is_reported_and_left_blank(world, clients):
    CodeValue.objects.filter(table="dispute_kind", our_value="labour").delete()
    DisputeFactory(grid=world.grid_a1, number="JF-2026-0102", kind=Dispute.Kind.LABOUR)
    rows = _csv(_export(clients["staff"], world.township, "disputes"))
    assert rows[0]["矛盾纠纷类别"] == ""
    page = clients["staff"].get(reverse("standards:township", args=[world.township.pk]),
                                {"dataset": "disputes", **PERIOD}).content.decode()
    assert "“labour”在代码表 dispute_kind 中没有对应代码" in page


def test_the_county_exports_each_of_its_townships_and_another_township_is_404(world, county, clients):
    DisputeFactory(grid=world.grid_a1, number="JF-2026-0103")
    assert len(_csv(_export(clients["county_staff"], world.township, "disputes"))) == 1
    assert _export(clients["county_staff"], world.other_township, "disputes").status_code == 200
    assert _export(clients["county_outsider"], world.township, "disputes").status_code == 404
    assert _export(clients["outsider"], world.township, "disputes").status_code == 404
    assert _export(clients["village_cadre"], world.township, "disputes").status_code == 403
    assert clients["county_staff"].get(reverse("standards:index")).status_code == 200


def test_a_bad_period_is_a_clear_message_not_a_file(world, clients):
    response = _export(clients["staff"], world.township, "disputes", start="2026-12-01", end="2026-11-01")
    assert response.status_code == 400 and "截止日期早于起始日期" in response.content.decode()


def test_full_ids_need_a_reason_and_are_logged_and_only_for_the_townships_staff(world, clients, people):
    head, _child = people
    url = reverse("standards:export-full", args=[world.township.pk]) + "?dataset=population&start=2026-11-01"
    refused = clients["staff"].post(url, {"reason": "", "format": "csv"})
    assert refused.status_code == 400 and not RevealLog.objects.exists()
    response = clients["staff"].post(url, {"reason": "县综治中心要求报送（平综治函〔2026〕12号）", "format": "csv"})
    assert response.status_code == 200
    rows = {r["姓名"]: r for r in _csv(response)}
    assert rows["王大山"]["公民身份号码"] == head.id_number
    log = RevealLog.objects.get()
    assert log.user == world.users["staff"] and "平综治函" in log.reason and "实有人口" in log.subject
    assert clients["supervisor"].post(url, {"reason": "需要", "format": "csv"}).status_code == 403
    assert clients["outsider"].post(url, {"reason": "需要", "format": "csv"}).status_code == 404


def test_the_page_reads_in_a_bounded_number_of_queries(world, clients, people, django_assert_max_num_queries):
    for _ in range(20):
        ResidentFactory(household=HouseholdFactory(grid=world.grid_a2))
    with django_assert_max_num_queries(20):
        response = clients["staff"].get(reverse("standards:township", args=[world.township.pk]),
                                        {"dataset": "population", **PERIOD})
    assert response.status_code == 200


def test_the_excel_file_is_a_paper_in_chinese(world, clients, people):
    response = _export(clients["staff"], world.township, "population", format="xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
