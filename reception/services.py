"""The register of walk-ins: record one, then end it in one outcome through the case types' own services."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases import TransitionError
from casework.services import assignment_create
from disputes.models import Dispute
from disputes.services import dispute_register
from households.models import Demand
from households.services import demand_log
from petitions.models import REPEAT_WINDOW_DAYS, Petition
from petitions.services import PetitionerData, petition_register

from .models import Reception, Session


def repeat_of(*, township, id_number: str, household, before: dt.datetime, exclude_pk=None) -> Reception | None:
    """The latest earlier walk-in of the same person (ID number) or household within the petitions' repeat
    window (365 days), whatever the subject."""
    who = Q()
    if id_number:
        who |= Q(visitor_id_number=id_number)
    if household is not None:
        who |= Q(household=household)
    if not who:
        return None
    since = before - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    qs = Reception.objects.filter(who, township=township, received_at__gte=since, received_at__lte=before)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("-received_at").first()


@transaction.atomic
def reception_record(*, session: Session, by, visitor_name: str, request: str, resident=None, village=None,
                     id_number: str = "", phone: str = "", head_count: int = 1, category: str = "",
                     instruction: str = "", received_at: dt.datetime | None = None) -> Reception:
    """登记 a walk-in: a resident (name, ID, household and village copied) or an outsider."""
    household = None
    if resident is not None:
        household = resident.household
        visitor_name = visitor_name or resident.name
        id_number = id_number or resident.id_number
        village = village or household.grid.village
    received_at = received_at or timezone.now()
    reception = Reception(
        township=session.township, session=session, received_at=received_at, village=village, resident=resident,
        household=household, visitor_name=visitor_name, visitor_id_number=id_number, visitor_phone=phone,
        head_count=head_count, request=request, category=category, instruction=instruction, recorded_by=by,
        repeat_of=repeat_of(township=session.township, id_number=id_number, household=household,
                            before=received_at),
    )
    reception._history_user = by
    reception.save()
    return reception


def _finish(reception: Reception, outcome: str, by, *, case=None, **fields) -> Reception:
    if reception.outcome:
        raise TransitionError(_("This walk-in already has an outcome."))
    reception.outcome = outcome
    reception.outcome_at = timezone.now()
    if case is not None:
        reception.case_type = ContentType.objects.get_for_model(case)
        reception.case_id = case.pk
    for name, value in fields.items():
        setattr(reception, name, value)
    reception._history_user = by
    reception.save()
    return reception


@transaction.atomic
def reception_answer(*, reception: Reception, by, answer: str) -> Reception:
    """当场答复."""
    if not answer.strip():
        raise TransitionError(_("Record the answer given."))
    return _finish(reception, Reception.Outcome.ANSWERED, by, answer=answer.strip())


@transaction.atomic
def reception_to_petition(*, reception: Reception, by, subject: str) -> Petition:
    """转为信访件: a petition through the channel 领导接待日, received on the session's day, the visitor copied as
    the petitioner: the statutory clock starts from that day."""
    if reception.outcome:
        raise TransitionError(_("This walk-in already has an outcome."))
    if not reception.visitor_id_number:
        raise TransitionError(_("A petition needs the visitor's ID number."))
    petition = petition_register(
        by=by, township=reception.township, village=reception.village, received_on=reception.session.date,
        channel=Petition.Channel.RECEPTION_DAY, subject=subject, content=reception.request,
        demands=reception.instruction, head_count=reception.head_count, household=reception.household,
        petitioners=[PetitionerData(name=reception.visitor_name, id_number=reception.visitor_id_number,
                                    phone=reception.visitor_phone, resident=reception.resident)],
    )
    _finish(reception, Reception.Outcome.PETITION, by, case=petition)
    return petition


@transaction.atomic
def reception_to_dispute(*, reception: Reception, by, title: str, kind: str, grid=None,
                         risk: str = Dispute.Risk.GENERAL) -> Dispute:
    """转为矛盾纠纷: a dispute registered through disputes' own service, reported by residents on the session's
    day, with the visitor as its applicant. The grid is the visitor's household's, or the one chosen."""
    if reception.outcome:
        raise TransitionError(_("This walk-in already has an outcome."))
    grid = grid or (reception.household.grid if reception.household_id else None)
    if grid is None:
        raise TransitionError(_("Choose the grid the dispute belongs to."))
    if not title.strip() or kind not in Dispute.Kind.values:
        raise TransitionError(_("Give the dispute a title and a type."))
    party = ({"resident": reception.resident} if reception.resident_id else
             {"name": reception.visitor_name, "id_number": reception.visitor_id_number,
              "phone": reception.visitor_phone})
    dispute = dispute_register(by=by, data={
        "title": title.strip(), "kind": kind, "risk": risk, "source": Dispute.Source.RESIDENTS,
        "village": grid.village, "grid": grid, "registered_on": reception.session.date,
        "description": reception.request, "people_involved": max(reception.head_count, 2),
    }, parties=[party])
    _finish(reception, Reception.Outcome.DISPUTE, by, case=dispute)
    return dispute


@transaction.atomic
def reception_to_demand(*, reception: Reception, by) -> Demand:
    """转为诉求: a demand of the visitor's household, logged as one who came in person (households' own service; no
    visit is invented for it)."""
    if reception.outcome:
        raise TransitionError(_("This walk-in already has an outcome."))
    if not reception.household_id:
        raise TransitionError(_("A demand needs the visitor's household: match the visitor to a resident."))
    demand = demand_log(by=by, household=reception.household, channel=Demand.Channel.WALK_IN,
                        content=reception.request)
    _finish(reception, Reception.Outcome.DEMAND, by, case=demand)
    return demand


@transaction.atomic
def reception_refer(*, reception: Reception, by, lead, unit: str, deadline: dt.date):
    """交办: a 包案 assignment of the walk-in to a unit with a deadline; the reminder scan chases it until the
    reply is recorded (the assignment closed)."""
    if reception.outcome:
        raise TransitionError(_("This walk-in already has an outcome."))
    if not unit.strip():
        raise TransitionError(_("Name the unit the walk-in is referred to."))
    if deadline < timezone.localdate():
        raise TransitionError(_("The deadline cannot be in the past."))
    assignment = assignment_create(
        case=reception, township=reception.township, village=reception.village, lead=lead,
        responsible_unit=unit.strip(), deadline=deadline,
        label=f"接访交办 {reception.session.date:%Y-%m-%d} {reception.visitor_name}",
        url=reverse("reception:rota"), by=by,
    )
    _finish(reception, Reception.Outcome.REFERRED, by)
    return assignment


@transaction.atomic
def reception_book_return(*, reception: Reception, by, on: dt.date) -> Reception:
    """预约再访."""
    if on <= reception.session.date:
        raise TransitionError(_("The return visit must come after the session."))
    return _finish(reception, Reception.Outcome.RETURN_VISIT, by, return_on=on)
