"""seed_demo: households, residents with tags, and a year of visits (4–8 a household) with demands and comments."""

import datetime as dt

from django.core.management import call_command
from django.db.models import Count, F, Max, Min

from households import tally
from households.models import Demand, Household, Resident, Visit, VisitComment

TODAY = dt.date(2026, 11, 20)


def test_seed_demo_gives_every_household_a_year_of_visits(db):
    call_command("seed_demo", households=300, today=TODAY, seed=11, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Household.objects.count() == 300
    assert Resident.objects.filter(tags__isnull=False).exists()
    per_household = Household.objects.annotate(n=Count("visits")).aggregate(low=Min("n"), high=Max("n"))
    assert 4 <= per_household["low"] <= per_household["high"] <= 8
    dates = Visit.objects.aggregate(first=Min("visited_on"), last=Max("visited_on"))
    assert dates["first"] >= TODAY - dt.timedelta(days=364) and dates["last"] <= TODAY
    # A visit's households are in its grid, and it has a visitor (a user or a household head).
    assert not Visit.households.through.objects.exclude(household__grid=F("visit__grid")).exists()
    assert not Visit.objects.filter(visitor__isnull=True, visitor_head__isnull=True).exists()
    assert Visit.objects.filter(method=Visit.Method.YARD_MEETING).annotate(n=Count("households")).filter(n__gt=1)
    assert set(Demand.objects.values_list("status", flat=True)) >= {"pending", "rectifying", "closed"}
    assert Demand.objects.filter(number__startswith="SQ-").count() == Demand.objects.count()
    assert VisitComment.objects.exists()
    # Each grid's households, residents and visits kept through the demo's COPY (households/tally.py).
    assert tally.drifted() == []
    # The id sequence moved past the copied rows: a new visit can be saved.
    visit = Visit.objects.create(grid=Household.objects.first().grid, visited_on=TODAY)
    assert visit.pk > Visit.objects.exclude(pk=visit.pk).aggregate(m=Max("pk"))["m"]
