"""Factories of the households app beyond tests/factories.py (visits with photos, demands, imports)."""

import datetime as dt
import io
from dataclasses import dataclass

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from PIL import Image

from households.idnumbers import make_id_number
from households.models import Demand, RevealLog, RosterImport, VisitComment, VisitPhoto
from tests.factories import HouseholdFactory, VisitFactory
from tests.factories import ResidentFactory as BaseResidentFactory


def jpeg_bytes(size=(40, 30), color=(200, 30, 30), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


class ResidentFactory(BaseResidentFactory):
    """Unique ID numbers however many are made (one birth date each), from the 1940s on."""

    birth_date = factory.Sequence(lambda n: dt.date(1940, 1, 1) + dt.timedelta(days=n))
    id_number = factory.LazyAttribute(lambda o: make_id_number("510723", o.birth_date, 101, o.gender == "male"))


class VisitPhotoFactory(DjangoModelFactory):
    class Meta:
        model = VisitPhoto

    visit = factory.SubFactory(VisitFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(), name="photo.jpg"))
    width = 40
    height = 30


class VisitCommentFactory(DjangoModelFactory):
    class Meta:
        model = VisitComment

    visit = factory.SubFactory(VisitFactory)
    text = "走访记录详实"


class DemandFactory(DjangoModelFactory):
    class Meta:
        model = Demand

    visit = factory.SubFactory(VisitFactory)
    grid = factory.LazyAttribute(lambda o: o.visit.grid)
    township = factory.LazyAttribute(lambda o: o.grid.village.township)
    number = factory.Sequence(lambda n: f"SQ-2026-{n + 1:04d}")
    content = "希望硬化入户便道"


class RosterImportFactory(DjangoModelFactory):
    class Meta:
        model = RosterImport

    file_name = "花名册.xlsx"
    status = RosterImport.Status.READY


class RevealLogFactory(DjangoModelFactory):
    class Meta:
        model = RevealLog

    subject = "张三"
    field = RevealLog.Field.ID_NUMBER
    reason = "核对低保材料"


@dataclass
class Registry:
    a1: object  # a household of grid A1, linked to world.head_a1
    a2: object  # a household of grid A2, no household head
    b1: object  # a household of village B
    resident_a1: object
    resident_b1: object


def make_registry(world) -> Registry:
    """Three households (A1 linked to the head of A1, A2 without a head, B1) and two residents."""
    a1 = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="李建华", house_number="一组01号")
    a2 = HouseholdFactory(grid=world.grid_a2, head_name="王建国", house_number="二组05号")
    b1 = HouseholdFactory(grid=world.grid_b1, head_name="赵秀兰", house_number="三组09号")
    resident_a1 = ResidentFactory(household=a1, name="李建华", id_number="510723195803081234",
                                  birth_date=dt.date(1958, 3, 8), phone="13812345678")
    resident_b1 = ResidentFactory(household=b1, name="赵秀兰")
    return Registry(a1, a2, b1, resident_a1, resident_b1)


def advance_demand(demand, status, by, *, checker, approver, owner, deadline=None):
    """Walk ``demand`` through the engine to ``status`` (rectifying, recheck, closeout, closed): followed up with a
    deadline (``owner`` answers for it), handled by ``by``, re-checked by ``checker``, 销号 approved by ``approver``."""
    import datetime as _dt

    from django.utils import timezone

    from casework import rectification as engine
    from households import services
    from households.models import DemandCategory

    S = Demand.Status
    today = timezone.localdate()
    order = [S.RECTIFYING, S.RECHECK, S.CLOSEOUT, S.CLOSED]
    services.demand_follow_up(demand=demand, by=by, level=Demand.Level.VILLAGE,
                              category=DemandCategory.objects.get(code="infrastructure"), requirement="协调办理",
                              deadline=deadline or today + _dt.timedelta(days=7), owner=owner, responsible_unit="村委会")
    if order.index(status) >= 1:
        services.demand_report(demand=demand, by=by, outcome=Demand.Outcome.RESOLVED, done_on=today, measures="已办理")
    if order.index(status) >= 2:
        engine.rectification_recheck(case=demand, by=checker, on=today, passed=True)
    if order.index(status) >= 3:
        demand.request_closeout(by=by)
        demand.decide_closeout(by=approver, approve=True)
    demand.refresh_from_db()
    return demand
