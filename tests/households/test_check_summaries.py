"""``manage.py check_summaries [--fix]`` finds households whose member summary drifted and rewrites them."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from households.models import Household
from tests.factories import HouseholdFactory, tag, tag_with
from tests.households.factories import ResidentFactory


def _run(*args) -> str:
    out = io.StringIO()
    call_command("check_summaries", *args, stdout=out)
    return out.getvalue()


def test_check_summaries_reports_drift_with_status_1_and_fix_rewrites_it(world, registry):
    household = HouseholdFactory(grid=world.grid_a1)
    tag_with(ResidentFactory(household=household, name="甲"), tag("veteran"))
    good = Household.objects.values("member_count", "search_text", "tag_ids").get(pk=household.pk)
    assert "up to date" in _run()

    Household.objects.filter(pk=household.pk).update(member_count=9, search_text="", tag_ids="")
    with pytest.raises(CommandError) as refused:
        _run()
    assert refused.value.returncode == 1
    assert Household.objects.get(pk=household.pk).member_count == 9  # reported, not changed

    out = _run("--fix")
    assert f"1 household summaries drifted: {household.pk}" in out and "Rewrote 1" in out
    assert Household.objects.values("member_count", "search_text", "tag_ids").get(pk=household.pk) == good
    assert "up to date" in _run()


def test_check_summaries_reads_households_in_chunks(world, registry):
    from households import summary

    households = [HouseholdFactory(grid=world.grid_a1) for _ in range(5)]
    stale = [households[1].pk, households[4].pk]
    Household.objects.filter(pk__in=stale).update(member_count=3)
    assert sorted(summary.find_drift(chunk=2)) == stale


def test_the_care_cadence_follows_the_tags_and_a_changed_setting_is_found_and_fixed(world, registry, settings):
    """The tightest cadence of the household's and its members' tags is kept with the summary (the dashboard's
    超期未走访 reads it); a cadence setting changed since is drift that --fix rewrites."""
    household = HouseholdFactory(grid=world.grid_a1)
    assert Household.objects.get(pk=household.pk).care_cadence is None
    tag_with(household, tag("subsistence"))  # 30 days
    assert Household.objects.get(pk=household.pk).care_cadence == 30
    member = ResidentFactory(household=household)
    tag_with(member, tag("elderly-alone"))  # 7 days: the tightest
    assert Household.objects.get(pk=household.pk).care_cadence == 7

    settings.CARE_CADENCE_DAYS = {**settings.CARE_CADENCE_DAYS, "elderly-alone": 10}
    with pytest.raises(CommandError):
        _run()
    assert f"1 household summaries drifted: {household.pk}" in _run("--fix")
    assert Household.objects.get(pk=household.pk).care_cadence == 10
