"""考核 runs: outcome figures snapshotted, the path 草稿 → 镇审核 → 公示 → 申诉 → 定档 with its refusals, the 续聘 hint,
the 未接入 items, and 群众评议 recorded only by township staff and never by the person rated."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from assessment import metrics, services
from assessment.models import Evaluation, Item, Run
from tests.conftest import pinned_moment
from tests.factories import HouseholdFactory, HouseholdHeadFactory, UserFactory, VisitFactory
from tests.petitions.factories import register

from .factories import make_runs, make_scheme, publish

pytestmark = pytest.mark.today("2026-11-20")


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are matched in English (the pages answer in Chinese: asserted where shown)."""
    with translation.override("en"):
        yield


def _line(run, name):
    return next(line for line in run.lines() if line["name"] == name)


@pytest.fixture
def homes(world):
    """Four households linked to 马林 (head_a1) in grid A1."""
    return [HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1) for _ in range(4)]


def test_coverage_counts_distinct_linked_households_the_head_visited_not_visits(world, homes):
    for _ in range(5):  # five visits to one household are one household reached
        VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 3),
                     households=[homes[0]])
    VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 5),
                 households=[homes[1], homes[2]])
    VisitFactory(grid=world.grid_a1, visited_on=dt.date(2026, 11, 6), households=[homes[3]])  # someone else's visit
    VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 10, 30),
                 households=[homes[3]])  # last month
    run = make_runs(world)[world.head_a1.pk]
    line = _line(run, "联系户走访覆盖率")
    assert line["shown"] == "75.0%（3/4）"
    assert line["points"] == Decimal("20.0")  # ≥60% band


def test_a_later_edit_never_changes_a_published_score(world, homes):
    VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 3),
                 households=homes[:2])
    run = publish(make_runs(world)[world.head_a1.pk], world)
    published = run.score
    # A visit is back-dated into the period after publication: the published score does not move.
    VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 4),
                 households=homes[2:])
    with pytest.raises(ValidationError):
        services.run_recompute(run=run, by=world.users["staff"])
    run.refresh_from_db()
    assert run.total() == published
    with time_machine.travel(pinned_moment("2026-11-26")):
        services.run_finalise(run=run, by=world.users["supervisor"])
    run.refresh_from_db()
    assert run.status == Run.Status.FINAL and run.score == published
    assert _line(run, "联系户走访覆盖率")["shown"] == "50.0%（2/4）"


def test_collective_and_skip_level_petitions_from_own_households_are_deducted(world, homes):
    staff = world.users["staff"]
    register(by=staff, village=world.village_a, household=homes[0], head_count=6, received_on=dt.date(2026, 11, 10))
    register(by=staff, village=world.village_a, household=homes[1], skip_level=True, channel="referred",
             referred_by="县信访局", received_on=dt.date(2026, 11, 11))
    register(by=staff, village=world.village_a, household=homes[2], received_on=dt.date(2026, 11, 12))  # 个体访
    line = _line(make_runs(world)[world.head_a1.pk], "集体访越级访")
    assert line["shown"].startswith("2件")
    assert line["points"] == Decimal("-10.0")


def test_reports_count_what_the_head_reported_and_how_fast(world, homes):
    from tests.disputes.factories import DisputeFactory
    from tests.hazards.factories import HazardFactory

    visit = VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 2),
                         households=[homes[0]])
    DisputeFactory(grid=world.grid_a1, reporting_head=world.head_a1, visit=visit, registered_on=dt.date(2026, 11, 3))
    DisputeFactory(grid=world.grid_a1, reporting_head=world.head_a1, visit=visit, registered_on=dt.date(2026, 11, 9))
    HazardFactory(grid=world.grid_a1, reporting_head=world.head_a1, found_on=dt.date(2026, 11, 20))
    DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 3))  # not theirs
    run = make_runs(world)[world.head_a1.pk]
    assert _line(run, "发现并上报")["points"] == Decimal("6.0")
    assert _line(run, "上报及时率")["shown"] == "66.7%（2/3）"


