"""红黑榜 by a published rule: drafted from the figures with a minimum denominator, a reason per entry, approved by a
supervisor who did not draft it, published for a window with 整改 follow-ups, shown on the dashboard only then."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from honours import services
from honours.models import Entry, FollowUp, HygieneInspection, ListDefinition, ListIssue, TransitionRefused
from honours.sources import Metric, Value, register_metric
from tests.factories import HouseholdFactory, UserFactory
from tests.honours.factories import make_definition, make_issue

TODAY = dt.date(2026, 11, 20)


def _visited(grid, n_visited, n_not):
    for i in range(n_visited + n_not):
        household = HouseholdFactory(grid=grid)
        if i < n_visited:
            type(household).objects.filter(pk=household.pk).update(last_visited_on=TODAY - dt.timedelta(days=10))


@pytest.fixture
def villages_rule(world):
    """Village A: 3 of 4 households visited in 90 days; village B: 0 of 1 (the demo's "0.0% (0/1)")."""
    _visited(world.grid_a1, 3, 1)
    _visited(world.grid_b1, 0, 1)
    return make_definition(world.township, by=world.users["staff"], subject="village", name="村级走访覆盖红黑榜",
                           min_denominator=2)


def _draft(definition, user):
    start, end = definition.period_of(TODAY)
    return services.issue_draft(definition=definition, by=user, start=start, end=end, today=TODAY)


def test_a_village_below_the_minimum_denominator_is_not_ranked_black(world, villages_rule):
    issue = _draft(villages_rule, world.users["staff"])
    assert (issue.period_start, issue.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    entries = {(e.board, e.label, e.display) for e in issue.entries.all()}
    assert entries == {("red", "桃源村", "75.0%（3/4）"), ("excluded", "柳湾村", "0.0%（0/1）")}
    assert issue.status == ListIssue.Status.DRAFT and issue.entries.get(board="red").reason == ""


def test_red_and_black_never_name_the_same_subject_and_thresholds_narrow_them(world):
    _visited(world.grid_a1, 3, 1)
    _visited(world.grid_a2, 1, 3)
    _visited(world.grid_b1, 2, 2)
    rule = make_definition(world.township, by=world.users["staff"], red_count=2, black_count=2, min_denominator=1,
                           black_threshold=Decimal("30"))
    issue = _draft(rule, world.users["staff"])
    red = [e.label for e in issue.entries.filter(board="red").order_by("rank")]
    black = [e.label for e in issue.entries.filter(board="black").order_by("rank")]
    assert red == ["桃源村 第一网格", "柳湾村 第一网格"]
    assert black == ["桃源村 第二网格"]  # 25% ≤ 30%; 柳湾村 at 50% is above the threshold, and red


def test_every_entry_needs_a_reason_before_the_list_is_submitted(world, villages_rule):
    issue = _draft(villages_rule, world.users["staff"])
    with pytest.raises(TransitionRefused):
        issue.submit(by=world.users["staff"])
    services.entries_reasons_set(issue=issue, reasons={e.pk: "走访扎实，覆盖到户" for e in issue.ranked()})
    issue.submit(by=world.users["staff"])
    assert issue.status == ListIssue.Status.SUBMITTED


def test_the_drafter_cannot_approve_and_a_supervisor_publishes_with_follow_ups_for_black(world, clients):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    rule = make_definition(world.township, by=staff, village=world.village_a, follow_up_days=10)
    issue = make_issue(rule, by=staff, status="submitted")
    drafter_supervisor = UserFactory(role="supervisor", township=world.township)
    issue.drafted_by = drafter_supervisor
    issue.save(update_fields=["drafted_by"])
    url = reverse("honours:issue-decide", args=[issue.pk])
    assert clients["staff"].post(url, {"decision": "approve"}).status_code == 403
    with pytest.raises(TransitionRefused):
        services.issue_approve(issue=issue, by=drafter_supervisor, today=TODAY)
    response = clients["supervisor"].post(url, {"decision": "approve"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.status, issue.approved_by, issue.published_from, issue.published_until) == (
        ListIssue.Status.PUBLISHED, supervisor, TODAY, TODAY + dt.timedelta(days=29))
    follow_up = FollowUp.objects.get()
    assert follow_up.entry.board == Entry.Board.BLACK and follow_up.deadline == TODAY + dt.timedelta(days=10)


def test_sending_back_needs_a_reason_and_returns_the_draft(world, clients):
    issue = make_issue(make_definition(world.township, by=world.users["staff"]), by=world.users["staff"],
                       status="submitted")
    url = reverse("honours:issue-decide", args=[issue.pk])
    clients["supervisor"].post(url, {"decision": "return", "note": ""})
    issue.refresh_from_db()
    assert issue.status == ListIssue.Status.SUBMITTED
    clients["supervisor"].post(url, {"decision": "return", "note": "理由过于笼统"})
    issue.refresh_from_db()
    assert (issue.status, issue.returned_note) == (ListIssue.Status.DRAFT, "理由过于笼统")


def test_the_black_entrys_owner_records_the_rectification(world, clients):
    issue = make_issue(make_definition(world.township, by=world.users["staff"]), by=world.users["staff"],
                       status="published")
    follow_up = FollowUp.objects.get(entry__issue=issue)
    url = reverse("honours:follow-up-close", args=[follow_up.pk])
    assert clients["village_cadre"].post(url, {"note": "已补访"}).status_code == 403
    assert clients["staff"].post(url, {"note": "已补访到户"}).status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.done_on, follow_up.note) == (TODAY, "已补访到户")


def _card(client):
    return client.get(reverse("dashboards:home")).content.decode()


def test_the_dashboard_shows_no_ranking_until_a_list_is_published_then_the_published_list(world, clients):
    staff = world.users["staff"]
    assert 'data-testid="no-published-list"' in _card(clients["staff"])
    issue = make_issue(make_definition(world.township, by=staff, name="网格走访覆盖红黑榜"), by=staff,
                       status="submitted")
    assert 'data-testid="unpublished-lists"' in _card(clients["supervisor"])  # drafts: supervisors only
    for who in ("staff", "village_cadre", "household_head"):
        body = _card(clients[who])
        assert 'data-testid="no-published-list"' in body and "网格走访覆盖红黑榜" not in body, who
    services.issue_approve(issue=issue, by=world.users["supervisor"], today=TODAY)
    for who in ("staff", "supervisor", "village_cadre", "household_head"):
        body = _card(clients[who])
        assert 'data-testid="published-list"' in body and "第二网格" in body, who
    assert "第二网格" not in _card(clients["outsider"])


def test_a_list_expires_after_its_publication_window(world):
    from honours.board import dashboard_lists

    staff = world.users["staff"]
    issue = make_issue(make_definition(world.township, by=staff, publish_days=5), by=staff, status="published")
    assert issue.published_until == dt.date(2026, 11, 24)
    assert dashboard_lists(staff, today=dt.date(2026, 11, 24))["published"] == [issue]
    assert dashboard_lists(staff, today=dt.date(2026, 11, 25))["published"] == []


def test_a_village_list_is_read_only_in_its_village(world, clients):
    staff = world.users["staff"]
    issue = make_issue(make_definition(world.township, by=staff, village=world.village_a), by=staff,
                       status="published")
    assert clients["village_cadre"].get(issue.get_absolute_url()).status_code == 200
    assert clients["village_cadre_b"].get(issue.get_absolute_url()).status_code == 404
    assert clients["outsider"].get(issue.get_absolute_url()).status_code == 404


def test_the_household_hygiene_list_is_village_level_and_names_no_one(world, clients):
    staff = world.users["staff"]
    with pytest.raises(Exception):  # noqa: B017 - the model's clean: a household list needs its village
        ListDefinition(township=world.township, name="卫生", subject="household", metric="hygiene",
                       created_by=staff).full_clean()
    rule = make_definition(world.township, by=staff, village=world.village_a, subject="household",
                           metric="hygiene", red_count=1, black_count=1)
    clean = HouseholdFactory(grid=world.grid_a1, head_name="张三丰", house_number="8号")
    messy = HouseholdFactory(grid=world.grid_a2, head_name="李四光", house_number="")
    elsewhere = HouseholdFactory(grid=world.grid_b1, head_name="王五", house_number="1号")
    for household, score in ((clean, 20), (messy, 5), (elsewhere, 1)):
        HygieneInspection.objects.create(household=household, inspected_on=dt.date(2026, 10, 12), inspector=staff,
                                         **{name: score for name, _label in HygieneInspection.ITEMS})
    issue = _draft(rule, staff)
    labels = {e.board: (e.label, e.display) for e in issue.entries.all()}
    assert labels == {"red": ("第一网格 8号", "100.0分（1次检查）"), "black": ("第二网格 李某户", "25.0分（1次检查）")}
    services.entries_reasons_set(issue=issue, reasons={e.pk: "检查评分" for e in issue.ranked()})
    issue.submit(by=staff)
    services.issue_approve(issue=issue, by=world.users["supervisor"], today=TODAY)
    poster = clients["village_cadre"].get(reverse("honours:issue-poster", args=[issue.pk])).content.decode()
    assert "红　榜" in poster and "第一网格 8号" in poster and "李某户" in poster
    assert "张三丰" not in poster and "李四光" not in poster and "王五" not in poster


def test_a_later_module_adds_a_metric_and_a_list_ranks_by_it(world):
    def scores(definition, *, user, start, end, today):
        return [Value(world.head_a1.pk, "马林", 88, 100, Decimal("88"), "88分"),
                Value(world.head_a1_2.pk, "牛犇", 60, 100, Decimal("60"), "60分")]

    register_metric(Metric("test_scheme", "考核得分", ("head",), True, scores, unit="分"))
    rule = make_definition(world.township, by=world.users["staff"], subject="head", metric="test_scheme")
    issue = _draft(rule, world.users["staff"])
    assert {(e.board, e.label) for e in issue.entries.all()} == {("red", "马林"), ("black", "牛犇")}


def test_the_staff_drafts_a_list_through_the_pages(world, clients, villages_rule):
    client = clients["staff"]
    response = client.post(reverse("honours:definition-draft", args=[villages_rule.pk]),
                           {"start": "2026-10-01", "end": "2026-10-31"})
    issue = ListIssue.objects.get()
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    entry = issue.entries.get(board="red")
    response = client.post(reverse("honours:issue-reasons", args=[issue.pk]),
                           {f"reason_{entry.pk}": "走访覆盖率全镇第一", "submit": "1"})
    issue.refresh_from_db()
    entry.refresh_from_db()
    assert (issue.status, entry.reason) == (ListIssue.Status.SUBMITTED, "走访覆盖率全镇第一")


def test_drafting_refuses_a_period_that_has_not_ended(world, clients, villages_rule):
    response = clients["staff"].post(reverse("honours:definition-draft", args=[villages_rule.pk]),
                                     {"start": "2026-11-01", "end": "2026-11-30"})
    assert response.status_code == 400 and not ListIssue.objects.exists()


def test_a_supervisor_sees_the_list_waiting_in_their_approvals(world):
    from casework.notices import approvals_for

    issue = make_issue(make_definition(world.township, by=world.users["staff"]), by=world.users["staff"],
                       status="submitted")
    assert [a.url for a in approvals_for(world.users["supervisor"])] == [issue.get_absolute_url()]
    assert approvals_for(world.users["staff"]) == []


def test_the_list_pages_take_a_bounded_number_of_queries(world, clients, django_assert_max_num_queries):
    staff = world.users["staff"]
    issue = make_issue(make_definition(world.township, by=staff), by=staff, status="published")
    for url in (reverse("honours:list"), issue.get_absolute_url(), reverse("honours:issue-poster", args=[issue.pk]),
                reverse("honours:inspection-list")):
        with django_assert_max_num_queries(15):
            assert clients["staff"].get(url).status_code == 200, url
