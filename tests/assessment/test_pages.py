"""The pages and papers of 考核: who sees which runs, the 考核汇总表, the 明细 and the 公示, the dashboard card whose
numbers equal their lists, and the reminders of the daily scan (each once)."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from assessment import services
from assessment.models import Run
from assessment.tasks import remind_assessment
from casework.models import Notification
from tests.conftest import pinned_moment
from tests.factories import HouseholdFactory, HouseholdHeadFactory

from .factories import make_runs, make_scheme, publish

pytestmark = pytest.mark.today("2026-11-20")


@pytest.fixture
def runs(world):
    """Runs of November for 马林 and 牛犇 (grid A1) and a head of village B; 马林's published."""
    HouseholdHeadFactory(grid=world.grid_b1, name="柳青")
    for head in (world.head_a1, world.head_a1_2):
        HouseholdFactory(grid=world.grid_a1, household_head=head)
    made = make_runs(world)
    publish(made[world.head_a1.pk], world)
    return made


def _names(response) -> set[str]:
    return {run.subject_name for run in response.context["table"].data.data}


@pytest.mark.parametrize("who,expected", [
    ("staff", {"马林", "牛犇", "柳青"}),
    ("supervisor", {"马林", "牛犇", "柳青"}),
    ("village_cadre", {"马林", "牛犇"}),
    ("village_cadre_b", {"柳青"}),
    ("township_cadre", {"马林", "牛犇"}),
    ("household_head", {"马林"}),
    ("household_head_2", {"牛犇"}),
    ("grid_worker", set()),
    ("outsider", set()),
    ("county_staff", {"马林", "牛犇", "柳青"}),
])
def test_each_role_sees_the_runs_of_its_part(who, expected, world, county, clients, runs):
    response = clients[who].get(reverse("assessment:run-list"))
    assert response.status_code == 200
    assert _names(response) == expected


def test_the_run_list_takes_a_bounded_number_of_queries(world, clients, runs, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert clients["staff"].get(reverse("assessment:run-list")).status_code == 200


def test_a_head_sees_their_breakdown_and_stars(world, clients, runs):
    run = runs[world.head_a1.pk]
    page = clients["household_head"].get(reverse("assessment:run-detail", args=[run.pk])).content.decode()
    assert "联系户走访覆盖率" in page and "未接入" in page
    run.refresh_from_db()
    assert run.star_text in page
    assert 'data-testid="run-actions"' not in page  # nothing to act on
    assert clients["household_head"].get(reverse("assessment:run-detail", args=[runs[world.head_a1_2.pk].pk])
                                         ).status_code == 404


def test_the_summary_sheet_lists_item_scores_total_star_and_rank(world, clients, runs):
    scheme = runs[world.head_a1.pk].scheme
    response = clients["staff"].get(reverse("assessment:scheme-summary", args=[scheme.pk]) + "?period=2026-11-01")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "青石镇2026年11月联户长考核汇总表"
    header = [c.value for c in ws[3]]
    assert header[:3] == ["序号", "村", "考核对象"] and "联系户走访覆盖率" in header and "排名" in header
    names = {ws.cell(row, 3).value for row in range(5, 8)}
    assert {"马林", "牛犇", "柳青"} <= names


def test_the_publicity_notice_lists_only_published_runs_without_phones(world, clients, runs):
    scheme = runs[world.head_a1.pk].scheme
    page = clients["staff"].get(reverse("assessment:scheme-notice", args=[scheme.pk]) + "?period=2026-11-01")
    text = page.content.decode()
    assert "关于2026年11月联户长考核结果的公示" in text
    assert "马林" in text and "牛犇" not in text  # 牛犇's is still a draft
    assert world.head_a1.phone not in text if world.head_a1.phone else True
    assert "2026年11月25日" in text


def test_the_detail_paper_is_chinese_whatever_the_language(world, clients, runs):
    client = clients["staff"]
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("assessment:run-paper", args=[runs[world.head_a1.pk].pk])).content.decode()
    assert "考核明细表" in page and "民情信息收集员" in page and "评分标准" in page


