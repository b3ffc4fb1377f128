"""Every organisation page renders for township staff (the calendar's edit pages for the administrator)."""

import pytest
from django.urls import reverse

from governance.models import CalendarDay
from tests.factories import HouseholdFactory, HouseholdHeadFactory


@pytest.fixture
def data(world):
    HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    return world


def test_every_page_renders_for_township_staff(data, clients):
    w = data
    c = clients["staff"]
    urls = [
        reverse("governance:village-list"), reverse("governance:village-create"),
        reverse("governance:village-detail", args=[w.village_a.pk]), reverse("governance:village-edit", args=[w.village_a.pk]),
        reverse("governance:grid-list"), reverse("governance:grid-create"),
        reverse("governance:grid-detail", args=[w.grid_a1.pk]), reverse("governance:grid-edit", args=[w.grid_a1.pk]),
        reverse("governance:grid-merge", args=[w.grid_a1.pk]), reverse("governance:grid-options") + f"?village={w.village_a.pk}",
        reverse("governance:head-list"), reverse("governance:head-appoint"),
        reverse("governance:head-detail", args=[w.head_a1.pk]), reverse("governance:head-edit", args=[w.head_a1.pk]),
        reverse("governance:head-end-term", args=[w.head_a1.pk]), reverse("governance:head-move", args=[w.head_a1.pk]),
        reverse("governance:head-reappoint", args=[w.head_a1.pk]),
        reverse("governance:user-list"), reverse("governance:user-create"),
        reverse("governance:user-create") + f"?head={HouseholdHeadFactory(grid=w.grid_a2).pk}",
        reverse("governance:user-detail", args=[w.users["village_cadre"].pk]),
        reverse("governance:user-edit", args=[w.users["village_cadre"].pk]),
        reverse("governance:user-password", args=[w.users["village_cadre"].pk]),
        reverse("governance:calendar"),
    ]
    for url in urls:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)


def test_the_calendar_pages_render_for_the_administrator(data, admin_client):
    day = CalendarDay.objects.first()
    for url in (reverse("governance:calendar"), reverse("governance:calendar-create"),
                reverse("governance:calendar-edit", args=[day.pk])):
        assert admin_client.get(url).status_code == 200, url