def test_outreach_items_show_not_connected_and_score_zero_without_the_module(world, homes, monkeypatch):
    monkeypatch.setattr(metrics, "outreach_metrics", lambda: None)  # as in a deployment without the outreach app
    run = make_runs(world)[world.head_a1.pk]
    for name in ("政策宣传覆盖率", "培训学时"):
        line = _line(run, name)
        assert (line["shown"], line["points"]) == ("未接入", Decimal("0"))
        assert "未接入" in line["reason"]


def test_outreach_items_read_the_policies_explained_and_the_training_attended(world, homes):
    from tests.outreach.factories import explain, make_training

    for home in homes:  # every linked household had a policy explained in November
        explain(VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 3),
                             households=[home]), "anti-fraud")
    make_training(world.township, by=world.users["staff"], hours="3.5", heads=[world.head_a1])
    make_training(world.township, by=world.users["staff"], hours="2", heads=[world.head_a1],
                  held_on=dt.date(2026, 10, 20))  # October: another period
    run = make_runs(world)[world.head_a1.pk]
    assert _line(run, "政策宣传覆盖率")["points"] == Decimal("10.0")
    assert _line(run, "培训学时")["points"] == Decimal("3.5")


def test_satisfaction_is_the_share_of_sampled_answers_recorded_by_staff(world, homes):
    staff = world.users["staff"]
    for home, result in zip(homes, ["satisfied", "fairly", "satisfied", "dissatisfied"], strict=True):
        services.evaluation_record(by=staff, household=home, result=result, way="phone")
    line = _line(make_runs(world)[world.head_a1.pk], "群众满意率")
    assert line["shown"] == "75.0%（3/4）" and line["points"] == Decimal("10.0")


def test_the_rated_person_cannot_record_their_own_evaluation(world, homes, login_client):
    # A township staff member who is also a 联户长: the household linked to them is not theirs to rate.
    own_head = HouseholdHeadFactory(grid=world.grid_a1, name="周兼")
    household = HouseholdFactory(grid=world.grid_a1, household_head=own_head)
    staff_head = UserFactory(username="staffhead", role="township_staff", township=world.township,
                             household_head=own_head)
    response = login_client(staff_head).post(reverse("assessment:evaluation-create"), {
        "household": household.pk, "on": "2026-11-19", "way": "phone", "result": "satisfied", "reason": "很好"})
    assert response.status_code == 200
    assert "不能评议自己" in response.content.decode()
    assert 'value="很好"' in response.content.decode()  # what was typed is kept
    assert not Evaluation.objects.exists()
    with pytest.raises(ValidationError):
        services.evaluation_record(by=world.users["staff"], household=homes[0], result="satisfied", way="door",
                                   worker=world.users["staff"])


@pytest.mark.parametrize("who", ["grid_worker", "household_head", "village_cadre", "county_staff"])
def test_only_township_staff_record_evaluations(who, world, county, clients, homes):
    assert clients[who].get(reverse("assessment:evaluation-create")).status_code == 403