def test_the_dashboard_card_numbers_equal_their_lists(world, clients, runs):
    for run in runs.values():
        if run.status == Run.Status.DRAFT:
            publish(run, world)
    Run.objects.update(publicity_to=dt.date(2026, 11, 19))
    for run in Run.objects.all():
        services.run_finalise(run=run, by=world.users["supervisor"])
    response = clients["staff"].get(reverse("dashboards:home"))
    card = response.context["assessment_card"]
    assert card["total"] == 3
    for figure in [*card["stars"], {"count": card["failed_count"], "url": card["failed_url"]}]:
        listed = clients["staff"].get(figure["url"])
        assert listed.context["table"].paginator.count == figure["count"], figure["url"]
    assert 'data-testid="assessment-card"' in response.content.decode()


def test_reminders_come_once_each(world, runs):
    run = runs[world.head_a1.pk]
    services.appeal_file(run=run, by=world.users["household_head"], text="覆盖率有误")
    with time_machine.travel(pinned_moment("2026-12-02")):
        told = remind_assessment()
        again = remind_assessment()
    assert told > 0 and again == 0
    keys = set(Notification.objects.filter(channel="inbox").values_list("key", flat=True))
    scheme = run.scheme
    assert f"assessment-period:{scheme.pk}:2026-11-01" in keys  # November closed with drafts left
    assert f"assessment-appeal-overdue:{run.appeals.get().pk}" in keys
    recipients = set(Notification.objects.filter(key__startswith="assessment-period").values_list(
        "recipient__username", flat=True))
    assert recipients == {"staff", "supervisor"}


def test_the_end_of_publicity_is_reminded(world, runs):
    other = runs[world.head_a1_2.pk]
    publish(other, world)
    with time_machine.travel(pinned_moment("2026-11-26")):
        remind_assessment()
    assert Notification.objects.filter(key=f"assessment-publicity-end:{other.pk}").exists()


def test_creating_runs_on_the_page(world, clients):
    scheme = make_scheme(world.township, created_by=world.users["staff"], approved_by=world.users["supervisor"])
    response = clients["staff"].post(reverse("assessment:run-create"), {"scheme": scheme.pk, "day": "2026-11-05"})
    assert response.status_code == 302
    assert Run.objects.filter(scheme=scheme, period_start=dt.date(2026, 11, 1)).count() == 2
    bad = clients["staff"].post(reverse("assessment:run-create"), {"scheme": scheme.pk, "day": "2027-01-05"})
    assert "尚未开始" in bad.content.decode()


def test_staff_draft_a_scheme_with_the_standard_items_and_someone_else_approves_it(world, clients):
    from assessment.models import Scheme

    data = {"name": "联户长星级考核办法", "subject_kind": "head", "period": "quarter", "full_score": "100",
            "excellent_from": "90", "pass_from": "60", "publicity_days": "5", "appeal_answer_days": "5",
            "effective_from": "2026-01-01", "bands": "90, 70, 80, 60"}
    bad = clients["staff"].post(reverse("assessment:scheme-create"), data)
    assert "请填写四个分数" in bad.content.decode() and "联户长星级考核办法" in bad.content.decode()
    assert not Scheme.objects.exists()
    response = clients["staff"].post(reverse("assessment:scheme-create"), {**data, "bands": "90，80，70，60"})
    scheme = Scheme.objects.get()
    assert response.url == scheme.get_absolute_url()
    assert scheme.stars_for(85) == 4 and scheme.items.count() == 10
    clients["staff"].post(reverse("assessment:scheme-approve", args=[scheme.pk]))
    scheme.refresh_from_db()
    assert not scheme.is_approved
    clients["supervisor"].post(reverse("assessment:scheme-approve", args=[scheme.pk]))
    scheme.refresh_from_db()
    assert scheme.approved_by == world.users["supervisor"]
    assert clients["village_cadre"].get(reverse("assessment:scheme-create")).status_code == 403


def test_the_run_page_the_evaluation_list_and_the_papers_take_bounded_queries(
        world, clients, runs, django_assert_max_num_queries):
    run = runs[world.head_a1.pk]
    scheme = run.scheme
    for url, most in [(reverse("assessment:run-detail", args=[run.pk]), 25),
                      (reverse("assessment:evaluation-list"), 20),
                      (reverse("assessment:scheme-notice", args=[scheme.pk]) + "?period=2026-11-01", 25),
                      (reverse("assessment:run-paper", args=[run.pk]), 20)]:
        with django_assert_max_num_queries(most):
            assert clients["staff"].get(url).status_code == 200, url
