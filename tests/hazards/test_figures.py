"""Every hazard figure links to the list that shows exactly its count; rates against the targets."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.services import assignment_for
from hazards import figures, services
from hazards.models import Hazard
from tests.hazards.factories import HazardFactory, advance, field

S = Hazard.Status


@pytest.fixture
def spread(world, today):
    staff, supervisor, worker = world.users["staff"], world.users["supervisor"], world.users["grid_worker"]

    def make(grid, status, **kwargs):
        return advance(HazardFactory(grid=grid, **kwargs), status, worker, checker=staff, approver=supervisor,
                       lead=staff)

    made = {
        "pending": make(world.grid_a1, S.PENDING),
        "rectifying": make(world.grid_a1, S.RECTIFYING, field=field("gas")),
        "overdue": make(world.grid_a2, S.RECTIFYING),
        "recheck": make(world.grid_a1, S.RECHECK, grade=Hazard.Grade.MAJOR),
        "closeout": make(world.grid_a2, S.CLOSEOUT),
        "closed": make(world.grid_b1, S.CLOSED),
        "closed_major": make(world.grid_b1, S.CLOSED, grade=Hazard.Grade.MAJOR),
        "transferred": make(world.grid_b1, S.TRANSFERRED),
        "controlled": make(world.grid_a1, S.CONTROLLED, field=field("geology")),
    }
    overdue = made["overdue"]
    Hazard.objects.filter(pk=overdue.pk).update(deadline=today - dt.timedelta(days=1))
    # One that failed its first re-check and then passed.
    second = made["closeout"]
    second_try = make(world.grid_a1, S.RECHECK)
    services.hazard_recheck(hazard=second_try, by=staff, on=today, passed=False, note="未整改到位",
                            new_deadline=today + dt.timedelta(days=3))
    made["second_try"] = second_try
    assert assignment_for(second).is_open is False
    return made


def _list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


@pytest.mark.parametrize("who", ["staff", "village_cadre", "grid_worker"])
def test_every_figure_equals_its_list(world, clients, spread, who, today):
    data = figures.summary(world.users[who], today=today)
    for key, url in data["urls"].items():
        assert data[key] == _list_count(clients[who], url), (who, key)
    for row in [*data["by_field"]]:
        assert row["open"] == _list_count(clients[who], row["url"]), (who, row["name"])
    for row in data["by_village"]:
        assert row["open"] == _list_count(clients[who], row["url"]), (who, row["name"])
        assert row["overdue"] == _list_count(clients[who], row["overdue_url"]), (who, row["name"])


def test_the_township_figures(world, spread, today, settings):
    data = figures.summary(world.users["staff"], today=today)
    assert (data["open"], data["overdue"], data["major_open"]) == (6, 1, 1)
    # 一般: 8 hazards less the handed-over one; rectified: the one awaiting close-out and the closed one.
    assert (data["general_rectified"], data["general_total"]) == (2, 7)
    assert (data["major_rectified"], data["major_total"]) == (1, 2)
    assert (data["first_passed_n"], data["first_checked_n"]) == (3, 4)
    assert data["general_below"] and data["major_below"]
    settings.HAZARDS_TARGET_GENERAL = 0.2
    assert not figures.summary(world.users["staff"], today=today)["general_below"]


def test_the_dashboard_loads_the_panel(world, clients, spread):
    page = clients["staff"].get(reverse("dashboards:home")).content.decode()
    assert 'data-testid="hazard-figures-slot"' in page
    panel = clients["staff"].get(reverse("hazards:figures"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="hz-open" data-count="6"' in panel
    full = clients["village_cadre"].get(reverse("hazards:figures"))
    assert full.status_code == 200 and 'data-testid="hz-open" data-count="6"' in full.content.decode()
