"""排查 rounds: one return per village or grid, 零报告 or findings, the late flag, corrections with history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casework import rounds
from casework.models import Campaign, ResponsibilityAssignment, Return
from governance.models import User
from tests.disputes.factories import DisputeFactory
from tests.factories import UserFactory
from tests.rounds.factories import make_round


def test_a_round_owes_one_return_per_village(world):
    campaign = make_round(world)
    assert sorted(r.place for r in campaign.returns.all()) == ["柳湾村", "桃源村"]
    assert all(not r.is_submitted for r in campaign.returns.all())


def test_a_round_by_grid_owes_one_return_per_grid(world):
    campaign = make_round(world, by_grid=True, kind=Campaign.Kind.HAZARDS)
    assert sorted(r.place for r in campaign.returns.all()) == ["柳湾村 第一网格", "桃源村 第一网格", "桃源村 第二网格"]


def test_each_return_date_is_a_deadline_with_the_village_team(world):
    campaign = make_round(world, villages=[world.village_a])
    ret = campaign.returns.get()
    assignment = ResponsibilityAssignment.objects.get(village=world.village_a, deadline=campaign.returns_due)
    assert assignment.case == ret and assignment.is_open
    assert assignment.lead == world.users["staff"]
    assert set(assignment.team.all()) == {world.users["village_cadre"]}


def test_a_grid_return_is_the_grid_workers_to_fill(world):
    campaign = make_round(world, villages=[world.village_a], by_grid=True)
    ret = campaign.returns.get(grid=world.grid_a2)
    assignment = ResponsibilityAssignment.objects.get(case_id=ret.pk, grid=world.grid_a2)
    assert set(assignment.team.all()) == {world.users["grid_worker_a2"]}


def test_a_round_needs_a_village_and_dates_in_order(world):
    with pytest.raises(ValidationError):
        make_round(world, villages=[])
    with pytest.raises(ValidationError):
        make_round(world, starts_on=dt.date(2026, 12, 1), returns_due=dt.date(2026, 11, 25))


def test_a_nil_return_is_submitted_and_stops_the_reminders(world, today):
    ret = make_round(world).returns.get(village=world.village_a)
    rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46, zero_report=True)
    ret.refresh_from_db()
    assert ret.zero_report and ret.submitted_by == world.users["village_cadre"] and not ret.is_late
    assert ret.state(today) == Return.State.ON_TIME
    assert not ResponsibilityAssignment.objects.get(case_id=ret.pk, village=world.village_a).is_open


def test_a_nil_return_cannot_list_findings(world):
    ret = make_round(world).returns.get(village=world.village_a)
    dispute = DisputeFactory(grid=world.grid_a1)
    with pytest.raises(ValidationError, match="零报告"):
        rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46, zero_report=True,
                             found={"disputes-dispute": [dispute.pk]})
    with pytest.raises(ValidationError, match="零报告"):
        rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46, zero_report=True,
                             found_note="一处电线老化")
    dispute.refresh_from_db()
    assert dispute.found_in_return is None  # the refused return linked nothing
    assert not Return.objects.get(pk=ret.pk).is_submitted


def test_a_return_with_nothing_found_must_be_an_explicit_nil_return(world):
    ret = make_round(world).returns.get(village=world.village_a)
    with pytest.raises(ValidationError, match="零报告"):
        rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46)


def test_a_return_links_the_disputes_found_and_counts_them(world):
    campaign = make_round(world)
    ret = campaign.returns.get(village=world.village_a)
    found = DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 10))
    DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 10, 10))  # before the round: not offered
    offered = list(rounds.candidates(ret, world.users["village_cadre"], rounds.links_for(campaign)[0]))
    assert offered == [found]
    rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=46,
                         found={"disputes-dispute": [found.pk]})
    found.refresh_from_db()
    assert found.found_in_return == ret
    assert rounds.found_counts(list(campaign.returns.all())) == {ret.pk: 1}


def test_the_registry_lists_each_case_type_for_its_kind_of_round_only(world):
    assert [(link.model._meta.label, link.kind) for link in rounds.finding_links()] == [
        ("disputes.Dispute", "disputes"), ("hazards.Hazard", "hazards"), ("monitoring.MonitoringCase", "poverty")]
    assert [link.key for link in rounds.links_for(make_round(world, kind=Campaign.Kind.HAZARDS))] == ["hazards-hazard"]
    assert [link.model._meta.label for link in rounds.links_for(make_round(world))] == ["disputes.Dispute"]
    assert [link.model._meta.label for link in rounds.links_for(make_round(world, kind=Campaign.Kind.POVERTY))] == [
        "monitoring.MonitoringCase"]


def test_a_return_after_its_date_is_late_and_before_it_silent(world, today):
    ret = make_round(world, returns_due=today - dt.timedelta(days=2)).returns.get(village=world.village_a)
    assert ret.state(today) == Return.State.SILENT
    rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=12, zero_report=True)
    ret.refresh_from_db()
    assert ret.is_late and ret.state(today) == Return.State.LATE


def test_a_return_on_its_date_is_on_time(world):
    ret = make_round(world, returns_due=dt.date(2026, 11, 25)).returns.get(village=world.village_a)
    rounds.return_submit(ret=ret, by=world.users["village_cadre"], checked_count=12, zero_report=True,
                         now=dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC))  # 23:00 in Beijing, still the 25th
    ret.refresh_from_db()
    assert not ret.is_late


def test_a_correction_keeps_the_first_submission_and_writes_history(world):
    ret = make_round(world).returns.get(village=world.village_a)
    cadre = world.users["village_cadre"]
    worker = UserFactory(username="vcadre_a2", role=User.Role.VILLAGE_CADRE, township=world.township,
                         villages=[world.village_a])
    rounds.return_submit(ret=ret, by=cadre, checked_count=46, zero_report=True)
    first = Return.objects.get(pk=ret.pk).submitted_at
    ret = Return.objects.get(pk=ret.pk)
    rounds.return_submit(ret=ret, by=worker, checked_count=48, found_note="一户院坝边界争执，已调解")
    ret.refresh_from_db()
    assert (ret.submitted_by, ret.submitted_at, ret.corrected_by) == (cadre, first, worker)
    assert not ret.zero_report and ret.checked_count == 48
    reasons = list(ret.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == [None, "submit", "correct"]
