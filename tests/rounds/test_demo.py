"""seed_demo brings a 安全隐患 round and a 矛盾纠纷 round with returns: on time and late, 零报告, findings, one silent."""

import datetime as dt

from django.core.management import call_command

from casework import rounds
from casework.models import Campaign, Return

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_rounds_with_every_kind_of_return(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    hazards = Campaign.objects.get(kind=Campaign.Kind.HAZARDS)
    disputes = Campaign.objects.get(kind=Campaign.Kind.DISPUTES)
    states = [r.state(TODAY) for r in hazards.returns.select_related("campaign")]
    assert states.count(Return.State.SILENT) == 1
    assert Return.State.LATE in states and Return.State.ON_TIME in states
    assert hazards.returns.filter(zero_report=True).exists() and hazards.returns.exclude(found_note="").exists()
    returns = list(disputes.returns.all())
    assert all(r.is_submitted for r in returns) and any(r.is_late for r in returns)
    assert any(r.zero_report for r in returns)
    assert sum(rounds.found_counts(returns).values()) > 0
