"""Users, roles and scopes, managed by township staff; a changed role or scope means logging in again."""

from django.urls import reverse

from governance.models import User
from tests.factories import GridFactory, UserFactory, VillageFactory

PASSWORD = "correct-horse-battery"


def _create(client, **data):
    base = {"username": "newcadre", "display_name": "新干部", "phone": "", "role": "village_cadre",
            "password1": "qingshi-2026-secure", "password2": "qingshi-2026-secure"}
    return client.post(reverse("governance:user-create"), {**base, **data})


def test_staff_creates_a_village_cadre_scoped_to_a_village_of_their_township(world, clients):
    response = _create(clients["staff"], villages=[world.village_a.pk])
    user = User.objects.get(username="newcadre")
    assert response.status_code == 302
    assert (user.role, user.township, list(user.villages.all())) == ("village_cadre", world.township, [world.village_a])
    assert not user.is_superuser and not user.is_staff
    assert user.check_password("qingshi-2026-secure")


def test_a_cadre_needs_villages_and_a_grid_worker_needs_grids(world, clients):
    response = _create(clients["staff"])
    assert "villages" in response.context["form"].errors
    response = _create(clients["staff"], role="grid_worker")
    assert "grids" in response.context["form"].errors
    response = _create(clients["staff"], role="grid_worker", grids=[world.grid_a1.pk], villages=[world.village_b.pk])
    user = User.objects.get(username="newcadre")
    assert response.status_code == 302
    assert list(user.grids.all()) == [world.grid_a1] and not user.villages.exists()  # only the scope the role uses


def test_passwords_shorter_than_ten_characters_or_common_are_refused(world, clients):
    for password in ("short-pw1", "1234567890", "password123"):
        response = _create(clients["staff"], villages=[world.village_a.pk], password1=password, password2=password)
        assert response.status_code == 200 and "password1" in response.context["form"].errors, password
    assert not User.objects.filter(username="newcadre").exists()


def test_the_create_form_offers_no_superuser_and_no_other_township(world, clients):
    form = clients["staff"].get(reverse("governance:user-create")).context["form"]
    assert not {"is_superuser", "is_staff", "township", "household_head"} & set(form.fields)
    assert "household_head" not in dict(form.fields["role"].choices)
    assert set(form.fields["villages"].queryset) == {world.village_a, world.village_b}
    foreign = VillageFactory(township=world.other_township)
    response = _create(clients["staff"], villages=[foreign.pk], is_superuser="on", is_staff="on")
    assert response.status_code == 200 and "villages" in response.context["form"].errors
    response = _create(clients["staff"], villages=[world.village_a.pk], is_superuser="on", is_staff="on")
    user = User.objects.get(username="newcadre")
    assert not user.is_superuser and not user.is_staff


def test_staff_see_and_manage_only_users_of_their_own_township_and_never_administrators(world, clients):
    admin = UserFactory(username="root", township=world.township, is_superuser=True, is_staff=True)
    rows = set(clients["staff"].get(reverse("governance:user-list")).context["table"].data.data)
    assert world.users["village_cadre"] in rows and world.users["outsider"] not in rows and admin not in rows
    for user in (admin, world.users["outsider"]):
        for name in ("user-detail", "user-edit", "user-password"):
            assert clients["staff"].get(reverse(f"governance:{name}", args=[user.pk])).status_code == 404
        assert clients["staff"].post(reverse("governance:user-deactivate", args=[user.pk])).status_code == 404
    assert User.objects.get(pk=admin.pk).is_active


def test_a_role_change_ends_the_users_sessions(world, clients):
    cadre = world.users["village_cadre"]
    assert clients["village_cadre"].get(reverse("home")).status_code == 200
    response = clients["staff"].post(reverse("governance:user-edit", args=[cadre.pk]), {
        "display_name": cadre.display_name, "phone": "", "role": "township_cadre", "villages": [world.village_a.pk],
    })
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.role == "township_cadre" and cadre.scope_version == 2
    assert clients["village_cadre"].get(reverse("home")).status_code == 302


def test_a_scope_change_ends_the_users_sessions_but_a_new_phone_does_not(world, clients):
    cadre = world.users["village_cadre"]
    url = reverse("governance:user-edit", args=[cadre.pk])
    data = {"display_name": "陈明", "phone": "13900001111", "role": "village_cadre", "villages": [world.village_a.pk]}
    assert clients["staff"].post(url, data).status_code == 302
    assert clients["village_cadre"].get(reverse("home")).status_code == 200
    assert clients["staff"].post(url, {**data, "villages": [world.village_a.pk, world.village_b.pk]}).status_code == 302
    assert clients["village_cadre"].get(reverse("home")).status_code == 302
    cadre.refresh_from_db()
    assert set(cadre.villages.all()) == {world.village_a, world.village_b}
    # After logging in again the new scope applies.
    clients["village_cadre"].post(reverse("login"), {"username": cadre.username, "password": PASSWORD})
    assert clients["village_cadre"].get(reverse("governance:village-detail", args=[world.village_b.pk])).status_code == 200


