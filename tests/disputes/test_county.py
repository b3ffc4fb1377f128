"""Disputes at the county (难事不出县, issue 21): escalated to the county, the county's users handle it, its township and
village read it; handed down, the township acts again; a county leader leads (包案) and supervises township cases."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.models import ResponsibilityAssignment
from disputes.models import Dispute
from disputes.services import dispute_assign, dispute_supervise
from governance.models import Village
from tests.disputes.factories import DisputeFactory, advance

L, S = Dispute.Level, Dispute.Status


def _escalate_to_county(world, clients, dispute):
    response = clients["staff"].post(reverse("disputes:escalate", args=[dispute.pk]), {
        "to_level": L.COUNTY, "reason": "涉及两镇，镇里难以化解", "handler": world.users["county_staff"].pk,
    })
    assert response.status_code == 302, response.content.decode()
    dispute.refresh_from_db()
    assert (dispute.level, dispute.handler) == (L.COUNTY, world.users["county_staff"])


def test_a_dispute_escalated_to_the_county_is_handled_by_the_county_and_read_below(world, county, clients, dispute_a):
    _escalate_to_county(world, clients, dispute_a)
    detail = reverse("disputes:detail", args=[dispute_a.pk])
    accept = reverse("disputes:accept", args=[dispute_a.pk])
    for who in ("staff", "village_cadre", "township_cadre"):
        body = clients[who].get(detail).content.decode()
        assert 'data-testid="read-only"' in body, who
        assert clients[who].post(accept).status_code == 403, who
    county_page = clients["county_staff"].get(detail).content.decode()
    assert 'data-testid="action-accept"' in county_page
    assert clients["county_outsider"].get(detail).status_code == 404

    assert clients["county_staff"].post(accept).status_code == 302
    dispute_a.refresh_from_db()
    advance(dispute_a, S.FOLLOWED_UP, world.users["county_staff"])
    response = clients["county_staff"].post(reverse("disputes:close", args=[dispute_a.pk]), {"outcome": "resolved",
                                                                                         "note": "县级调处结案"})
    assert response.status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.CLOSED
    assert dispute_a.resolved_level == L.COUNTY


def test_the_county_hands_a_dispute_down_and_the_township_acts_again(world, county, clients, dispute_a):
    _escalate_to_county(world, clients, dispute_a)
    response = clients["county_staff"].post(reverse("disputes:hand-down", args=[dispute_a.pk]), {
        "to_level": L.TOWNSHIP, "reason": "县里交回镇里调解", "handler": world.users["staff"].pk,
    })
    assert response.status_code == 302, response.content.decode()
    dispute_a.refresh_from_db()
    assert dispute_a.level == L.TOWNSHIP
    assert not dispute_a.can_act(world.users["county_staff"])
    assert clients["staff"].post(reverse("disputes:accept", args=[dispute_a.pk])).status_code == 302


def test_county_users_read_village_and_township_level_disputes_of_every_township_of_their_county(world, county,
                                                                                                   clients):
    other_village = Village.objects.create(township=world.other_township, name="石坎村")
    theirs = DisputeFactory(grid__village=other_village, title="白马镇的水渠纠纷")
    mine = DisputeFactory(grid=world.grid_a1, title="青石镇的宅基地纠纷")
    page = clients["county_staff"].get(reverse("disputes:list")).content.decode()
    assert theirs.title in page and mine.title in page
    assert theirs.title not in clients["staff"].get(reverse("disputes:list")).content.decode()
    assert clients["county_staff"].post(reverse("disputes:accept", args=[theirs.pk])).status_code == 403


def test_a_county_leader_leads_a_township_case_and_puts_it_under_supervision(world, county, clients, dispute_a):
    leader = world.users["county_leader"]
    dispute_assign(dispute=dispute_a, by=world.users["staff"], lead=leader, responsible_unit="县综治中心",
                   deadline=dispute_a.registered_on)
    dispute_a = Dispute.objects.get(pk=dispute_a.pk)
    assert dispute_a.can_act(leader)  # the lead official works the case wherever it is
    assert clients["county_leader"].get(reverse("disputes:supervise", args=[dispute_a.pk])).status_code == 200
    assert clients["county_staff"].get(reverse("disputes:supervise", args=[dispute_a.pk])).status_code == 403
    dispute_supervise(dispute=dispute_a, by=leader, level=ResponsibilityAssignment.SupervisionLevel.RED,
                      comment="县挂牌督办：月底前化解")
    assignment = ResponsibilityAssignment.objects.get(case_id=dispute_a.pk)
    assert (assignment.supervised_by, assignment.supervision_level) == (leader, "red")
    with pytest.raises(ValidationError):
        dispute_supervise(dispute=dispute_a, by=world.users["county_staff"], level="yellow", comment="x")


def test_a_county_user_of_another_county_cannot_take_the_case(world, county, dispute_a):
    assert not dispute_a.can_assign(world.users["county_outsider"])
    assert dispute_a.can_assign(world.users["county_staff"])
