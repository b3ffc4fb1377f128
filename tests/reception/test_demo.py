"""seed_demo brings a rota from the three kinds of rule, sessions held and missed, and walk-ins with every outcome."""

import datetime as dt

from django.core.management import call_command

from reception.models import Reception, Rule, Session

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_the_rota_and_walk_ins_with_every_outcome(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Rule.objects.values_list("kind", flat=True)) == set(Rule.Kind.values)
    sessions = Session.objects.all()
    assert sessions.filter(date__gt=TODAY, status=Session.Status.SCHEDULED).exists()
    assert sessions.filter(status=Session.Status.HELD, checked_in_at__isnull=False).exists()
    assert sessions.filter(status=Session.Status.MISSED).exists()
    assert not sessions.filter(date__lt=TODAY, status=Session.Status.SCHEDULED).exists()
    assert set(Reception.objects.values_list("outcome", flat=True)) == set(Reception.Outcome.values)
    assert Reception.objects.filter(repeat_of__isnull=False).exists()
    converted = Reception.objects.filter(outcome__in=["petition", "dispute", "demand"])
    assert not converted.filter(case_id__isnull=True).exists()