def test_the_user_history_shows_the_scope_change(world, clients):
    cadre = world.users["village_cadre"]
    clients["staff"].post(reverse("governance:user-edit", args=[cadre.pk]), {
        "display_name": cadre.display_name, "phone": "", "role": "village_cadre", "villages": [world.village_b.pk],
    })
    body = clients["staff"].get(reverse("governance:user-detail", args=[cadre.pk])).content.decode()
    assert "柳湾村" in body.split('data-testid="history"')[1]


def test_staff_cannot_change_their_own_role_or_deactivate_themselves(world, clients):
    staff = world.users["staff"]
    response = clients["staff"].post(reverse("governance:user-edit", args=[staff.pk]), {
        "display_name": "x", "phone": "", "role": "supervisor",
    })
    assert response.status_code == 200 and response.context["form"].errors  # not theirs to grant (test_privilege.py)
    response = clients["staff"].post(reverse("governance:user-edit", args=[staff.pk]), {
        "display_name": "x", "phone": "", "role": "village_cadre", "villages": [world.village_a.pk],
    })
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    clients["staff"].post(reverse("governance:user-deactivate", args=[staff.pk]))
    staff.refresh_from_db()
    assert staff.is_active and staff.role == "township_staff"


def test_deactivating_ends_the_session_and_activating_lets_the_user_log_in_again(world, clients, client):
    cadre = world.users["village_cadre"]
    assert clients["staff"].post(reverse("governance:user-deactivate", args=[cadre.pk])).status_code == 302
    assert clients["village_cadre"].get(reverse("home")).status_code == 302
    assert client.post(reverse("login"), {"username": cadre.username, "password": PASSWORD}).status_code == 200
    clients["staff"].post(reverse("governance:user-activate", args=[cadre.pk]))
    assert client.post(reverse("login"), {"username": cadre.username, "password": PASSWORD}).status_code == 302


def test_staff_resets_a_password_which_ends_the_old_sessions(world, clients, client):
    cadre = world.users["village_cadre"]
    url = reverse("governance:user-password", args=[cadre.pk])
    response = clients["staff"].post(url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200 and response.context["form"].errors
    response = clients["staff"].post(url, {"new_password1": "liuwan-village-2026", "new_password2": "liuwan-village-2026"})
    assert response.status_code == 302
    assert clients["village_cadre"].get(reverse("home")).status_code == 302
    assert client.post(reverse("login"), {"username": cadre.username, "password": "liuwan-village-2026"}).status_code == 302


def test_the_user_grid_choices_follow_the_township_and_the_village_cascade(world, clients):
    foreign_grid = GridFactory(village=VillageFactory(township=world.other_township))
    form = clients["staff"].get(reverse("governance:user-create")).context["form"]
    offered = {int(str(v)) for v, _ in form.fields["grids"].widget.choices if str(v)}
    assert offered == {world.grid_a1.pk, world.grid_a2.pk, world.grid_b1.pk}
    assert foreign_grid.pk not in offered
    village_select = str(form["village"])
    assert 'hx-get="/org/grids/options/?multiple=1"' in village_select and 'hx-target="#id_grids"' in village_select


def test_supervisors_read_users_but_other_roles_have_no_user_pages(world, clients):
    assert clients["supervisor"].get(reverse("governance:user-list")).status_code == 200
    assert clients["supervisor"].get(reverse("governance:user-create")).status_code == 403
    for who in ("village_cadre", "township_cadre", "grid_worker", "household_head"):
        assert clients[who].get(reverse("governance:user-list")).status_code == 403
        assert clients[who].get(reverse("governance:user-create")).status_code == 403
        assert clients[who].get(reverse("governance:calendar")).status_code == 403


def test_a_scope_change_in_the_admin_ends_the_users_sessions_too(world, clients, admin_client):
    cadre = world.users["village_cadre"]
    data = {
        "username": cadre.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00", "role": "village_cadre",
        "display_name": cadre.display_name, "phone": "", "township": world.township.pk,
        "villages": [world.village_a.pk, world.village_b.pk], "household_head": "",
    }
    response = admin_client.post(reverse("admin:governance_user_change", args=[cadre.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cadre.refresh_from_db()
    assert set(cadre.villages.all()) == {world.village_a, world.village_b} and cadre.scope_version == 2
    assert clients["village_cadre"].get(reverse("home")).status_code == 302


def test_staff_find_the_people_who_answer_for_a_village(world, clients):
    rows = clients["staff"].get(reverse("governance:user-list") + f"?village={world.village_a.pk}").context["table"]
    names = {u.username for u in rows.data.data}
    assert names == {"tcadre", "vcadre", "gworker", "gworker_a2", "head", "head2"}


def test_staff_filter_users_by_active_or_deactivated(world, clients):
    world.users["village_cadre_b"].is_active = False
    world.users["village_cadre_b"].save()
    url = reverse("governance:user-list")
    inactive = list(clients["staff"].get(url + "?is_active=false").context["table"].data.data)
    assert inactive == [world.users["village_cadre_b"]]
    active = set(clients["staff"].get(url + "?is_active=true").context["table"].data.data)
    assert world.users["village_cadre_b"] not in active and world.users["village_cadre"] in active
