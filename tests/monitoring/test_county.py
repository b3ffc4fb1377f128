"""The county records its own decisions (县审定, 县审核批准); a township whose county has no users records them on the
county's behalf, naming the county's document."""

from django.urls import reverse

from monitoring.models import MonitoringCase
from tests.factories import UserFactory
from tests.monitoring.factories import advance, open_case

S = MonitoringCase.Status


def _awaiting_county(world):
    return advance(open_case(world.users["staff"], grid=world.grid_a1), S.COUNTY_REVIEW, world.users["staff"])


def test_county_staff_record_the_countys_approval_and_the_household_is_monitored(world, county, clients, today):
    case = _awaiting_county(world)
    page = clients["county_staff"].get(case.get_absolute_url()).content.decode()
    assert 'data-testid="action-county-approve"' in page and 'data-testid="income"' not in page
    response = clients["county_staff"].post(reverse("monitoring:county-approve", args=[case.pk]), {"on": today})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.MONITORED and case.county_decision_note == ""
    assert case.history.first().history_user == world.users["county_staff"]
    assert case.household.tags.filter(code="watch-edge").exists()


def test_with_county_users_the_township_no_longer_records_the_countys_decision(world, county, clients, today):
    case = _awaiting_county(world)
    assert 'action-county-approve' not in clients["staff"].get(case.get_absolute_url()).content.decode()
    response = clients["staff"].post(reverse("monitoring:county-approve", args=[case.pk]),
                                     {"on": today, "note": "平乡振〔2026〕12号"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == S.COUNTY_REVIEW


def test_the_county_leader_approves_an_elimination_and_another_countys_staff_get_404(world, county, clients, today):
    staff = world.users["staff"]
    case = advance(open_case(staff, grid=world.grid_a1), S.MONITORED, world.users["county_staff"])
    case = advance(case, S.EXIT_COUNTY_REVIEW, staff)
    url = reverse("monitoring:approve-elimination", args=[case.pk])
    assert clients["county_outsider"].post(url, {"on": today}).status_code == 404
    assert clients["county_leader"].post(url, {"on": today}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.ELIMINATED


def test_without_county_users_township_staff_record_it_on_behalf_naming_the_document(world, clients, today):
    case = _awaiting_county(world)
    url = reverse("monitoring:county-approve", args=[case.pk])
    refused = clients["staff"].post(url, {"on": today})
    assert refused.status_code == 200 and "代县级录入审定结果时，请填写县级文件" in refused.content.decode()
    assert clients["staff"].post(url, {"on": today, "note": "平乡振〔2026〕12号"}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.MONITORED and case.county_decision_note == "平乡振〔2026〕12号"
    assert case.history.first().history_change_reason == "county_approve (on behalf)"
    assert "平乡振〔2026〕12号" in clients["staff"].get(case.get_absolute_url()).content.decode()


def test_an_inactive_county_user_does_not_count_as_the_county_having_users(world, county, clients, today):
    from governance.models import User

    User.objects.filter(county=county).update(is_active=False)
    case = _awaiting_county(world)
    assert case.can_record_county(world.users["staff"])
    UserFactory(username="cstaff2", role=User.Role.COUNTY_STAFF, county=county, township=None)
    assert not case.can_record_county(world.users["staff"])
