"""Factories of disputes, and ``advance`` to walk a dispute through its real lifecycle methods."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from disputes.models import Dispute, Party
from disputes.services import dispute_close, dispute_decide_closeout
from governance.models import User
from households.idnumbers import make_id_number
from tests.factories import GridFactory
from tests.factories import ResidentFactory as BaseResidentFactory

S = Dispute.Status


class DisputeFactory(DjangoModelFactory):
    class Meta:
        model = Dispute

    grid = factory.SubFactory(GridFactory)
    village = factory.LazyAttribute(lambda o: o.grid.village)
    township = factory.LazyAttribute(lambda o: o.village.township)
    number = factory.Sequence(lambda n: f"JF-2026-{n + 5000:04d}")
    title = factory.Sequence(lambda n: f"宅基地界址纠纷{n}")
    kind = Dispute.Kind.NEIGHBOUR
    description = "两户因宅基地界址发生争执。"
    registered_on = dt.date(2026, 11, 2)


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    dispute = factory.SubFactory(DisputeFactory)
    name = factory.Faker("name", locale="zh_CN")


# The order of the lifecycle, and how to take one step with the real methods.
PATH = [S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.SUCCEEDED, S.FOLLOWED_UP, S.CLOSED]
FAILURE_PATH = [S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.FAILED, S.REFERRED, S.FOLLOWED_UP, S.CLOSED]
DAY = dt.date(2026, 11, 3)


def approver_for(dispute: Dispute, requester) -> User:
    """A supervisor of the dispute's township other than the requester (one is made when the test has none)."""
    approver = (User.objects.filter(township=dispute.township_id, role=User.Role.SUPERVISOR)
                .exclude(pk=requester.pk).first())
    return approver or User.objects.create_user(username=f"approver{dispute.pk}", role=User.Role.SUPERVISOR,
                                                township_id=dispute.township_id)


def step(dispute: Dispute, to: str, by) -> None:
    if to == S.ACCEPTED:
        dispute.accept(by=by)
    elif to == S.MEDIATING:
        dispute.start_mediation(by=by, method=Dispute.Method.PEOPLE, on=DAY, mediator_names=["李调解"])
    elif to == S.SUCCEEDED:
        dispute.record_success(by=by, on=DAY, agreement_form=Dispute.AgreementForm.WRITTEN,
                               terms="双方以原界桩为准。", fulfilment=Dispute.Fulfilment.FULFILLED)
    elif to == S.FAILED:
        dispute.record_failure(by=by, on=DAY, reason="双方分歧过大。")
    elif to == S.REFERRED:
        dispute.refer(by=by, route=Dispute.Route.LITIGATION, to="县人民法院")
    elif to == S.FOLLOWED_UP:
        dispute.follow_up(by=by, on=DAY, notes="双方关系缓和。")
    elif to == S.CLOSED:
        dispute_close(dispute=dispute, by=by, outcome=Dispute.ClosingOutcome.RESOLVED)
        if dispute.status == S.CLOSE_REQUESTED:  # 较大/重大: someone else approves
            dispute_decide_closeout(dispute=dispute, by=approver_for(dispute, by), approve=True)
    else:  # pragma: no cover
        raise AssertionError(to)


def advance(dispute: Dispute, to: str, by, *, failure: bool = False) -> Dispute:
    """Move ``dispute`` from where it is to ``to`` through every state in between. 待审批销号 is reached by a
    较大 dispute asking for close-out."""
    if to == S.CLOSE_REQUESTED:
        advance(dispute, S.FOLLOWED_UP, by, failure=failure)
        dispute.risk = Dispute.Risk.SIGNIFICANT
        dispute.save(update_fields=["risk"])
        dispute_close(dispute=dispute, by=by, outcome=Dispute.ClosingOutcome.RESOLVED)
        return dispute
    path = FAILURE_PATH if failure or to in (S.FAILED, S.REFERRED) else PATH
    start = path.index(dispute.status)
    for state in path[start + 1 : path.index(to) + 1]:
        step(dispute, state, by)
    return dispute


class ResidentFactory(BaseResidentFactory):
    """tests.factories.ResidentFactory gives two consecutive men the same ID number (the sequence is made odd);
    this one numbers births a day apart instead."""

    birth_date = factory.Sequence(lambda n: dt.date(1960, 1, 1) + dt.timedelta(days=n))
    id_number = factory.LazyAttribute(lambda o: make_id_number("510723", o.birth_date, 11, o.gender == "male"))