def test_staff_record_an_evaluation_on_the_page(world, clients, homes):
    response = clients["staff"].post(reverse("assessment:evaluation-create"), {
        "household": homes[0].pk, "on": "2026-11-19", "way": "door", "result": "dissatisfied", "reason": "很少来"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.head, evaluation.recorded_by, evaluation.result) == (
        world.head_a1, world.users["staff"], "dissatisfied")


def test_review_is_by_someone_other_than_the_submitter(world):
    run = make_runs(world)[world.head_a1.pk]
    services.run_submit(run=run, by=world.users["staff"])
    with pytest.raises(ValidationError, match="someone other"):
        services.run_approve(run=run, by=world.users["staff"])
    services.run_approve(run=run, by=world.users["supervisor"])
    run.refresh_from_db()
    assert run.status == Run.Status.PUBLICITY and run.publicity_to == dt.date(2026, 11, 25)
    assert run.history.count() >= 3


def test_manual_scores_need_evidence_and_another_persons_approval(world):
    run = make_runs(world)[world.head_a1.pk]
    item = run.scheme.items.get(name="遵守纪律")
    with pytest.raises(ValidationError):
        services.manual_enter(run=run, item=item, by=world.users["staff"], points=Decimal("-3"), evidence=" ")
    entry = services.manual_enter(run=run, item=item, by=world.users["staff"], points=Decimal("-3"),
                                  evidence="11月例会无故缺席一次")
    assert _line(run, "遵守纪律")["points"] == 0  # not counted before approval
    services.run_submit(run=run, by=world.users["supervisor"])
    with pytest.raises(ValidationError, match="await approval"):
        services.run_approve(run=run, by=world.users["staff"])
    with pytest.raises(ValidationError, match="someone other"):
        services.manual_approve(entry=entry, by=world.users["staff"])
    services.manual_approve(entry=entry, by=world.users["supervisor"])
    assert _line(run, "遵守纪律")["points"] == Decimal("-3.0")


def test_self_assessment_and_appeal_are_the_subjects_own(world):
    run = make_runs(world)[world.head_a1.pk]
    head, other_head = world.users["household_head"], world.users["household_head_2"]
    services.run_open_self_assessment(run=run, by=world.users["staff"])
    with pytest.raises(PermissionDenied):
        services.run_self_assess(run=run, by=other_head, score=Decimal("90"), note="")
    services.run_self_assess(run=run, by=head, score=Decimal("88"), note="全部走访到位")
    services.run_approve(run=run, by=world.users["supervisor"])
    run.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.appeal_file(run=run, by=world.users["staff"], text="代为申诉")
    appeal = services.appeal_file(run=run, by=head, text="走访覆盖率有误")
    run.refresh_from_db()
    assert run.status == Run.Status.APPEAL
    with time_machine.travel(pinned_moment("2026-11-26")):
        with pytest.raises(ValidationError, match="Answer every appeal"):
            services.run_finalise(run=run, by=world.users["supervisor"])
        with pytest.raises(ValidationError, match="no longer taken"):
            services.appeal_file(run=run, by=head, text="再次申诉")
        services.appeal_answer(appeal=appeal, by=world.users["staff"], answer="经核实，维持原结果")
        services.run_finalise(run=run, by=world.users["supervisor"], allowance=Decimal("300"))
    run.refresh_from_db()
    assert (run.status, run.allowance, run.self_score) == (Run.Status.FINAL, Decimal("300"), Decimal("88"))


def test_grading_waits_for_the_end_of_publicity(world):
    run = publish(make_runs(world)[world.head_a1.pk], world)
    with pytest.raises(ValidationError, match="publicity runs until 2026-11-25"):
        services.run_finalise(run=run, by=world.users["supervisor"])


def _graded(world, day, scheme):
    run = Run.objects.get(pk=make_runs(world, day=day, scheme=scheme)[world.head_a1.pk].pk)
    publish(run, world)
    Run.objects.filter(pk=run.pk).update(publicity_to=day)
    run.refresh_from_db()
    services.run_finalise(run=run, by=world.users["supervisor"])
    run.refresh_from_db()
    return run


def test_two_fails_in_a_row_advise_not_to_renew_on_the_heads_page(world, clients):
    scheme = make_scheme(world.township, created_by=world.users["staff"], approved_by=world.users["supervisor"])
    first = _graded(world, dt.date(2026, 9, 15), scheme)
    second = _graded(world, dt.date(2026, 10, 15), scheme)
    assert (first.grade, first.renewal) == (Run.Grade.FAIL, Run.Renewal.WATCH)
    assert (second.grade, second.renewal) == (Run.Grade.FAIL, Run.Renewal.NOT_RENEW)
    page = clients["staff"].get(reverse("governance:head-detail", args=[world.head_a1.pk])).content.decode()
    assert "建议不再续聘" in page and "☆" in page
    # Another head's page shows nothing of it.
    page = clients["staff"].get(reverse("governance:head-detail", args=[world.head_a1_2.pk])).content.decode()
    assert "建议不再续聘" not in page


def test_stars_and_grade_follow_the_bands(world):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    assert [scheme.stars_for(Decimal(s)) for s in ("95", "85", "70", "60", "59.9")] == [5, 4, 3, 2, 1]
    assert [scheme.grade_for(Decimal(s)) for s in ("90", "60", "59.9")] == ["excellent", "pass", "fail"]


def test_runs_are_not_made_with_an_unapproved_scheme_or_for_a_future_period(world):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    with pytest.raises(ValidationError, match="approved"):
        services.runs_create(scheme=scheme, day=dt.date(2026, 11, 1), by=world.users["staff"])
    with pytest.raises(ValidationError, match="someone other"):
        scheme.approve(by=world.users["staff"])
    scheme.approve(by=world.users["supervisor"])
    with pytest.raises(ValidationError, match="not begun"):
        services.runs_create(scheme=scheme, day=dt.date(2026, 12, 5), by=world.users["staff"])
    made = services.runs_create(scheme=scheme, day=dt.date(2026, 11, 1), by=world.users["staff"])
    assert {r.head_id for r in made} == {world.head_a1.pk, world.head_a1_2.pk}
    assert services.runs_create(scheme=scheme, day=dt.date(2026, 11, 30), by=world.users["staff"]) == []


def test_a_computed_item_needs_a_measure(world):
    scheme = make_scheme(world.township, created_by=world.users["staff"])
    with pytest.raises(ValidationError):
        Item(scheme=scheme, duty="collect", name="x", kind="computed", max_points=1).full_clean()


def test_an_upheld_appeal_corrects_one_item_within_its_bounds_and_the_grade_counts_it(world, clients, homes):
    VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, visited_on=dt.date(2026, 11, 3),
                 households=homes[:2])
    run = publish(make_runs(world)[world.head_a1.pk], world)
    published = run.score
    coverage = run.scheme.items.get(name="联系户走访覆盖率")
    assert _line(run, "联系户走访覆盖率")["points"] == Decimal("10.0")  # 2 of 4 households: the ≥30% band
    appeal = services.appeal_file(run=run, by=world.users["household_head"], text="另两户由网格员代录，请核实")
    url = reverse("assessment:appeal-answer", args=[appeal.pk])
    too_much = clients["staff"].post(url, {"answer": "核实属实", "item": coverage.pk, "adjustment": "25"}, follow=True)
    assert "35.0" in too_much.content.decode()  # refused: the item would end at 35.0, it allows 0 to 30
    appeal.refresh_from_db()
    assert appeal.answered_on is None
    half = clients["staff"].post(url, {"answer": "核实属实", "adjustment": "5"}, follow=True)
    assert "更正的细则和分值" in half.content.decode()
    clients["staff"].post(url, {"answer": "经核实，另两户确已走访，覆盖率调整", "item": coverage.pk, "adjustment": "10"})
    appeal.refresh_from_db()
    assert appeal.adjustment == Decimal("10.0") and appeal.item == coverage
    run.refresh_from_db()
    assert run.score == published  # the published score stays as published
    page = clients["staff"].get(run.get_absolute_url()).content.decode()
    assert "申诉复核+10.0分" in page and 'data-testid="appeal-correction"' in page
    Run.objects.filter(pk=run.pk).update(publicity_to=dt.date(2026, 11, 19))
    run.refresh_from_db()
    services.run_finalise(run=run, by=world.users["supervisor"])
    run.refresh_from_db()
    assert run.score == published + Decimal("10")
