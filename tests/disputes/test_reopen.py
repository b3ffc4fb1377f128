"""A closed dispute can be taken up again, with a reason: mediation resumes, the 包案 is chased again, the history
says who reopened it and why."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.cases import TransitionError
from casework.services import assignment_for
from disputes.models import Dispute
from disputes.services import dispute_assign
from tests.disputes.factories import advance

S = Dispute.Status


def test_a_closed_dispute_is_reopened_with_a_reason(world, clients, dispute_a):
    staff = world.users["staff"]
    dispute_assign(dispute=dispute_a, by=staff, lead=world.users["supervisor"], responsible_unit="镇司法所",
                   deadline=dt.date(2026, 12, 1))
    advance(dispute_a, S.CLOSED, staff)
    page = reverse("disputes:detail", args=[dispute_a.pk])
    client = clients["staff"]
    assert 'data-testid="action-reopen"' in client.get(page).content.decode()

    response = client.post(reverse("disputes:reopen", args=[dispute_a.pk]), {"reason": "  "})
    assert response.status_code == 200  # the form again, with what is missing
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.CLOSED

    response = client.post(reverse("disputes:reopen", args=[dispute_a.pk]), {"reason": "协议未履行，双方再起争执"})
    assert response.status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.MEDIATING and dispute_a.closed_at is None
    assert dispute_a.reopen_reason == "协议未履行，双方再起争执"
    assert assignment_for(dispute_a).is_open
    last = dispute_a.history.first()
    assert last.history_user == staff and last.reopen_reason == "协议未履行，双方再起争执"
    body = client.get(page).content.decode()
    assert "协议未履行，双方再起争执" in body
    assert 'data-testid="action-reopen"' not in body


def test_only_a_closed_dispute_is_reopened_and_only_with_a_reason(world, dispute_a):
    staff = world.users["staff"]
    with pytest.raises(TransitionError):
        dispute_a.reopen(by=staff, reason="再起争执")
    advance(dispute_a, S.CLOSED, staff)
    with pytest.raises(ValidationError):
        dispute_a.reopen(by=staff, reason=" ")


def test_reopening_is_refused_to_those_who_do_not_act_on_the_dispute(world, clients, dispute_a, dispute_b):
    advance(dispute_a, S.CLOSED, world.users["staff"])
    url = reverse("disputes:reopen", args=[dispute_a.pk])
    assert clients["supervisor"].post(url, {"reason": "x"}).status_code == 403
    assert clients["village_cadre_b"].post(url, {"reason": "x"}).status_code == 404
    assert 'action-reopen' not in clients["supervisor"].get(reverse("disputes:detail", args=[dispute_a.pk])).content.decode()
