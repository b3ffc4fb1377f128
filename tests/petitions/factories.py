"""Petitions for tests, made through the services (so numbering, repeats and the clock are the real ones)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from households.idnumbers import make_id_number
from petitions import services
from petitions.models import CloseOut, Petition
from petitions.services import PetitionerData

_sequence = itertools.count(1)


def id_number(male: bool = True) -> str:
    n = next(_sequence)
    return make_id_number("510723", dt.date(1950, 1, 1) + dt.timedelta(days=n), n % 997 + 1, male)


def outsider(name: str = "外来人", phone: str = "13912345678") -> PetitionerData:
    return PetitionerData(name, id_number(), phone)


def resident_petitioner(resident) -> PetitionerData:
    return PetitionerData(resident.name, resident.id_number, resident.phone, resident)


def form_data(world, **overrides) -> dict:
    """What the registration form posts for one outside petitioner in village A, received yesterday."""
    data = {
        "received_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "channel": "visit",
        "subject": "land", "village": world.village_a.pk, "head_count": "1", "content": "反映土地补偿问题",
        "demands": "补足补偿款", "petitioners-TOTAL_FORMS": "1", "petitioners-INITIAL_FORMS": "0",
        "petitioners-0-name": "孙七", "petitioners-0-id_number": id_number(), "petitioners-0-phone": "13912345678",
    }
    data.update(overrides)
    return data


def register(
    *, by, village, received_on: dt.date | None = None, subject: str = Petition.Subject.LAND,
    channel: str = Petition.Channel.VISIT, petitioners: list[PetitionerData] | None = None, head_count: int = 1,
    content: str = "反映征地补偿款未足额发放", **kwargs,
) -> Petition:
    return services.petition_register(
        by=by, township=village.township if village else by.township, village=village,
        received_on=received_on or timezone.localdate(), channel=channel, subject=subject, content=content,
        petitioners=petitioners or [outsider()], head_count=head_count, **kwargs,
    )


def assign(petition: Petition, *, by, lead, team=(), deadline=None, unit: str = "镇农业服务中心"):
    return services.petition_assign(
        petition=petition, by=by, lead=lead, responsible_unit=unit, deadline=deadline or petition.due_on, team=team
    )


def advance(petition: Petition, status: str, *, staff, supervisor, today: dt.date | None = None) -> Petition:
    """Move a petition from where it is through the real transitions up to ``status``."""
    today = today or timezone.localdate()
    order = [s.value for s in Petition.Status]
    current, target = order.index(petition.status), order.index(status)

    def due(step: int) -> bool:
        return current < step <= target

    if due(1):
        accepted = max(petition.received_on, min(today, petition.received_on + dt.timedelta(days=3)))
        services.petition_accept(petition=petition, by=staff, on=accepted)
    if due(2):
        petition.record_reply(by=staff, text="经核实，补偿款已于本月补发到位。", on=max(petition.accepted_on, today))
        petition.record_satisfaction(by=staff, level=Petition.Satisfaction.SATISFIED)
    if due(3):
        petition.request_closeout(by=staff, outcome=CloseOut.Outcome.RESOLVED)
    if due(4):
        services.petition_closeout_decide(petition=petition, by=supervisor, approve=True)
    petition.refresh_from_db()
    return petition
