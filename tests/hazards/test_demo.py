"""seed_demo brings hazards in every state, numbered, with 包案 clocks, overdue and 重大 ones."""

import datetime as dt

from django.core.management import call_command

from casework.models import ResponsibilityAssignment
from hazards.models import Hazard, HazardCounter

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_hazards_in_every_state(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    hazards = Hazard.objects.all()
    assert set(hazards.values_list("status", flat=True)) == set(Hazard.Status.values)
    assert hazards.values("number").distinct().count() == hazards.count()
    assert hazards.filter(grade="major").exists() and hazards.filter(round__gt=1).exists()
    assert hazards.filter(reporting_head__isnull=False).exists()
    assert Hazard.objects.overdue(TODAY).exists()
    assignments = ResponsibilityAssignment.objects.of_cases(Hazard)
    assert assignments.filter(is_open=True, deadline__lt=TODAY).exists()
    assert assignments.filter(supervision_level="red").exists()
    assert HazardCounter.objects.get(year=TODAY.year).last == hazards.filter(found_on__year=TODAY.year).count()
