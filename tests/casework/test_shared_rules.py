"""What every case type shares is one rule, not one per case type: the number, who reaches a case they answer for
(包案), and what a supervision (挂牌督办) must say."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from casework.services import assignment_for
from disputes.services import dispute_assign
from governance.models import User
from petitions.services import petition_assign
from tests.disputes.factories import DisputeFactory
from tests.factories import UserFactory
from tests.petitions.factories import register


@override_settings(CASE_NUMBER_PREFIXES={"disputes": "MD", "petitions": "XFJ"})
def test_every_case_type_takes_its_number_prefix_from_the_one_setting(world, clients):
    from disputes.models import Dispute
    from disputes.services import dispute_register

    dispute = dispute_register(by=world.users["staff"], data={
        "title": "土地纠纷", "kind": Dispute.Kind.LAND, "village": world.village_a, "grid": world.grid_a1,
        "description": "承包地边界争议", "registered_on": timezone.localdate(),
    }, parties=[{"name": "张三"}])
    petition = register(by=world.users["staff"], village=world.village_a)
    year = timezone.localdate().year
    assert dispute.number == f"MD-{year}-0001"
    assert petition.number == f"XFJ-{year}-0001"


@pytest.fixture
def lead_without_scope(world):
    """A township cadre with no village yet: no scope of their own, but they lead a dispute and a petition."""
    return UserFactory(username="nobody", role=User.Role.TOWNSHIP_CADRE, township=world.township)


def test_a_lead_without_a_scope_reaches_the_dispute_and_the_petition_they_lead(world, lead_without_scope,
                                                                                login_client):
    dispute = DisputeFactory(grid=world.grid_a1)
    petition = register(by=world.users["staff"], village=world.village_a)
    due = timezone.localdate() + dt.timedelta(days=20)
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=lead_without_scope, responsible_unit="镇司法所",
                   deadline=due)
    petition_assign(petition=petition, by=world.users["staff"], lead=lead_without_scope,
                    responsible_unit="镇信访办", deadline=min(due, petition.due_on))
    client = login_client(lead_without_scope)
    assert client.get(dispute.get_absolute_url()).status_code == 200
    assert client.get(petition.get_absolute_url()).status_code == 200
    other = DisputeFactory(grid=world.grid_a1)
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("case_type", ["disputes", "petitions"])
def test_a_supervision_card_without_a_comment_is_refused_the_same_for_every_case_type(world, clients, case_type):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    if case_type == "disputes":
        case = DisputeFactory(grid=world.grid_a1)
        dispute_assign(dispute=case, by=staff, lead=supervisor, responsible_unit="镇司法所",
                       deadline=timezone.localdate() + dt.timedelta(days=10))
        data = {"level": "red", "comment": "  "}
    else:
        case = register(by=staff, village=world.village_a)
        petition_assign(petition=case, by=staff, lead=supervisor, responsible_unit="镇信访办",
                        deadline=case.due_on)
        data = {"supervise-level": "red", "supervise-comment": "  "}
    response = clients["supervisor"].post(reverse(f"{case_type}:supervise", args=[case.pk]), data, follow=True)
    assert "请填写督办要求" in response.content.decode()
    assert assignment_for(case).supervision_level == ""
