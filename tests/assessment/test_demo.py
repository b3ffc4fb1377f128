"""seed_demo brings a scheme for 联户长 with computed and manual items, runs graded (定档) and in publicity (公示), one
appeal of the demo 联户长, and 群众评议 answers."""

import datetime as dt

from django.core.management import call_command

from assessment.models import Appeal, Evaluation, Item, Run, Scheme

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_a_scheme_graded_runs_runs_in_publicity_and_evaluations(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    scheme = Scheme.objects.get()
    assert scheme.is_approved and scheme.subject_kind == "head"
    assert set(scheme.items.values_list("kind", flat=True)) == set(Item.Kind.values)
    assert set(scheme.items.values_list("duty", flat=True)) == set(Item.Duty.values)
    final = Run.objects.filter(status=Run.Status.FINAL)
    assert final.exists() and not final.filter(stars__isnull=True).exists()
    assert final.filter(period_start=dt.date(2026, 4, 1)).exists()
    assert Run.objects.filter(status__in=[Run.Status.PUBLICITY, Run.Status.APPEAL],
                              period_start=dt.date(2026, 7, 1)).exists()
    assert Appeal.objects.filter(run__head__user__username="head").exists()
    assert Evaluation.objects.count() > 0
