"""Two clicks on the same transition apply it once. Each test lets two threads (each with its own database
connection) read the record, then hold them at the row lock until both wait there: without the lock both would
apply the transition from what they read."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import ResponsibilityAssignment
from casework.services import assignment_for, assignment_supervise
from disputes.models import Dispute, LevelChange, TransitionError
from households.models import Demand
from petitions import services as petition_services
from petitions.models import CloseOut, Petition
from tests.disputes.factories import DisputeFactory, PartyFactory, advance
from tests.households.factories import DemandFactory
from tests.petitions.factories import advance as advance_petition
from tests.petitions.factories import assign, register
from tests.safety.helpers import race

pytestmark = pytest.mark.django_db(transaction=True)


def _dispute(world) -> Dispute:
    dispute = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=dispute, name="张三")
    return dispute


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_two_clicks_on_accept_accept_the_dispute_once(world):
    dispute = _dispute(world)
    url = reverse("disputes:accept", args=[dispute.pk])
    cadre, staff = _client(world.users["village_cadre"]), _client(world.users["staff"])

    first, second = race(dispute, lambda: cadre.post(url), lambda: staff.post(url))

    assert first.status_code == second.status_code == 302
    said = _messages(first) + _messages(second)
    assert sum("已完成" in m for m in said) == 1, said
    assert sum("只有已登记的纠纷才能受理" in m for m in said) == 1, said
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.ACCEPTED
    assert dispute.history.filter(history_change_reason="accept").count() == 1
    assert dispute.version == 2


def test_two_escalations_at_once_move_the_dispute_up_one_level(world):
    dispute = _dispute(world)
    staff = world.users["staff"]
    copies = [Dispute.objects.get(pk=dispute.pk) for _ in range(2)]

    results = race(dispute, *[
        (lambda d=d: d.change_level(by=staff, to_level=Dispute.Level.TOWNSHIP, reason="涉及两个网格", handler=staff))
        for d in copies
    ])

    assert sum(isinstance(r, LevelChange) for r in results) == 1, results
    refused = [r for r in results if not isinstance(r, LevelChange)]
    assert len(refused) == 1 and "请选择与当前不同的化解层级" in " ".join(refused[0].messages)
    assert LevelChange.objects.filter(dispute=dispute).count() == 1
    assert Dispute.objects.get(pk=dispute.pk).level == Dispute.Level.TOWNSHIP


def test_closing_a_dispute_twice_at_once_closes_it_once(world):
    from disputes.services import dispute_close

    staff = world.users["staff"]
    dispute = advance(_dispute(world), Dispute.Status.FOLLOWED_UP, staff)
    copies = [Dispute.objects.get(pk=dispute.pk) for _ in range(2)]

    results = race(dispute, *[(lambda d=d: dispute_close(dispute=d, by=staff, outcome="resolved", note="结案")) for d in copies])

    assert sum(r is None for r in results) == 1
    assert sum(isinstance(r, TransitionError) for r in results) == 1
    assert dispute.history.filter(history_change_reason="close").count() == 1


def test_two_approvals_of_a_close_out_at_once_close_the_petition_once(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    petition = register(by=staff, village=world.village_a)
    assign(petition, by=staff, lead=world.users["township_cadre"])
    advance_petition(petition, Petition.Status.CLOSE_REQUESTED, staff=staff, supervisor=supervisor)
    url = reverse("petitions:closeout-decide", args=[petition.pk])
    clients = [_client(supervisor), _client(supervisor)]
    data = {"decision": "approved", "decision-comment": ""}

    responses = race(petition, *[(lambda c=c: c.post(url, data)) for c in clients])

    assert sorted(r.status_code for r in responses) == [302, 400]
    refused = next(r for r in responses if r.status_code == 400)
    assert "没有待审批的销号申请。" in refused.context["decision_form"].non_field_errors()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLOSED
    assert CloseOut.objects.filter(petition=petition, decision=CloseOut.Decision.APPROVED).count() == 1
    assignment = assignment_for(petition)
    assert assignment.is_open is False
    assert assignment.history.filter(is_open=False).count() == 1


def test_two_accepts_of_a_petition_at_once_start_one_clock(world):
    staff = world.users["staff"]
    petition = register(by=staff, village=world.village_a)
    copies = [Petition.objects.get(pk=petition.pk) for _ in range(2)]
    today = timezone.localdate()

    results = race(petition, *[
        (lambda p=p: petition_services.petition_accept(petition=p, by=staff, on=today)) for p in copies
    ])

    assert sum(r is None for r in results) == 1
    assert petition.history.filter(status=Petition.Status.HANDLING).count() == 1


def test_two_identical_supervisions_at_once_are_recorded_once(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    petition = register(by=staff, village=world.village_a)
    assignment = assign(petition, by=staff, lead=world.users["township_cadre"])
    copies = [ResponsibilityAssignment.objects.get(pk=assignment.pk) for _ in range(2)]

    results = race(assignment, *[
        (lambda a=a: assignment_supervise(assignment=a, by=supervisor, level="red", comment="三日内化解")) for a in copies
    ])

    assert results[0].pk == results[1].pk == assignment.pk
    assert assignment.history.filter(supervision_level="red").count() == 1
    assert ResponsibilityAssignment.objects.get(pk=assignment.pk).version == assignment.version + 1


def test_two_closings_of_a_demand_at_once_close_it_once(world):
    demand = DemandFactory(visit__grid=world.grid_a1)
    copies = [Demand.objects.get(pk=demand.pk) for _ in range(2)]

    staff = world.users["staff"]
    results = race(demand, *[(lambda d=d: d.settle(by=staff, outcome=Demand.Outcome.RESOLVED, note="已修好便道"))
                             for d in copies])

    assert sum(r is None for r in results) == 1
    assert demand.history.filter(status=Demand.Status.CLOSED).count() == 1


def test_a_transition_on_a_copy_read_before_another_transition_is_refused(world):
    """No threads needed to see the guard run on the row as it is now, not as it was read."""
    dispute = _dispute(world)
    stale = Dispute.objects.get(pk=dispute.pk)
    dispute.accept(by=world.users["staff"])
    with pytest.raises(TransitionError):
        stale.accept(by=world.users["village_cadre"])
    assert stale.status == Dispute.Status.ACCEPTED  # the copy now shows what the row holds
    assert Dispute.objects.get(pk=dispute.pk).handler == world.users["staff"]


def test_a_deadline_set_twice_at_once_is_one_version_each(world):
    staff = world.users["staff"]
    petition = register(by=staff, village=world.village_a)
    due = petition.due_on
    copies = [Petition.objects.get(pk=petition.pk) for _ in range(2)]
    race(petition, *[(lambda p=p, n=n: p.set_deadline(by=staff, deadline=due - dt.timedelta(days=n)))
                     for n, p in enumerate(copies, start=1)])
    petition.refresh_from_db()
    versions = list(petition.history.order_by("history_id").values_list("version", flat=True))
    assert versions == sorted(set(versions)) and petition.version == versions[-1] == 3
