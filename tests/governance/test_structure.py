"""Villages and grids: pages to create and edit them, merges, and nothing with data hanging off it deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import structure
from governance.models import Grid, GridMerge, HouseholdHead, User, Village
from tests.factories import GridFactory, HouseholdFactory, HouseholdHeadFactory, UserFactory, VillageFactory


def test_staff_creates_a_village_in_their_own_township(world, clients):
    response = clients["staff"].post(
        reverse("governance:village-create"), {"name": "石桥村", "code": "510723105003", "kind": "village"}
    )
    village = Village.objects.get(name="石桥村")
    assert response.status_code == 302 and response["Location"] == village.get_absolute_url()
    assert village.township == world.township


def test_a_village_name_is_unique_in_its_township_and_the_form_says_so(world, clients):
    response = clients["staff"].post(reverse("governance:village-create"), {"name": "桃源村", "kind": "village"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    VillageFactory(township=world.other_township, name="石桥村")
    response = clients["staff"].post(reverse("governance:village-create"), {"name": "石桥村", "kind": "village"})
    assert response.status_code == 302


def test_a_bad_division_code_is_refused(world, clients):
    response = clients["staff"].post(reverse("governance:village-create"), {"name": "新村", "code": "12", "kind": "village"})
    assert "code" in response.context["form"].errors


def test_staff_edits_a_village_and_the_history_tab_shows_the_change(world, clients):
    url = reverse("governance:village-edit", args=[world.village_a.pk])
    response = clients["staff"].post(url, {"name": "桃源社区", "code": "", "kind": "community"},
                                     REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    record = world.village_a.history.first()
    assert (record.history_user, record.ip_address) == (world.users["staff"], "10.20.30.40")
    body = clients["staff"].get(reverse("governance:village-detail", args=[world.village_a.pk])).content.decode()
    assert 'data-testid="history"' in body
    assert "桃源村 → 桃源社区" in body and "10.20.30.40" in body


def test_staff_creates_a_grid_in_a_village_and_edits_its_leader_among_its_workers(world, clients):
    response = clients["staff"].post(reverse("governance:grid-create"), {"village": world.village_a.pk, "name": "第三网格"})
    grid = Grid.objects.get(village=world.village_a, name="第三网格")
    assert response.status_code == 302
    worker = UserFactory(role=User.Role.GRID_WORKER, township=world.township, grids=[grid])
    stranger = UserFactory(role=User.Role.GRID_WORKER, township=world.township, grids=[world.grid_a1])
    form = clients["staff"].get(reverse("governance:grid-edit", args=[grid.pk])).context["form"]
    assert set(form.fields["leader"].queryset) == {worker}
    url = reverse("governance:grid-edit", args=[grid.pk])
    assert clients["staff"].post(url, {"name": "第三网格", "leader": stranger.pk}).status_code == 200
    assert clients["staff"].post(url, {"name": "第三网格", "leader": worker.pk}).status_code == 302
    grid.refresh_from_db()
    assert grid.leader == worker


def test_staff_cannot_create_a_grid_in_another_townships_village(world, clients):
    foreign = VillageFactory(township=world.other_township)
    response = clients["staff"].post(reverse("governance:grid-create"), {"village": foreign.pk, "name": "第一网格"})
    assert response.status_code == 200 and "village" in response.context["form"].errors


def test_a_grid_name_is_unique_in_its_village(world, clients):
    response = clients["staff"].post(reverse("governance:grid-create"), {"village": world.village_a.pk, "name": "第一网格"})
    assert "name" in response.context["form"].errors


# --- merge ---------------------------------------------------------------------------------------------


def test_merging_a_grid_moves_its_households_heads_and_workers_and_keeps_it_readable(world, clients):
    households = [HouseholdFactory(grid=world.grid_a2) for _ in range(3)]
    head = HouseholdHeadFactory(grid=world.grid_a2)
    worker = UserFactory(role=User.Role.GRID_WORKER, township=world.township, grids=[world.grid_a2])
    version = worker.scope_version
    response = clients["staff"].post(
        reverse("governance:grid-merge", args=[world.grid_a2.pk]), {"into": world.grid_a1.pk, "reason": "人口外迁，合并管理"}
    )
    assert response.status_code == 302
    world.grid_a2.refresh_from_db()
    assert world.grid_a2.merged_into == world.grid_a1 and world.grid_a2.merged_at is not None
    for household in households:
        household.refresh_from_db()
        assert household.grid == world.grid_a1
        record = household.history.first()
        assert (record.history_user, record.ip_address) == (world.users["staff"], "127.0.0.1")
        assert record.history_change_reason
    head.refresh_from_db()
    assert head.grid == world.grid_a1
    assert {c.field for c in head.history.first().diff_against(head.history.all()[1]).changes} >= {"grid"}
    worker.refresh_from_db()
    assert set(worker.grids.all()) == {world.grid_a1, world.grid_a2} and worker.scope_version == version + 1
    merge = GridMerge.objects.get(source=world.grid_a2)
    assert (merge.target, merge.households_moved, merge.heads_moved, merge.merged_by) == (
        world.grid_a1, 3, 1, world.users["staff"]
    )
    page = clients["village_cadre"].get(reverse("governance:grid-detail", args=[world.grid_a2.pk]))
    assert page.status_code == 200 and 'data-testid="merge-record"' in page.content.decode()


def test_merged_grids_leave_the_dropdowns_but_stay_in_the_list(world, clients):
    structure.grid_merge(grid=world.grid_a2, into=world.grid_a1, reason="调整", by=None)
    rows = clients["staff"].get(reverse("governance:grid-list")).context["table"].data.data
    assert world.grid_a2 in list(rows)
    merged = clients["staff"].get(reverse("governance:grid-list") + "?status=merged").context["table"].data.data
    assert list(merged) == [world.grid_a2]
    form = clients["staff"].get(reverse("governance:head-move", args=[world.head_a1.pk])).context["form"]
    offered = {int(str(v)) for v, _ in form.fields["grid"].widget.choices if str(v)}
    assert world.grid_a2.pk not in offered


@pytest.mark.parametrize("case", ["itself", "other village", "already merged", "into merged"])
def test_refused_merges_say_why(world, case):
    grid_a3 = GridFactory(village=world.village_a)
    if case in ("already merged", "into merged"):
        structure.grid_merge(grid=grid_a3, into=world.grid_a1, reason="调整", by=None)
    source, target = {
        "itself": (world.grid_a1, world.grid_a1),
        "other village": (world.grid_a1, world.grid_b1),
        "already merged": (grid_a3, world.grid_a2),
        "into merged": (world.grid_a2, grid_a3),
    }[case]
    with pytest.raises(ValidationError):
        structure.grid_merge(grid=source, into=target, reason="调整", by=None)


def test_the_merge_form_offers_only_current_grids_of_the_same_village(world, clients):
    GridFactory(village=world.village_a, name="第三网格")
    form = clients["staff"].get(reverse("governance:grid-merge", args=[world.grid_a1.pk])).context["form"]
    names = {g.name for g in form.fields["into"].queryset}
    assert names == {"第二网格", "第三网格"}
    response = clients["staff"].post(
        reverse("governance:grid-merge", args=[world.grid_a1.pk]), {"into": world.grid_b1.pk, "reason": "x"}
    )
    assert response.status_code == 200 and "into" in response.context["form"].errors


# --- nothing with data hanging off it is deleted ---------------------------------------------------------


def test_a_grid_with_households_or_heads_cannot_be_deleted(world, clients):
    HouseholdFactory(grid=world.grid_a2)
    response = clients["staff"].post(reverse("governance:grid-delete", args=[world.grid_a2.pk]))
    assert response.status_code == 302 and Grid.objects.filter(pk=world.grid_a2.pk).exists()
    assert clients["staff"].post(reverse("governance:grid-delete", args=[world.grid_a1.pk])).status_code == 302
    assert Grid.objects.filter(pk=world.grid_a1.pk).exists()  # its household head hangs off it


def test_a_grid_with_workers_cannot_be_deleted(world):
    with pytest.raises(ValidationError):
        structure.grid_delete(grid=world.grid_a1)


def test_an_empty_grid_can_be_deleted_and_the_deletion_is_in_the_history(world, clients):
    grid = GridFactory(village=world.village_a)
    response = clients["staff"].post(reverse("governance:grid-delete", args=[grid.pk]))
    assert response.status_code == 302 and not Grid.objects.filter(pk=grid.pk).exists()
    assert Grid.history.filter(id=grid.pk, history_type="-").exists()


def test_a_village_with_grids_cannot_be_deleted_but_an_empty_one_can(world, clients):
    clients["staff"].post(reverse("governance:village-delete", args=[world.village_b.pk]))
    assert Village.objects.filter(pk=world.village_b.pk).exists()
    empty = VillageFactory(township=world.township)
    clients["staff"].post(reverse("governance:village-delete", args=[empty.pk]))
    assert not Village.objects.filter(pk=empty.pk).exists()


def test_a_village_with_cadres_cannot_be_deleted(world):
    village = VillageFactory(township=world.township)
    UserFactory(role=User.Role.VILLAGE_CADRE, township=world.township, villages=[village])
    with pytest.raises(ValidationError):
        structure.village_delete(village=village)


def test_a_head_with_terms_is_never_deleted_through_the_pages(world):
    url_names = [p.name for p in __import__("governance.urls", fromlist=["urlpatterns"]).urlpatterns]
    assert "head-delete" not in url_names
    assert HouseholdHead.objects.filter(pk=world.head_a1.pk).exists()
