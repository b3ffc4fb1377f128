"""Levels (小事不出村、大事不出乡、难事不出县): escalation and hand-down history, who sees and who acts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.cases import TransitionError
from disputes.models import Dispute
from disputes.services import dispute_assign
from tests.disputes.factories import DisputeFactory, PartyFactory, ResidentFactory, advance
from tests.factories import HouseholdFactory, UserFactory

L = Dispute.Level


def test_escalation_records_who_when_why_and_the_new_handler(world, dispute_a):
    cadre, staff = world.users["village_cadre"], world.users["staff"]
    before = dispute_a.history.count()
    change = dispute_a.change_level(by=cadre, to_level=L.TOWNSHIP, reason="涉及多户，村级难以化解", handler=staff)
    dispute_a.refresh_from_db()
    assert dispute_a.level == L.TOWNSHIP
    assert dispute_a.handler == staff
    assert change.is_escalation
    assert (change.changed_by, change.from_level, change.to_level) == (cadre, L.VILLAGE, L.TOWNSHIP)
    assert change.reason == "涉及多户，村级难以化解"
    assert change.changed_at is not None
    assert dispute_a.history.count() == before + 1
    assert dispute_a.history.first().history_change_reason == "escalate"


def test_handing_down_is_recorded_too_and_the_case_shows_its_level_history(world, dispute_a, clients):
    staff = world.users["staff"]
    dispute_a.change_level(by=staff, to_level=L.COUNTY, reason="重大风险", handler_name="县矛盾纠纷调处中心")
    change = dispute_a.change_level(by=staff, to_level=L.VILLAGE, reason="县里交回村里调解",
                                    handler=world.users["village_cadre"])
    assert not change.is_escalation
    assert list(dispute_a.level_changes.values_list("to_level", flat=True)) == [L.COUNTY, L.VILLAGE]
    body = clients["staff"].get(reverse("disputes:detail", args=[dispute_a.pk])).content.decode()
    assert "县矛盾纠纷调处中心" in body
    assert "县里交回村里调解" in body


@pytest.mark.parametrize(("to_level", "reason"), [(L.VILLAGE, "同级"), ("province", "太高"), (L.TOWNSHIP, "  ")])
def test_a_level_change_needs_another_level_and_a_reason(world, dispute_a, to_level, reason):
    with pytest.raises(ValidationError):
        dispute_a.change_level(by=world.users["staff"], to_level=to_level, reason=reason)
    assert not dispute_a.level_changes.exists()


def test_a_closed_dispute_keeps_its_level(world, dispute_a):
    staff = world.users["staff"]
    advance(dispute_a, Dispute.Status.CLOSED, staff)
    with pytest.raises(TransitionError):
        dispute_a.change_level(by=staff, to_level=L.TOWNSHIP, reason="再议")


def test_village_cadre_keeps_seeing_an_escalated_dispute_read_only(world, dispute_a, clients):
    dispute_a.change_level(by=world.users["village_cadre"], to_level=L.TOWNSHIP, reason="上交",
                           handler=world.users["staff"])
    cadre = clients["village_cadre"]
    response = cadre.get(reverse("disputes:detail", args=[dispute_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="read-only"' in body
    assert 'data-testid="action-accept"' not in body
    assert cadre.post(reverse("disputes:accept", args=[dispute_a.pk])).status_code == 403
    assert cadre.get(reverse("disputes:escalate", args=[dispute_a.pk])).status_code == 403
    assert dispute_a.number in cadre.get(reverse("disputes:list")).content.decode()
    # The township acts on it.
    assert clients["staff"].post(reverse("disputes:accept", args=[dispute_a.pk])).status_code == 302
    assert clients["township_cadre"].get(reverse("disputes:start-mediation", args=[dispute_a.pk])).status_code == 200


def test_village_cadre_acts_again_after_the_dispute_is_handed_down(world, dispute_a, clients):
    staff = world.users["staff"]
    dispute_a.change_level(by=staff, to_level=L.TOWNSHIP, reason="上交", handler=staff)
    dispute_a.change_level(by=staff, to_level=L.VILLAGE, reason="交回", handler=world.users["village_cadre"])
    assert clients["village_cadre"].post(reverse("disputes:accept", args=[dispute_a.pk])).status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.status == Dispute.Status.ACCEPTED


def test_at_county_level_only_township_staff_and_the_assigned_act(world, dispute_a):
    staff = world.users["staff"]
    dispute_a.change_level(by=staff, to_level=L.COUNTY, reason="难事不出县", handler_name="县信访局")
    assert dispute_a.can_act(staff)
    assert not dispute_a.can_act(world.users["township_cadre"])
    assert not dispute_a.can_act(world.users["village_cadre"])
    assert not dispute_a.can_act(world.users["supervisor"])
    dispute_assign(dispute=dispute_a, by=staff, lead=world.users["supervisor"], responsible_unit="镇综治中心",
                   deadline=dispute_a.registered_on, team=[world.users["township_cadre"]])
    dispute_a = Dispute.objects.get(pk=dispute_a.pk)
    assert dispute_a.can_act(world.users["supervisor"])
    assert dispute_a.can_act(world.users["township_cadre"])


def test_a_team_member_from_another_village_reaches_the_dispute_assigned_to_them(world, dispute_a, clients):
    cadre_b = world.users["village_cadre_b"]
    url = reverse("disputes:detail", args=[dispute_a.pk])
    assert clients["village_cadre_b"].get(url).status_code == 404
    dispute_assign(dispute=dispute_a, by=world.users["staff"], lead=world.users["supervisor"],
                   responsible_unit="镇司法所", deadline=dispute_a.registered_on, team=[cadre_b])
    assert clients["village_cadre_b"].get(url).status_code == 200
    assert Dispute.objects.visible_to(cadre_b).filter(pk=dispute_a.pk).exists()
    assert clients["village_cadre_b"].post(reverse("disputes:accept", args=[dispute_a.pk])).status_code == 302


def test_grid_worker_sees_the_disputes_of_their_grid_only(world, dispute_a):
    other_grid = DisputeFactory(grid=world.grid_a2)
    visible = set(Dispute.objects.visible_to(world.users["grid_worker"]))
    assert visible == {dispute_a}
    assert other_grid not in visible


def test_household_head_sees_what_they_reported_and_disputes_of_their_households(world, dispute_a):
    head_user = world.users["household_head"]
    assert not Dispute.objects.visible_to(head_user).exists()  # same grid, but not theirs
    reported = DisputeFactory(grid=world.grid_a1, reporting_head=world.head_a1)
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    about_theirs = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=about_theirs, resident=ResidentFactory(household=household))
    assert set(Dispute.objects.visible_to(head_user)) == {reported, about_theirs}
    assert not reported.can_act(head_user)


def test_nobody_without_a_scope_sees_a_dispute(world, dispute_a):
    lost = UserFactory(role="village_cadre", township=world.township)
    assert not Dispute.objects.visible_to(lost).exists()
