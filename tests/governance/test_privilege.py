"""Who may change what is above them (issue 18): the deployment-wide calendar, roles, other people's passwords."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from governance import structure
from governance.models import CalendarDay, User
from tests.conftest import PASSWORD
from tests.factories import UserFactory

# --- the working-day calendar is the deployment's, not one township's ----------------------------------------


def test_township_staff_read_the_calendar_but_cannot_add_edit_or_remove_a_day(world, clients):
    day = CalendarDay.objects.create(date=dt.date(2031, 1, 4), kind="workday", name="元旦调休")
    staff = clients["staff"]
    page = staff.get(reverse("governance:calendar") + "?year=2031")
    assert page.status_code == 200 and "元旦调休" in page.content.decode()
    assert reverse("governance:calendar-edit", args=[day.pk]) not in page.content.decode()
    assert reverse("governance:calendar-create") not in page.content.decode()

    assert staff.get(reverse("governance:calendar-create")).status_code == 403
    assert staff.post(reverse("governance:calendar-create"),
                      {"date": "2031-01-05", "kind": "workday", "name": "x"}).status_code == 403
    assert staff.get(reverse("governance:calendar-edit", args=[day.pk])).status_code == 403
    assert staff.post(reverse("governance:calendar-edit", args=[day.pk]),
                      {"date": "2031-01-11", "kind": "workday", "name": "x"}).status_code == 403
    assert staff.post(reverse("governance:calendar-delete", args=[day.pk])).status_code == 403
    day.refresh_from_db()
    assert (day.date, day.name) == (dt.date(2031, 1, 4), "元旦调休")
    assert not CalendarDay.objects.filter(date=dt.date(2031, 1, 5)).exists()


def test_the_system_administrator_changes_the_calendar(world, admin_client):
    day = CalendarDay.objects.create(date=dt.date(2031, 1, 4), kind="workday", name="元旦调休")
    page = admin_client.get(reverse("governance:calendar") + "?year=2031").content.decode()
    assert reverse("governance:calendar-edit", args=[day.pk]) in page
    assert admin_client.post(reverse("governance:calendar-delete", args=[day.pk])).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()


# --- roles: nobody grants a role above their own, nor acts on an account at or above their level --------------

NEW_PASSWORD = "qingshi-2026-secure"


def _create(client, **data):
    base = {"username": "newlogin", "display_name": "新用户", "phone": "", "role": "village_cadre",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("governance:user-create"), {**base, **data})


def test_the_role_rank_puts_the_administrator_above_the_supervisor_above_staff_and_so_on(world):
    u = world.users
    order = ["household_head", "grid_worker", "village_cadre", "township_cadre", "staff", "supervisor"]
    ranks = [u[name].rank for name in order]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    admin = UserFactory(username="root", is_superuser=True, role=User.Role.VILLAGE_CADRE)
    assert admin.rank > u["supervisor"].rank and admin.outranks(u["supervisor"])
    assert u["staff"].may_grant("township_staff") and not u["staff"].may_grant("supervisor")
    assert not u["staff"].outranks(u["staff"]) and not u["staff"].outranks(u["outsider"])


def test_staff_cannot_create_a_supervisor(world, clients):
    form = clients["staff"].get(reverse("governance:user-create")).context["form"]
    assert "supervisor" not in dict(form.fields["role"].choices)
    response = _create(clients["staff"], role="supervisor")
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert not User.objects.filter(username="newlogin").exists()
    with pytest.raises(ValidationError):
        structure.user_create(by=world.users["staff"], username="newlogin", password=NEW_PASSWORD,
                              role="supervisor", township=world.township)


def test_staff_cannot_make_themselves_or_a_cadre_supervisor(world, clients):
    staff, cadre = world.users["staff"], world.users["village_cadre"]
    response = clients["staff"].post(reverse("governance:user-edit", args=[staff.pk]),
                                     {"display_name": "x", "phone": "", "role": "supervisor"})
    assert response.status_code == 200
    response = clients["staff"].post(reverse("governance:user-edit", args=[cadre.pk]), {
        "display_name": "x", "phone": "", "role": "supervisor", "villages": [world.village_a.pk]})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    staff.refresh_from_db()
    cadre.refresh_from_db()
    assert (staff.role, cadre.role) == ("township_staff", "village_cadre")


def test_staff_cannot_touch_the_account_of_a_supervisor_or_of_other_staff(world, clients):
    colleague = UserFactory(username="staff2", role=User.Role.TOWNSHIP_STAFF, township=world.township)
    for target in (world.users["supervisor"], colleague):
        password_url = reverse("governance:user-password", args=[target.pk])
        assert clients["staff"].get(password_url).status_code == 403
        assert clients["staff"].post(
            password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 403
        assert clients["staff"].get(reverse("governance:user-edit", args=[target.pk])).status_code == 403
        assert clients["staff"].post(reverse("governance:user-deactivate", args=[target.pk])).status_code == 403
        target.refresh_from_db()
        assert target.check_password(PASSWORD) and target.is_active
        page = clients["staff"].get(reverse("governance:user-detail", args=[target.pk])).content.decode()
        assert password_url not in page
    with pytest.raises(PermissionDenied):
        structure.user_set_password(user=world.users["supervisor"], password=NEW_PASSWORD, by=world.users["staff"])


def test_the_administrator_creates_a_supervisor_and_sets_their_password(world, admin_client):
    response = _create(admin_client, role="supervisor", township=world.township.pk)
    assert response.status_code == 302
    assert User.objects.get(username="newlogin").role == "supervisor"
    url = reverse("governance:user-password", args=[world.users["supervisor"].pk])
    assert admin_client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    assert User.objects.get(pk=world.users["supervisor"].pk).check_password(NEW_PASSWORD)


# --- a password set by someone else is changed at the next login; everyone changes their own -------------------


def _log_in(username: str, password: str) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": password}).status_code == 302
    return client


def _change_own(client: Client, old: str, new: str):
    return client.post(reverse("password-change"),
                       {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_password_reset_by_staff_must_be_changed_at_the_next_login(world, clients):
    cadre = world.users["village_cadre"]
    url = reverse("governance:user-password", args=[cadre.pk])
    assert clients["staff"].post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    client = _log_in(cadre.username, NEW_PASSWORD)
    for page in (reverse("home"), reverse("governance:village-list")):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("password-change"), page
    assert client.get(reverse("governance:village-list"), HTTP_HX_REQUEST="true")["HX-Redirect"] == reverse(
        "password-change")
    page = client.get(reverse("password-change"))
    assert page.status_code == 200 and 'data-testid="must-change-password"' in page.content.decode()
    assert _change_own(client, NEW_PASSWORD, "my-own-secret-2026").status_code == 302
    cadre.refresh_from_db()
    assert not cadre.must_change_password and cadre.check_password("my-own-secret-2026")
    assert client.get(reverse("governance:village-list")).status_code == 200  # the session stays


def test_a_new_login_must_change_the_password_its_creator_chose(world, clients):
    assert _create(clients["staff"], villages=[world.village_a.pk]).status_code == 302
    assert User.objects.get(username="newlogin").must_change_password
    client = _log_in("newlogin", NEW_PASSWORD)
    assert client.get(reverse("home"))["Location"] == reverse("password-change")


def test_every_user_changes_their_own_password_from_the_user_menu(world, clients):
    for name in ("household_head", "supervisor", "staff"):
        home = clients[name].get(reverse("home")).content.decode()
        assert f'href="{reverse("password-change")}"' in home, name
    page = clients["grid_worker"].get(reverse("password-change")).content.decode()
    assert "旧密码" in page and "新密码" in page and "修改我的密码" in page
    response = _change_own(clients["grid_worker"], "wrong-old-password", "my-own-secret-2026")
    assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert _change_own(clients["grid_worker"], PASSWORD, "short").status_code == 200
    assert _change_own(clients["grid_worker"], PASSWORD, "my-own-secret-2026").status_code == 302
    assert User.objects.get(pk=world.users["grid_worker"].pk).check_password("my-own-secret-2026")
    assert clients["grid_worker"].get(reverse("home")).status_code == 200


def test_a_password_set_in_the_admin_must_be_changed_but_not_the_administrators_own(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True, role=User.Role.TOWNSHIP_STAFF,
                       township=world.township)
    admin = Client()
    admin.force_login(root)
    cadre = world.users["village_cadre"]
    form = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    for user in (cadre, root):
        response = admin.post(reverse("admin:auth_user_password_change",
                                      args=[user.pk]), form)
        assert response.status_code == 302
    cadre.refresh_from_db()
    root.refresh_from_db()
    assert cadre.must_change_password and cadre.check_password(NEW_PASSWORD)
    assert not root.must_change_password
    response = admin.post(reverse("admin:governance_user_add"), {"username": "fromadmin", **form})
    assert response.status_code == 302
    assert User.objects.get(username="fromadmin").must_change_password
