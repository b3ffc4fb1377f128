"""Factories of hazards, and ``advance`` to walk a hazard through the real engine (casework/rectification.py)."""

import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from casework import rectification as engine
from hazards import services
from hazards.catalogue import ensure_fields
from hazards.models import Hazard, HazardField, HazardPhoto
from tests.factories import GridFactory, UserFactory
from tests.households.factories import jpeg_bytes

S = Hazard.Status


def field(code: str = "fire") -> HazardField:
    found = HazardField.objects.filter(code=code).first()
    return found or ensure_fields()[code]  # (a transactional test empties the seeded catalogue)


class HazardFactory(DjangoModelFactory):
    class Meta:
        model = Hazard

    grid = factory.SubFactory(GridFactory)
    village = factory.LazyAttribute(lambda o: o.grid.village)
    township = factory.LazyAttribute(lambda o: o.village.township)
    number = factory.Sequence(lambda n: f"YH-2026-{n + 5000:04d}")
    field = factory.LazyFunction(field)
    party_name = "王建国"
    party_phone = "13812345678"
    description = "厨房电线私拉乱接，插座烧焦。"
    found_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))


# The order of the main path; the side exits are reached from 待核实.
PATH = [S.PENDING, S.RECTIFYING, S.RECHECK, S.CLOSEOUT, S.CLOSED]


def advance(hazard: Hazard, to: str, by, *, checker=None, approver=None, lead=None) -> Hazard:
    """Walk ``hazard`` to ``to`` with the real transitions: ``by`` verifies and rectifies, ``checker`` re-checks,
    ``by`` asks for close-out, ``approver`` approves (someone else each time, as the rules want)."""
    today = timezone.localdate()
    checker = checker or UserFactory(role="township_staff", township=hazard.township)
    approver = approver or checker
    lead = lead or by
    if to == S.TRANSFERRED:
        engine.rectification_transfer(case=hazard, by=by, to="县住建局", receipt="回执2026-01", on=today)
        return hazard
    if to == S.CONTROLLED:
        engine.rectification_control(case=hazard, by=by, measures="设置警示牌，汛期专人巡查", review_every_days=30)
        return hazard
    target = PATH.index(to)
    if target >= 1 and hazard.status == S.PENDING:
        services.hazard_verify(hazard=hazard, by=by, grade=hazard.grade, handling=Hazard.Handling.DEADLINE,
                               requirement="更换线路，加装漏电保护器。", deadline=today + dt.timedelta(days=7),
                               lead=lead, responsible_unit="镇安办")
    if target >= 2 and hazard.status == S.RECTIFYING:
        services.hazard_report_completion(hazard=hazard, by=by, done_on=today, measures="已更换线路。")
    if target >= 3 and hazard.status == S.RECHECK:
        services.hazard_recheck(hazard=hazard, by=checker, on=today, passed=True)
    if target >= 4 and hazard.status == S.CLOSEOUT:
        hazard.request_closeout(by=by)
        hazard.decide_closeout(by=approver, approve=True)
    return hazard


class HazardPhotoFactory(DjangoModelFactory):
    class Meta:
        model = HazardPhoto

    case = factory.SubFactory(HazardFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    caption = "2026-11-20 10:00 · 桃源村 第一网格"
    uploaded_by = factory.LazyAttribute(lambda o: UserFactory(role="grid_worker", township=o.case.township))
