from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from outreach.models import EventPhoto, Policy, PolicyExplained, PublicityEvent, TrainingSession
from tests.households.factories import jpeg_bytes


def policy(code: str) -> Policy:
    return Policy.objects.get(code=code)


def explain(visit, *codes: str) -> None:
    for code in codes:
        PolicyExplained.objects.create(visit=visit, policy=policy(code))


def make_event(village, *, by, held_on=dt.date(2026, 11, 10), policies=("anti-fraud",), households=(),
               photo=False) -> PublicityEvent:
    event = PublicityEvent.objects.create(village=village, held_on=held_on, place="村委会院坝", audience="村民",
                                          attendance=20, recorded_by=by)
    event.policies.set([policy(code) for code in policies])
    event.households.set(households)
    if photo:
        EventPhoto.objects.create(event=event, image=ContentFile(jpeg_bytes(), name="p.jpg"))
    return event


def make_training(township, *, by, village=None, held_on=dt.date(2026, 11, 5), hours="2.5", heads=(), users=()):
    session = TrainingSession.objects.create(township=township, village=village, topic="联户长履职培训",
                                             held_on=held_on, place="镇党校", trainer="王老师",
                                             hours=Decimal(hours), recorded_by=by)
    session.heads_attended.set(heads)
    session.users_attended.set(users)
    return session
