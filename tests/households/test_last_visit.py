"""Each household's last visit is kept on its row (households/lastvisit.py) wherever a visit meets it, and the
coverage figures read it: the dashboard counts what the lists show."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from households import services
from households.models import Household, Visit
from tests.factories import HouseholdFactory, VisitFactory


def _last(household) -> dt.date | None:
    return Household.objects.values_list("last_visited_on", flat=True).get(pk=household.pk)


def test_logging_a_visit_keeps_the_households_last_visit_and_an_older_one_does_not_move_it(world):
    today = timezone.localdate()
    household = HouseholdFactory(grid=world.grid_a1)
    stale = Household.objects.get(pk=household.pk)  # an edit form opened before the visits
    assert _last(household) is None
    services.visit_log(by=world.users["grid_worker"], households=[household], visited_on=today - dt.timedelta(days=3),
                       method=Visit.Method.IN_HOME, topics={})
    services.visit_log(by=world.users["grid_worker"], households=[household], visited_on=today - dt.timedelta(days=9),
                       method=Visit.Method.IN_HOME, topics={})
    assert _last(household) == today - dt.timedelta(days=3)
    stale.address = "桃源村三组12号"
    stale.save()  # the edit saves what it holds, not the last visit it read
    assert _last(household) == today - dt.timedelta(days=3)


def test_unlinking_a_visit_or_changing_its_date_moves_the_last_visit(world):
    today = timezone.localdate()
    household = HouseholdFactory(grid=world.grid_a1)
    old = VisitFactory(grid=world.grid_a1, households=[household], visited_on=today - dt.timedelta(days=40))
    new = VisitFactory(grid=world.grid_a1, households=[household], visited_on=today - dt.timedelta(days=2))
    assert _last(household) == today - dt.timedelta(days=2)
    new.households.remove(household)
    assert _last(household) == today - dt.timedelta(days=40)
    old.visited_on = today - dt.timedelta(days=35)
    old.save()
    assert _last(household) == today - dt.timedelta(days=35)
    old.households.clear()
    assert _last(household) is None


def test_check_summaries_finds_and_rewrites_a_drifted_last_visit(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    VisitFactory(grid=world.grid_a1, households=[household], visited_on=timezone.localdate())
    Household.objects.filter(pk=household.pk).update(last_visited_on=None)
    with pytest.raises(CommandError):
        call_command("check_summaries")
    call_command("check_summaries", "--fix")
    assert _last(household) == timezone.localdate()
    page = clients["staff"].get(reverse("households:not-visited")).content.decode()
    assert household.head_name not in page
