"""Use cases of hazards that span several models. Keyword-only, ``hazard_<action>``, atomic."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import rectification as engine
from casework.models import ResponsibilityAssignment
from casework.services import assignment_flag, assignment_for
from governance.models import User
from households.photos import clean_photo

from .models import ControlPlan, Hazard, HazardCounter, HazardPhoto

RED = ResponsibilityAssignment.SupervisionLevel.RED


@transaction.atomic
def hazard_register(*, by: User, data: dict, photos=(), visit=None, client_id=None) -> Hazard:
    """Register a hazard (待核实) with its before-photos. A 联户长's report is marked as theirs; a 重大 hazard gets its
    五落实 plan at once. ``data`` holds Hazard fields (village and grid included). ``client_id``: the phone's id of a
    report kept without signal; a second report with it fails on the unique column (IntegrityError)."""
    hazard = Hazard(**data, client_id=client_id)
    hazard.township_id = hazard.village.township_id
    hazard.found_by = by
    hazard.visit = visit
    if hazard.grid.village_id != hazard.village_id:
        raise ValidationError(_("The grid must belong to the village."))
    if hazard.household_id and hazard.household.grid_id != hazard.grid_id:
        raise ValidationError(_("The household must be in the grid."))
    if by.role == User.Role.HOUSEHOLD_HEAD and by.household_head_id:
        hazard.reporting_head_id = by.household_head_id
        hazard.source = Hazard.Source.HOUSEHOLD_HEAD
    if len(photos) > settings.HAZARDS_PHOTOS_PER_STEP:
        raise ValidationError(_("At most %(n)s photos.") % {"n": settings.HAZARDS_PHOTOS_PER_STEP})
    cleaned = [clean_photo(p) for p in photos]
    hazard.number, _sequence = HazardCounter.next_number(hazard.township, hazard.found_on.year)
    hazard._history_user = by
    hazard._change_reason = "register"
    hazard.save()
    _store_photos(hazard, by, cleaned, HazardPhoto.Stage.BEFORE)
    if hazard.is_major:
        ControlPlan.objects.get_or_create(case=hazard)
    return hazard


def _stamp(content: ContentFile, text: str) -> ContentFile:
    """The received time written into the pixels, bottom left (a caption alone could be separated from the photo)."""
    from PIL import Image, ImageDraw, ImageFont

    with Image.open(io.BytesIO(content.read())) as image:
        image = image.convert("RGB")
        draw = ImageDraw.Draw(image)
        size = max(12, image.width // 40)
        try:
            font = ImageFont.load_default(size=size)
        except TypeError:  # an older Pillow: one size only
            font = ImageFont.load_default()
        left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
        pad = size // 3
        y = image.height - (bottom - top) - 3 * pad
        draw.rectangle((0, y, right - left + 2 * pad, image.height), fill=(0, 0, 0))
        draw.text((pad, y + pad - top), text, fill=(255, 255, 255), font=font)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _store_photos(hazard: Hazard, by: User, cleaned, stage: str) -> None:
    now = timezone.localtime()
    place = " ".join(x for x in (hazard.village.name, hazard.grid.name, hazard.place) if x)
    caption = f"{now:%Y-%m-%d %H:%M} · {place} · {by}"[:200]
    for content, width, height in cleaned:
        photo = HazardPhoto(case=hazard, stage=stage, round=hazard.round, uploaded_by=by, caption=caption,
                            taken_at=now, width=width, height=height)
        photo.image.save(content.name, _stamp(content, f"{now:%Y-%m-%d %H:%M}"), save=False)
        photo.save()


def hazard_add_photos(*, hazard: Hazard, by: User, photos, stage: str) -> None:
    if len(photos) > settings.HAZARDS_PHOTOS_PER_STEP:
        raise ValidationError(_("At most %(n)s photos.") % {"n": settings.HAZARDS_PHOTOS_PER_STEP})
    _store_photos(hazard, by, [clean_photo(p) for p in photos], stage)


@transaction.atomic
def hazard_verify(*, hazard: Hazard, by: User, grade: str, handling: str, requirement: str, deadline, lead: User,
                  responsible_unit: str, team=()) -> None:
    """核实: the grade and the handling are confirmed, the 整改 starts, and its deadline becomes the 包案 assignment
    (lead, unit, team). A 重大 hazard is put under a red 挂牌督办 on it, automatically."""
    fields = []
    if grade != hazard.grade:
        hazard.grade = grade
        fields.append("grade")
    if handling != hazard.handling:
        hazard.handling = handling
        fields.append("handling")
    if fields:
        hazard.commit(by, fields, reason="grade")
    assignment = engine.rectification_start(case=hazard, by=by, deadline=deadline, requirement=requirement,
                                            lead=lead, responsible_unit=responsible_unit, team=team)
    if hazard.is_major:
        ControlPlan.objects.get_or_create(case=hazard)
        assignment_flag(assignment=assignment, level=RED, comment=_("Major hazard: supervised until closed out."))


@transaction.atomic
def hazard_report_completion(*, hazard: Hazard, by: User, done_on, measures: str, cost=None, photos=()) -> None:
    engine.rectification_report(case=hazard, by=by, done_on=done_on, measures=measures, cost=cost)
    if photos:
        hazard_add_photos(hazard=hazard, by=by, photos=photos, stage=HazardPhoto.Stage.AFTER)


@transaction.atomic
def hazard_recheck(*, hazard: Hazard, by: User, on, passed: bool, note: str = "", new_deadline=None, photos=()):
    """复查; its photos belong to the round checked (stored first: a refused check rolls them back)."""
    if photos:
        hazard_add_photos(hazard=hazard, by=by, photos=photos, stage=HazardPhoto.Stage.RECHECK)
    return engine.rectification_recheck(case=hazard, by=by, on=on, passed=passed, note=note,
                                        new_deadline=new_deadline)


@transaction.atomic
def hazard_edit_facts(*, hazard: Hazard, by: User, data: dict) -> list[str]:
    """Correct the facts of an open hazard (place, field, responsible party, description): one history row by ``by``
    naming what changed; nothing when nothing did. A closed-out hazard's facts stay as the ledger printed them."""
    if not hazard.is_open:
        raise ValidationError(_("Only an open hazard's facts can be corrected."))
    changed = [name for name, value in data.items() if getattr(hazard, name) != value]
    for name in changed:
        setattr(hazard, name, data[name])
    if changed:
        hazard.commit(by, changed, reason="edit_facts")
    return changed


@transaction.atomic
def hazard_save_plan(*, hazard: Hazard, by: User, data: dict) -> ControlPlan:
    plan, _created = ControlPlan.objects.get_or_create(case=hazard)
    for name, value in data.items():
        setattr(plan, name, value)
    plan._history_user = by
    plan.save()
    assignment = assignment_for(hazard)
    if hazard.is_major and assignment is not None and hazard.is_open and not assignment.supervision_level:
        assignment_flag(assignment=assignment, level=RED, comment=_("Major hazard: supervised until closed out."))
    return plan
