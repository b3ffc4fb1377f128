"""seed_demo adds petitions in every state, some overdue, and stays deterministic."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from casework.models import ResponsibilityAssignment
from petitions.models import CloseOut, Petition, PetitionCounter


@pytest.fixture
def demo(db):
    call_command("seed_demo", households=300, seed=7, today=dt.date(2026, 3, 2), stdout=io.StringIO())


def test_the_demo_has_petitions_in_every_state_and_some_overdue(demo):
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses == set(Petition.Status.values)
    assert Petition.objects.overdue(dt.date(2026, 3, 2)).exists()
    assert Petition.objects.filter(repeat_of__isnull=False).exists()
    assert Petition.objects.filter(head_count__gte=5).exists()
    assert Petition.objects.filter(round=2).exists()
    assert Petition.objects.supervised().exists()
    assert CloseOut.objects.filter(decision="pending").count() == Petition.objects.filter(status="close_requested").count()
    assert not ResponsibilityAssignment.objects.filter(is_open=True, petition__status="closed").exists()


def test_the_demo_numbers_continue_after_the_seed(demo):
    from governance.models import User
    from petitions.services import PetitionerData, petition_register

    year = 2026
    last = Petition.objects.filter(year=year).order_by("-sequence").first()
    assert PetitionCounter.objects.get(year=year).last == last.sequence
    staff = User.objects.get(username="staff")
    new = petition_register(
        by=staff, township=staff.township, village=last.village, received_on=dt.date(2026, 3, 2),
        channel="letter", subject="other", content="测试", petitioners=[PetitionerData("甲", last.petitioners.first().id_number, "13800000000")],
    )
    assert new.sequence == last.sequence + 1


def test_the_demo_household_head_sees_petitions_of_their_households(demo):
    from governance.models import User

    assert Petition.objects.visible_to(User.objects.get(username="head")).exists()
