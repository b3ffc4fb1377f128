"""seed_demo brings a published 红黑榜 with reasons and follow-ups, one awaiting approval, the hygiene 评比 of a village,
and 宣传 and 培训 on record."""

import datetime as dt

from django.core.management import call_command

from honours.models import Entry, FollowUp, HygieneInspection, ListIssue
from outreach.metrics import households_reached, training_hours
from outreach.models import PolicyExplained, PublicityEvent, TrainingSession

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_lists_by_rule_and_publicity_and_training(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = ListIssue.objects.filter(status=ListIssue.Status.PUBLISHED)
    assert published.count() == 2 and ListIssue.objects.filter(status=ListIssue.Status.SUBMITTED).count() == 1
    assert not Entry.objects.exclude(board=Entry.Board.EXCLUDED).filter(reason="").exists()
    assert FollowUp.objects.count() == Entry.objects.filter(issue__in=published, board=Entry.Board.BLACK).count() > 0
    hygiene = published.get(definition__subject="household")
    assert hygiene.village is not None and HygieneInspection.objects.exists()
    for issue in published:
        assert issue.approved_by != issue.drafted_by
    assert PolicyExplained.objects.exists() and PublicityEvent.objects.count() >= 6
    assert TrainingSession.objects.count() == 3
    from governance.models import HouseholdHead

    heads = list(HouseholdHead.objects.values_list("pk", flat=True))
    assert sum(households_reached(heads, TODAY - dt.timedelta(days=180), TODAY).values()) > 0
    assert sum(training_hours("head", heads, dt.date(2026, 1, 1), TODAY).values()) > 0
