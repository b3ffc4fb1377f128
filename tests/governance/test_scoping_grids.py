"""Scoping inside a village: two grids with a worker each, two household heads of one grid (issue 18).

An object tied to a household or a grid belongs to that grid: its worker sees it, the worker of the other grid of
the village does not. An object tied to the village alone (a petition with no household, its 包案) is seen by
the village's cadres and the township, not by grid workers, unless they are lead or team of its 包案. A household
head sees their own linked households and what concerns them: not the other head's households, visits or demands.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import ResponsibilityAssignment
from disputes.models import Dispute
from disputes.services import dispute_assign
from households.models import Demand, Household, Resident, RevealLog, Visit
from petitions.models import Petition, Petitioner, ProgressEntry
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.factories import HouseholdFactory, ResidentFactory, VisitFactory
from tests.governance.test_scoping_matrix import MODULES, NOT_LOCATED, URL_NAMES, _objects, _status
from tests.households.factories import DemandFactory, VisitPhotoFactory
from tests.petitions.factories import assign, outsider, register, resident_petitioner

#: URL names whose object the matrix's ``objects_in`` places at the village, the township or nowhere, not in a grid:
#: a grid worker of the village may see those (or is refused by role), so they are not part of the grid check.
NOT_IN_A_GRID = {
    "governance:village-detail", "governance:village-edit", "governance:village-delete",
    "governance:user-detail", "governance:user-edit", "governance:user-password", "governance:user-deactivate",
    "governance:user-activate", "governance:user-unlock",
    "households:import-preview", "households:import-progress", "households:import-commit",
}
#: A module's scoping contract may name its own (``NOT_IN_A_GRID: dict[str, str]``, the reason as value): a 红黑榜 posted
#: for the village, a publicity event held for it, a training session of the township.
NOT_IN_A_GRID |= {name for module in MODULES.values() for name in getattr(module, "NOT_IN_A_GRID", {})}
GRID_URLS = [name for name in URL_NAMES if name not in NOT_IN_A_GRID and name not in NOT_LOCATED]


def _refused_as_missing(client, url: str) -> bool:
    get, post = _status(client, url)
    return {get, post} <= {404, 405} and 404 in (get, post)


def test_the_grid_check_covers_the_apps_of_the_matrix():
    assert {"households", "disputes", "petitions"} <= set(MODULES)
    assert "petitions:progress" in GRID_URLS and "disputes:detail" in GRID_URLS and "households:detail" in GRID_URLS


@pytest.mark.parametrize("url_name", GRID_URLS)
def test_the_worker_of_grid_a2_gets_404_for_every_object_of_grid_a1(url_name, world, clients):
    entries = _objects(world, world.village_a, url_name)  # objects_in places them in the village's first grid, A1
    url = reverse(url_name, kwargs=entries[url_name])
    assert _refused_as_missing(clients["grid_worker_a2"], url), f"grid_worker_a2 reaches {url}"


# --- The rule, model family by model family ---------------------------------------------------------------


@pytest.fixture
def grids(world):
    """One object of each family in grid A1, in grid A2, and (for petitions and their 包案) in village A alone."""
    staff = world.users["staff"]
    made = {}
    for key, grid in (("a1", world.grid_a1), ("a2", world.grid_a2)):
        household = HouseholdFactory(grid=grid, household_head=world.head_a1 if key == "a1" else None)
        resident = ResidentFactory(household=household)
        visit = VisitFactory(grid=grid, households=[household])
        demand = DemandFactory(visit=visit, household=household)
        dispute = DisputeFactory(grid=grid)
        PartyFactory(dispute=dispute, resident=resident)
        petition = register(by=staff, village=world.village_a, petitioners=[resident_petitioner(resident)])
        made[key] = {
            Household: household, Resident: resident, Visit: visit, Demand: demand, Dispute: dispute,
            Petition: petition,
            ResponsibilityAssignment: dispute_assign(dispute=dispute, by=staff, lead=staff, responsible_unit="综治中心",
                                                     deadline=timezone.localdate() + dt.timedelta(days=10)),
        }
        made[f"{key}-petition-assignment"] = assign(petition, by=staff, lead=staff)
    village_petition = register(by=staff, village=world.village_a, petitioners=[outsider()])
    made["village"] = {Petition: village_petition, ResponsibilityAssignment: assign(village_petition, by=staff, lead=staff)}
    return made


FAMILIES = [Household, Resident, Visit, Demand, Dispute, Petition, ResponsibilityAssignment]


def _sees(user, obj) -> bool:
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


@pytest.mark.parametrize("model", FAMILIES, ids=lambda m: m.__name__)
def test_each_grid_worker_sees_the_objects_of_their_own_grid_only(model, world, grids):
    a1, a2 = world.users["grid_worker"], world.users["grid_worker_a2"]
    assert _sees(a1, grids["a1"][model]) and not _sees(a1, grids["a2"][model])
    assert _sees(a2, grids["a2"][model]) and not _sees(a2, grids["a1"][model])
    for who in ("village_cadre", "township_cadre", "staff", "supervisor"):
        assert _sees(world.users[who], grids["a1"][model]) and _sees(world.users[who], grids["a2"][model]), who


def test_the_assignment_of_a_petition_takes_the_grid_of_its_household(world, grids):
    assert grids["a1-petition-assignment"].grid == world.grid_a1
    assert grids["village"][ResponsibilityAssignment].grid is None
    assert grids["a2"][ResponsibilityAssignment].grid == world.grid_a2  # a dispute's, from the dispute


@pytest.mark.parametrize("model", [Petition, ResponsibilityAssignment], ids=lambda m: m.__name__)
def test_a_case_of_the_village_alone_is_for_the_village_not_for_its_grid_workers(model, world, grids):
    case = grids["village"][model]
    assert _sees(world.users["village_cadre"], case) and _sees(world.users["township_cadre"], case)
    assert not _sees(world.users["grid_worker"], case) and not _sees(world.users["grid_worker_a2"], case)
    assert not _sees(world.users["household_head"], case) and not _sees(world.users["village_cadre_b"], case)


@pytest.mark.parametrize("model", [Petition, ResponsibilityAssignment], ids=lambda m: m.__name__)
def test_a_grid_worker_on_the_team_of_a_case_sees_it_wherever_it_is(model, world, grids):
    worker = world.users["grid_worker_a2"]
    grids["village"][ResponsibilityAssignment].team.add(worker)
    grids["a1-petition-assignment"].team.add(worker)
    assert _sees(worker, grids["village"][model])
    a1_case = grids["a1"][Petition] if model is Petition else grids["a1-petition-assignment"]
    assert _sees(worker, a1_case)


def test_a_household_head_sees_no_assignment_they_do_not_answer_for(world, grids):
    head = world.users["household_head"]
    assert not ResponsibilityAssignment.objects.visible_to(head).exists()
    grids["a1"][ResponsibilityAssignment].team.add(head)
    assert list(ResponsibilityAssignment.objects.visible_to(head)) == [grids["a1"][ResponsibilityAssignment]]


def test_a_dispute_moved_to_another_grid_takes_its_assignment_along(world, grids):
    from disputes.services import dispute_save_edit

    dispute = grids["a1"][Dispute]
    dispute.grid = world.grid_a2
    dispute_save_edit(dispute=dispute)
    assignment = ResponsibilityAssignment.objects.get(pk=grids["a1"][ResponsibilityAssignment].pk)
    assert assignment.grid == world.grid_a2
    assert not _sees(world.users["grid_worker"], assignment) and _sees(world.users["grid_worker_a2"], assignment)


# --- Pages: the petition of another grid, the 包案 list and the dashboard ---------------------------------


def test_the_worker_of_grid_a2_cannot_open_or_work_a_petition_of_grid_a1(world, clients, grids):
    petition = grids["a1"][Petition]
    client = clients["grid_worker_a2"]
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404
    response = client.post(reverse("petitions:progress", args=[petition.pk]),
                           {"done_on": timezone.localdate().isoformat(), "handler": "张三", "action": "入户了解情况"})
    assert response.status_code == 404
    assert not ProgressEntry.objects.filter(petition=petition).exists()


def _overdue(assignment) -> None:
    ResponsibilityAssignment.objects.filter(pk=assignment.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))


@pytest.mark.parametrize("who", ["grid_worker", "grid_worker_a2", "village_cadre", "household_head_2"])
def test_the_assignment_list_and_the_dashboard_count_what_visible_to_finds(who, world, clients, grids):
    for key in ("a1", "a2", "village"):
        _overdue(grids[key][ResponsibilityAssignment])
    user = world.users[who]
    visible = ResponsibilityAssignment.objects.visible_to(user)
    response = clients[who].get(reverse("dashboards:assignments"))
    if who == "household_head_2":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert {a.pk for a in response.context["table"].data} == set(visible.values_list("pk", flat=True))
    data = clients[who].get(reverse("dashboards:home")).context["data"]
    if data.get("personal"):
        return
    overdue = visible.filter(is_open=True, deadline__lt=timezone.localdate())
    assert data["board_total"] == overdue.count()
    assert {row["pk"] for row in data["board"]} == set(overdue.values_list("pk", flat=True))
    card = next(c for c in data["cards"] if c["key"] == "overdue")
    assert card["count"] == overdue.count()


def test_the_worker_of_grid_a2_does_not_meet_grid_a1_cases_on_the_board(world, clients, grids):
    _overdue(grids["a1"][ResponsibilityAssignment])
    body = clients["grid_worker_a2"].get(reverse("dashboards:home")).content.decode()
    assert grids["a1"][Dispute].number not in body and grids["a1"][Dispute].title not in body
    body = clients["grid_worker_a2"].get(reverse("dashboards:assignments")).content.decode()
    assert grids["a1"][Dispute].number not in body


LISTS = {
    "households:list": Household, "households:resident-list": Resident, "households:visit-list": Visit,
    "households:demand-list": Demand, "disputes:list": Dispute, "petitions:list": Petition,
}


@pytest.mark.parametrize("url_name", sorted(LISTS))
@pytest.mark.parametrize("who", ["grid_worker", "grid_worker_a2", "household_head", "household_head_2"])
def test_lists_count_what_visible_to_finds(url_name, who, world, clients, grids):
    world.shared_visit()
    model = LISTS[url_name]
    response = clients[who].get(reverse(url_name))
    if response.status_code == 403:
        return
    assert response.status_code == 200
    shown = {row.pk for row in response.context["table"].data}
    assert shown == set(model.objects.visible_to(world.users[who]).values_list("pk", flat=True)), who


# --- Two household heads of one grid -----------------------------------------------------------------------


def _first_heads_objects(world) -> dict[str, dict]:
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    resident = ResidentFactory(household=household)
    visit = VisitFactory(grid=world.grid_a1, households=[household])
    photo = VisitPhotoFactory(visit=visit)
    demand = DemandFactory(visit=visit, household=household)
    dispute = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=dispute, resident=resident)
    petition = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(resident)])
    objects = {name: {"pk": household.pk} for name in (
        "households:detail", "households:update", "households:resident-create", "disputes:household-panel",
        "petitions:household-panel")}
    objects |= {name: {"pk": resident.pk} for name in ("households:resident-update", "households:resident-reveal")}
    objects |= {name: {"pk": visit.pk} for name in (
        "households:visit-detail", "households:visit-comment", "households:demand-create")}
    objects["households:visit-photo"] = {"visit_pk": visit.pk, "pk": photo.pk}
    objects["households:demand-status"] = {"pk": demand.pk}
    objects["disputes:detail"] = {"pk": dispute.pk}
    objects["petitions:detail"] = {"pk": petition.pk}
    return objects


def test_the_second_head_gets_404_for_the_first_heads_households_visits_and_demands(world, clients):
    objects = _first_heads_objects(world)
    for url_name, kwargs in objects.items():
        url = reverse(url_name, kwargs=kwargs)
        assert _refused_as_missing(clients["household_head_2"], url), f"household_head_2 reaches {url}"
    for url_name in ("households:detail", "households:visit-detail", "disputes:detail", "petitions:detail"):
        url = reverse(url_name, kwargs=objects[url_name])
        assert clients["household_head"].get(url).status_code == 200, f"household_head should read {url}"


@pytest.mark.parametrize(("who", "own", "other"), [("household_head", 1, 2), ("household_head_2", 2, 1)])
def test_a_head_on_a_shared_visit_sees_only_their_own_household_and_its_demands(who, own, other, world, clients):
    visit, *households = world.shared_visit()
    mine, theirs = households[own - 1], households[other - 1]
    response = clients[who].get(reverse("households:visit-detail", args=[visit.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert list(response.context["households"]) == [mine]
    assert [d.household for d in response.context["demands"]] == [mine]
    assert theirs.head_name not in body and reverse("households:detail", args=[theirs.pk]) not in body
    assert list(response.context["demand_form"].fields["household"].queryset) == [mine]
    list_body = clients[who].get(reverse("households:visit-list")).content.decode()
    assert mine.head_name in list_body and theirs.head_name not in list_body


def test_a_head_cannot_raise_a_demand_against_the_other_heads_household(world, clients):
    visit, own, other = world.shared_visit()
    before = Demand.objects.count()
    clients["household_head_2"].post(reverse("households:demand-create", args=[visit.pk]),
                                      {"household": own.pk, "content": "替别户提诉求"})
    assert Demand.objects.count() == before
    clients["household_head_2"].post(reverse("households:demand-create", args=[visit.pk]), {"content": "修路"})
    assert Demand.objects.get(content="修路").household == other


def test_staff_and_the_grid_worker_see_both_households_of_a_shared_visit(world, clients):
    visit, own, other = world.shared_visit()
    for who in ("grid_worker", "village_cadre", "staff"):
        response = clients[who].get(reverse("households:visit-detail", args=[visit.pk]))
        assert set(response.context["households"]) == {own, other}, who
        assert len(response.context["demands"]) == 2, who
    assert clients["grid_worker_a2"].get(reverse("households:visit-detail", args=[visit.pk])).status_code == 404


# --- The repeat check ------------------------------------------------------------------------------------


def _petition_in_a1(world, subject=Petition.Subject.LAND) -> tuple[Petition, str]:
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
    petition = register(by=world.users["staff"], village=world.village_a, subject=subject,
                        petitioners=[resident_petitioner(resident)])
    return petition, resident.id_number


@pytest.mark.parametrize("who", ["household_head", "household_head_2"])
def test_the_repeat_check_answers_403_to_who_cannot_register_petitions(who, world, clients):
    _, number = _petition_in_a1(world)
    response = clients[who].get(reverse("petitions:repeat-check"), {"petitioners-0-id_number": number})
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


def test_the_repeat_check_says_only_that_there_are_cases_elsewhere_and_logs_it(world, clients):
    petition, number = _petition_in_a1(world)
    client = clients["grid_worker_a2"]
    bodies = []
    for subject in ("land", "environment", ""):
        response = client.get(reverse("petitions:repeat-check"), {
            "subject": subject, "village": world.village_a.pk, "petitioners-0-id_number": number})
        assert response.status_code == 200
        assert response.context["candidates"]["visible"] == []
        assert response.context["candidates"]["elsewhere"] is True
        bodies.append(response.content.decode())
    body = bodies[0]
    assert petition.number not in body and str(petition.get_subject_display()) not in body
    assert "on this subject" not in body and "同一问题" not in body
    assert bodies[0] == bodies[1] == bodies[2]  # trying subjects tells nothing
    logs = RevealLog.objects.filter(user=world.users["grid_worker_a2"])
    assert logs.count() == 3
    log = logs.first()
    assert log.field == RevealLog.Field.ID_NUMBER and petition.number in log.reason
    assert log.resident_id == Petitioner.objects.get(petition=petition).resident_id
    assert log.township == world.township


def test_the_repeat_check_shows_the_registrar_their_own_cases_and_logs_nothing(world, clients):
    petition, number = _petition_in_a1(world)
    response = clients["grid_worker"].get(reverse("petitions:repeat-check"), {
        "subject": "land", "village": world.village_a.pk, "petitioners-0-id_number": number})
    assert response.context["candidates"]["visible"] == [petition]
    assert response.context["candidates"]["elsewhere"] is False
    assert petition.number in response.content.decode()
    assert not RevealLog.objects.exists()


def test_the_data_migrations_fill_the_grid_of_existing_assignments(world, grids):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    ResponsibilityAssignment.objects.update(grid=None)
    for app in ("disputes", "petitions"):
        # The models as that migration sees them (the assignment was governance's then).
        apps = MigrationLoader(connection).project_state((app, "0003_assignment_grid"), at_end=True).apps
        importlib.import_module(f"{app}.migrations.0003_assignment_grid").fill_grid(apps, None)
    assert ResponsibilityAssignment.objects.get(pk=grids["a1"][ResponsibilityAssignment].pk).grid == world.grid_a1
    assert ResponsibilityAssignment.objects.get(pk=grids["a2-petition-assignment"].pk).grid == world.grid_a2
    assert ResponsibilityAssignment.objects.get(pk=grids["village"][ResponsibilityAssignment].pk).grid is None
