"""The county tier (issue 21): the county above its townships, county staff and county leaders who see every
township of their county and nothing of another, who may grant a county role, and the demo county."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from core.scoping import ScopeKind
from governance import structure
from governance.models import County, Township, User, Village
from households.models import Household
from tests.factories import HouseholdFactory, UserFactory

NEW_PASSWORD = "qingshi-2026-secure"


def _create(client, **data):
    base = {"username": "newlogin", "display_name": "新用户", "phone": "", "role": "village_cadre",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("governance:user-create"), {**base, **data})


# --- the county ----------------------------------------------------------------------------------------------


def test_a_county_has_a_six_digit_code_and_holds_townships(world, county):
    bad = County(name="某县", code="51072")
    with pytest.raises(ValidationError):
        bad.full_clean()
    assert str(county) == "平武县"
    assert set(county.townships.values_list("name", flat=True)) == {"青石镇", "白马镇"}


def test_the_admin_lists_counties_and_the_county_of_each_township(world, county, admin_client):
    assert "平武县" in admin_client.get(reverse("admin:governance_county_changelist")).content.decode()
    page = admin_client.get(reverse("admin:governance_township_changelist")).content.decode()
    assert "青石镇" in page and "平武县" in page


# --- scope: every township of the county, nothing of another -------------------------------------------------


def test_county_users_see_every_township_of_their_county_and_nothing_of_another(world, county):
    mine = HouseholdFactory(grid=world.grid_a1)
    other_village = Village.objects.create(township=world.other_township, name="石坎村")
    theirs = HouseholdFactory(grid__village=other_village)
    far = HouseholdFactory(grid__village__township=world.far_township)
    for who in ("county_staff", "county_leader"):
        user = User.objects.get(pk=world.users[who].pk)
        assert user.scope.kind == ScopeKind.TOWNSHIPS
        assert user.scope.township_ids == {world.township.pk, world.other_township.pk}
        assert set(Household.objects.visible_to(user)) == {mine, theirs}
        assert set(Township.objects.visible_to(user)) == {world.township, world.other_township}
        assert list(County.objects.visible_to(user)) == [county]
    outsider = User.objects.get(pk=world.users["county_outsider"].pk)
    assert set(Household.objects.visible_to(outsider)) == {far}
    staff = User.objects.get(pk=world.users["staff"].pk)
    assert set(Household.objects.visible_to(staff)) == {mine}


def test_a_county_user_without_a_county_sees_nothing(world):
    user = UserFactory(role=User.Role.COUNTY_STAFF, township=None, county=None)
    assert user.scope.kind == ScopeKind.NONE


def test_county_staff_open_a_household_of_either_township_and_another_county_gets_404(world, county, clients):
    other_village = Village.objects.create(township=world.other_township, name="石坎村")
    theirs = HouseholdFactory(grid__village=other_village)
    url = reverse("households:detail", args=[theirs.pk])
    assert clients["county_staff"].get(url).status_code == 200
    assert clients["county_outsider"].get(url).status_code == 404
    assert clients["staff"].get(url).status_code == 404


# --- granting roles: none above one's own; a county role only by the superuser or the county's own users -------


def test_the_county_roles_rank_above_the_township(world, county):
    u = world.users
    assert u["county_leader"].rank > u["county_staff"].rank > u["supervisor"].rank
    assert u["county_staff"].outranks(u["supervisor"]) and not u["county_staff"].outranks(u["county_leader"])


def test_township_users_are_never_offered_nor_granted_a_county_role(world, county, clients):
    for who in ("staff", "supervisor"):
        assert not world.users[who].may_grant(User.Role.COUNTY_STAFF)
    page = clients["staff"].get(reverse("governance:user-create")).content.decode()
    assert 'value="county_staff"' not in page and 'value="county_leader"' not in page
    response = _create(clients["staff"], role="county_staff")
    assert response.status_code == 200 and not User.objects.filter(username="newlogin").exists()
    with pytest.raises(ValidationError):
        structure.user_create(by=world.users["staff"], username="x1", password=NEW_PASSWORD,
                              role=User.Role.COUNTY_STAFF, township=None, county=county)


def test_county_staff_grant_county_staff_in_their_own_county_but_not_a_county_leader(world, county, clients):
    response = _create(clients["county_staff"], role="county_staff")
    assert response.status_code == 302, response.content.decode()
    made = User.objects.get(username="newlogin")
    assert (made.role, made.county, made.township) == (User.Role.COUNTY_STAFF, county, None)

    response = _create(clients["county_staff"], username="newleader", role="county_leader")
    assert response.status_code == 200 and not User.objects.filter(username="newleader").exists()

    elsewhere = County.objects.get(code="510781")
    with pytest.raises(ValidationError):
        structure.user_create(by=world.users["county_staff"], username="x2", password=NEW_PASSWORD,
                              role=User.Role.COUNTY_STAFF, township=None, county=elsewhere)


def test_county_staff_make_a_township_login_only_in_a_township_of_their_county(world, county, clients):
    response = _create(clients["county_staff"], role="township_staff", township=world.other_township.pk)
    assert response.status_code == 302
    assert User.objects.get(username="newlogin").township == world.other_township

    # No township: the form says so and keeps what was typed.
    response = _create(clients["county_staff"], username="notownship", role="township_staff")
    assert response.status_code == 200 and "notownship" in response.content.decode()
    assert not User.objects.filter(username="notownship").exists()

    # A township of another county is not a choice.
    response = _create(clients["county_staff"], username="far", role="township_staff", township=world.far_township.pk)
    assert response.status_code == 200 and not User.objects.filter(username="far").exists()
    with pytest.raises(ValidationError):
        structure.user_create(by=world.users["county_staff"], username="far2", password=NEW_PASSWORD,
                              role=User.Role.TOWNSHIP_STAFF, township=world.far_township)


def test_the_superuser_makes_a_county_leader_and_must_say_which_county(world, county, admin_client):
    response = _create(admin_client, role="county_leader")
    assert response.status_code == 200 and not User.objects.filter(username="newlogin").exists()
    response = _create(admin_client, role="county_leader", county=county.pk)
    assert response.status_code == 302
    made = User.objects.get(username="newlogin")
    assert (made.role, made.county, made.township) == (User.Role.COUNTY_LEADER, county, None)


def test_county_users_see_each_others_accounts_and_the_townships_but_not_another_county(world, county, clients):
    page = clients["county_staff"].get(reverse("governance:user-list")).content.decode()
    assert "cleader" in page and "outsider" in page and "staff" in page and "coutsider" not in page
    assert clients["staff"].get(reverse("governance:user-detail", args=[world.users["county_staff"].pk])).status_code == 404


# --- the demo county -----------------------------------------------------------------------------------------


def test_seed_demo_with_several_townships_makes_one_county_with_its_logins(db):
    call_command("seed_demo", "--households", "60", "--townships", "2", "--seed", "7", "--today", "2026-11-21",
                 verbosity=0)
    county = County.objects.get()
    assert (county.code, county.name) == ("510723", "平武县")
    assert Township.objects.filter(county=county).count() == 2
    staff = User.objects.get(username="county")
    leader = User.objects.get(username="county-leader")
    assert (staff.role, leader.role) == (User.Role.COUNTY_STAFF, User.Role.COUNTY_LEADER)
    assert set(User.objects.exclude(is_superuser=True).values_list("role", flat=True)) == set(User.Role.values)
    assert Household.objects.visible_to(staff).count() == Household.objects.count() == 60
    assert Household.objects.visible_to(User.objects.get(username="staff")).count() == 30


def test_seed_demo_of_one_township_makes_no_county(db):
    call_command("seed_demo", "--households", "30", "--seed", "7", "--today", "2026-11-21", verbosity=0)
    assert not County.objects.exists()
    assert Township.objects.get().county is None
