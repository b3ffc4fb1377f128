"""seed_demo brings disputes in every state, at every level, numbered, with parties and 包案."""

import datetime as dt

from django.core.management import call_command
from django.db.models import Count, Max

from casework.models import ResponsibilityAssignment
from disputes.models import Dispute, DisputeCounter, Party
from disputes.services import dispute_register
from governance.models import User

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_disputes_in_every_state(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    disputes = Dispute.objects.all()
    assert set(disputes.values_list("status", flat=True)) == set(Dispute.Status.values)
    assert set(disputes.values_list("level", flat=True)) == set(Dispute.Level.values)
    assert disputes.values("number").distinct().count() == disputes.count()
    assert not disputes.annotate(n=Count("parties")).filter(n=0).exists()
    assert disputes.aggregate(last=Max("registered_on"))["last"] <= TODAY
    assert not disputes.filter(status="closed", closed_at__isnull=True).exists()
    assert not disputes.filter(status="closed", closing_outcome="").exists()
    waiting = disputes.filter(status="close_requested")
    assert waiting.exists() and not waiting.filter(risk="general").exists()
    assert all(d.pending_closeout() is not None for d in waiting)
    assert not disputes.filter(status__in=["succeeded", "followed_up", "closed"], outcome="").exists()
    assert Party.objects.filter(resident__isnull=False).exists()
    assignments = ResponsibilityAssignment.objects.filter(case_type__model="dispute")
    assert assignments.exists()
    assert assignments.filter(is_open=True, deadline__lt=TODAY).exists()
    assert assignments.exclude(supervision_level="").exists()
    # The counters continue where the demo left off.
    year = TODAY.year
    counter = DisputeCounter.objects.get(year=year)
    assert counter.last == disputes.filter(registered_on__year=year).count()
    staff = User.objects.get(username="staff")
    grid = disputes.first().grid
    new = dispute_register(by=staff, data={"title": "新纠纷", "kind": "other", "village": grid.village, "grid": grid,
                                           "description": "…", "registered_on": TODAY}, parties=[{"name": "甲"}])
    assert new.number == f"JF-{year}-{counter.last + 1:04d}"
