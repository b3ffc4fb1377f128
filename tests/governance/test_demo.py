"""seed_demo: a realistic township, the same for the same seed, with valid ID numbers."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from governance.models import Grid, HouseholdHead, Township, User, Village
from households.idnumbers import parse
from households.models import Household, Resident

ARGS = ["--households", "120", "--seed", "7", "--today", "2026-11-21"]


def _fingerprint():
    return (
        list(Village.objects.order_by("pk").values_list("name", "code")),
        list(Grid.objects.order_by("pk").values_list("village__name", "name")),
        list(HouseholdHead.objects.order_by("pk").values_list("name", "phone", "certificate_number")),
        list(Household.objects.order_by("pk").values_list("head_name", "address", "house_number", "household_head__name")),
        list(Resident.objects.order_by("pk").values_list("name", "id_number", "gender", "birth_date", "phone")),
    )


def _seed_and_fingerprint(*args):
    with transaction.atomic():
        call_command("seed_demo", *args, verbosity=0)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    return fingerprint


def test_the_same_seed_builds_the_same_township(db):
    first = _seed_and_fingerprint(*ARGS)
    second = _seed_and_fingerprint(*ARGS)
    assert first == second
    assert len(first[3]) == 120


def test_another_seed_builds_another_township(db):
    assert _seed_and_fingerprint(*ARGS) != _seed_and_fingerprint("--households", "120", "--seed", "8")


def test_demo_township_has_villages_of_four_to_six_grids_and_heads_for_about_ten_households(db):
    call_command("seed_demo", "--households", "1000", "--seed", "1", verbosity=0)
    villages = Village.objects.all()
    assert villages.count() == 20
    for village in villages:
        assert 4 <= village.grids.count() <= 6
    households_per_head = Household.objects.filter(household_head__isnull=False).count() / HouseholdHead.objects.count()
    assert 7 <= households_per_head <= 13


def test_every_demo_id_number_is_valid_and_matches_the_residents_birth_date_and_gender(db):
    call_command("seed_demo", "--households", "300", "--seed", "3", verbosity=0)
    residents = list(Resident.objects.values_list("id_number", "birth_date", "gender"))
    assert len(residents) > 300
    for number, birth_date, gender in residents:
        decoded = parse(number)
        assert (decoded.birth_date, decoded.gender) == (birth_date, gender)
    assert len({number for number, _, _ in residents}) == len(residents)


def test_demo_has_one_login_per_role(db):
    call_command("seed_demo", "--households", "50", verbosity=0)
    roles = set(User.objects.exclude(is_superuser=True).values_list("role", flat=True))
    # One township has no county, so no county logins (``--townships K`` makes a county: tests/governance/test_county.py).
    assert roles == set(User.Role.values) - {User.Role.COUNTY_STAFF, User.Role.COUNTY_LEADER}
    head = User.objects.get(username="head")
    assert head.household_head is not None


def test_seed_demo_refuses_to_run_over_existing_data_without_force(db):
    Township.objects.create(name="已有镇", code="510723199000")
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--households", "10", verbosity=0)
    call_command("seed_demo", "--households", "10", "--if-empty", verbosity=0)
    assert Township.objects.count() == 1
    call_command("seed_demo", "--households", "10", "--force", verbosity=0)
    assert Township.objects.count() == 2


def test_a_county_dataset_has_separate_townships_with_their_own_staff(db):
    call_command("seed_demo", "--households", "90", "--townships", "3", verbosity=0)
    assert Township.objects.count() == 3
    assert Household.objects.count() == 90
    assert User.objects.filter(role=User.Role.TOWNSHIP_STAFF).values("township").distinct().count() == 3
