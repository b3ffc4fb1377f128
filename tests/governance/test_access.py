"""Who may do what on the organisation pages: 403 in scope without the role, 405 for the wrong method."""

import pytest
from django.urls import reverse

from tests.governance import scoping

CREATE_PAGES = [
    "governance:village-create", "governance:grid-create", "governance:head-appoint",
    "governance:user-create",
]  # the calendar's create page is the administrator's (test_privilege.py)
POST_ONLY = [
    "governance:village-delete", "governance:grid-delete", "governance:user-deactivate",
    "governance:user-activate", "governance:user-unlock", "governance:calendar-delete",
]
READ_ONLY = ["governance:village-detail", "governance:grid-detail", "governance:head-detail", "governance:user-detail"]


@pytest.mark.parametrize("url_name", CREATE_PAGES)
def test_only_township_staff_may_open_the_create_pages(url_name, world, clients):
    assert clients["staff"].get(reverse(url_name)).status_code == 200
    for who in ("supervisor", "village_cadre", "township_cadre", "grid_worker", "household_head"):
        assert clients[who].get(reverse(url_name)).status_code == 403, who
        assert clients[who].post(reverse(url_name), {}).status_code == 403, who


@pytest.mark.parametrize("url_name", POST_ONLY)
def test_actions_answer_405_to_a_get(url_name, world, clients):
    kwargs = scoping.objects_in(world, world.village_a)[url_name]
    assert clients["staff"].get(reverse(url_name, kwargs=kwargs)).status_code == 405


@pytest.mark.parametrize("url_name", READ_ONLY)
def test_detail_pages_answer_405_to_a_post(url_name, world, clients):
    kwargs = scoping.objects_in(world, world.village_a)[url_name]
    assert clients["staff"].post(reverse(url_name, kwargs=kwargs)).status_code == 405


@pytest.mark.parametrize("url_name", ["governance:grid-merge", "governance:head-end-term", "governance:user-password"])
def test_form_actions_answer_405_to_other_methods(url_name, world, clients):
    kwargs = scoping.objects_in(world, world.village_a)[url_name]
    assert clients["staff"].put(reverse(url_name, kwargs=kwargs)).status_code == 405


def test_the_grid_cascade_answers_405_to_a_post(world, clients):
    assert clients["staff"].post(reverse("governance:grid-options")).status_code == 405


def test_readers_see_no_manage_buttons(world, clients):
    body = clients["supervisor"].get(reverse("governance:head-detail", args=[world.head_a1.pk])).content.decode()
    assert reverse("governance:head-end-term", args=[world.head_a1.pk]) not in body
    body = clients["staff"].get(reverse("governance:head-detail", args=[world.head_a1.pk])).content.decode()
    assert reverse("governance:head-end-term", args=[world.head_a1.pk]) in body
    lists = clients["village_cadre"].get(reverse("governance:village-list")).content.decode()
    assert reverse("governance:village-create") not in lists


def test_a_refused_action_by_a_supervisor_changes_nothing(world, clients):
    url = reverse("governance:head-end-term", args=[world.head_a1.pk])
    assert clients["supervisor"].post(url, {"ended_on": "2026-06-30", "reason": "x"}).status_code == 403
    world.head_a1.refresh_from_db()
    assert world.head_a1.in_office
