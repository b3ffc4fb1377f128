"""The pages: who sees what (联户长 only the flag, details masked until a logged reveal), the publicity list carries
name and village only, measures and checks, the ledger, and list query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring.models import DetailReveal, MonitoringCase
from tests.factories import HouseholdFactory, ResidentFactory
from tests.monitoring.factories import DAY, S, advance, category, open_case


@pytest.fixture
def case(world):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="王大山")
    return open_case(world.users["staff"], household=household, income_per_person="6200.00",
                     lead_note="户主住院，花费较大")


def test_a_household_head_sees_only_the_flag_and_when_to_visit(world, clients, case):
    advance(case, S.MONITORED, world.users["staff"])
    response = clients["household_head"].get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="flag-only"' in html and 'data-testid="next-visit"' in html
    assert "6200" not in html and "住院" not in html and 'data-testid="reveal-form"' not in html


def test_details_are_masked_until_revealed_with_a_reason_that_is_logged(world, clients, case):
    client = clients["village_cadre"]
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="masked"' in html and "6200" not in html and "住院" not in html
    refused = client.post(reverse("monitoring:reveal", args=[case.pk]), {"reason": ""})
    assert refused.status_code == 400 and not DetailReveal.objects.exists()
    response = client.post(reverse("monitoring:reveal", args=[case.pk]), {"reason": "入户核实收入"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "6200" in html and "住院" in html
    log = DetailReveal.objects.get()
    assert (log.case, log.user, log.reason) == (case, world.users["village_cadre"], "入户核实收入")


def test_a_grid_worker_cannot_reveal(world, clients, case):
    assert clients["grid_worker"].post(reverse("monitoring:reveal", args=[case.pk]), {"reason": "看看"}).status_code == 403
    assert not DetailReveal.objects.exists()


def test_the_publicity_list_carries_name_and_village_only(world, clients, case):
    ResidentFactory(household=case.household, name="王大山", id_number="510723198001011234", phone="13800001111")
    case.members = 3
    case.save()
    advance(case, S.PUBLICITY, world.users["staff"])
    response = clients["staff"].get(reverse("monitoring:publicity"), {"kind": "entry"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "王大山" in html and "桃源村" in html and "纳入公示名单" in html
    for secret in ("510723198001011234", "13800001111", "6200", "住院", "因病", "银行"):
        assert secret not in html
    rows = response.context["rows"]
    assert set(rows[0]) == {"index", "village", "name", "members", "type"}
    exit_list = clients["staff"].get(reverse("monitoring:publicity"), {"kind": "exit"}).content.decode()
    assert "王大山" not in exit_list and "风险消除公示名单" in exit_list


def test_publicity_cannot_end_early_from_the_page(world, clients, case, today):
    advance(case, S.VERIFYING, world.users["staff"])
    url = reverse("monitoring:start-publicity", args=[case.pk])
    response = clients["village_cadre"].post(url, {"starts_on": today, "ends_on": today + 3 * DAY, "minutes": "x"})
    assert response.status_code == 200 and "公示不少于5天" in response.content.decode()
    case.refresh_from_db()
    assert case.status == S.VERIFYING


def test_measures_set_the_deadline_and_a_failing_check_is_an_open_problem(world, clients, case, today):
    client = clients["village_cadre"]
    for planned in (today + 20 * DAY, today + 10 * DAY):
        response = client.post(reverse("monitoring:measure-add", args=[case.pk]), {
            "category": category().pk, "what": "公益性岗位", "owner_name": "村委会", "planned_on": planned})
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.measures_deadline == today + 10 * DAY
    first = case.measures.get(planned_on=today + 10 * DAY)
    client.post(reverse("monitoring:measure-done", args=[first.pk]), {"on": today, "evidence": "合同"})
    case = MonitoringCase.objects.get(pk=case.pk)
    assert case.measures_deadline == today + 20 * DAY

    bad = client.post(reverse("monitoring:check-add", args=[case.pk]), {
        "checked_on": today, "all_insured": "on", "family_doctor": "on", "housing_grade": "C", "water_ok": "on",
        "children": "王小明 逃课"})
    assert bad.status_code == 200 and "王小明 逃课" in bad.content.decode()
    client.post(reverse("monitoring:check-add", args=[case.pk]), {
        "checked_on": today, "all_insured": "on", "family_doctor": "on", "housing_grade": "C", "water_ok": "on",
        "children": "王小明 辍学"})
    case.refresh_from_db()
    assert case.open_problems == ["义务教育", "住房安全"]
    assert MonitoringCase.objects.filter(security_problems__gt="").count() == 1
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="problems"' in html


def test_the_ledger_is_in_chinese_whatever_the_language(world, clients, case):
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    response = client.get(reverse("monitoring:ledger"))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "防止返贫监测对象台账" in values[0]
    assert "户主" in values and "王大山" in values and "线索" in values


def test_the_plan_prints_the_measures(world, clients, case, today):
    case.measures.create(category=category(), what="安排公益性岗位", owner_name="村委会", planned_on=today)
    html = clients["village_cadre"].get(reverse("monitoring:plan-print", args=[case.pk])).content.decode()
    assert "一户一策" in html and "安排公益性岗位" in html


def test_a_new_lead_from_the_page(world, clients, today):
    household = HouseholdFactory(grid=world.grid_a1)
    client = clients["grid_worker"]
    from monitoring.models import MonitoringType

    response = client.post(reverse("monitoring:create"), {
        "household": household.pk, "type": MonitoringType.objects.get(code="sudden").pk, "source": "visit",
        "found_on": today, "lead_note": "房屋漏雨"})
    assert response.status_code == 302
    case = MonitoringCase.objects.get(household=household)
    assert case.status == S.LEAD and case.number.startswith("FP-")
    again = client.post(reverse("monitoring:create"), {
        "household": household.pk, "type": MonitoringType.objects.get(code="sudden").pk, "source": "visit",
        "found_on": today, "lead_note": "再报"})
    assert again.status_code == 200 and "该户已有办理中的监测记录" in again.content.decode()


@pytest.mark.parametrize("n", [5, 40])
def test_the_list_query_count_does_not_grow_with_rows(world, clients, django_assert_max_num_queries, n):
    for _ in range(n):
        open_case(world.users["staff"], grid=world.grid_a1)
    client = clients["village_cadre"]
    client.get(reverse("monitoring:list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("monitoring:list"), {"per_page": 100})
    assert response.status_code == 200
    assert len(response.context["table"].rows) == n


def test_a_visit_links_to_a_lead_for_its_household(world, clients, today):
    from tests.factories import VisitFactory

    household = HouseholdFactory(grid=world.grid_a1)
    visit = VisitFactory(grid=world.grid_a1, households=[household], notes="房屋漏雨开裂")
    client = clients["village_cadre"]
    page = client.get(reverse("households:visit-detail", args=[visit.pk])).content.decode()
    assert f"/monitoring/new/?household={household.pk}&amp;visit={visit.pk}" in page
    form = client.get(reverse("monitoring:create"), {"household": household.pk, "visit": visit.pk})
    assert form.context["form"].initial["source"] == "visit"
    from monitoring.models import MonitoringType

    client.post(reverse("monitoring:create") + f"?household={household.pk}&visit={visit.pk}", {
        "household": household.pk, "type": MonitoringType.objects.get(code="sudden").pk, "source": "visit",
        "found_on": today, "lead_note": "房屋漏雨开裂"})
    assert MonitoringCase.objects.get(household=household).visit == visit
    panel = client.get(reverse("monitoring:household-panel", args=[household.pk])).content.decode()
    assert "FP-" in panel
