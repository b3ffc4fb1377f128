"""seed_demo brings monitoring cases in every state, with measures, checks and an overdue lead."""

import datetime as dt

from django.core.management import call_command

from monitoring.models import MonitoringCase
from monitoring.services import case_open

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_brings_monitoring_cases_in_every_state(db):
    call_command("seed_demo", households=300, seed=7, today=TODAY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    cases = MonitoringCase.objects.all()
    assert set(cases.values_list("status", flat=True)) == set(MonitoringCase.Status.values)
    assert cases.values("number").distinct().count() == cases.count()
    assert any(c.decision_overdue for c in cases.filter(status="lead"))
    assert cases.exclude(security_problems="").exists()
    assert any(c.elimination_hint(TODAY) for c in cases.filter(status="monitored"))
    monitored = cases.filter(status="monitored").first()
    assert monitored.household.tags.filter(code=monitored.type.tag_code).exists()
    assert monitored.measures.exists() and monitored.national_entered_on
    # A new lead after 风险已消除 opens a new episode.
    eliminated = cases.filter(status="eliminated").first()
    again = case_open(by=eliminated.registered_by, household=eliminated.household, type=eliminated.type)
    assert again.status == "lead" and again.number != eliminated.number
