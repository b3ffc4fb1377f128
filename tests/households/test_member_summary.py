"""The household list's members (count, names searched, tags shown and filtered) follow every change of the members:
the summary kept on the household (households/summary.py) is never what the list was before the change."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from households import services
from households.models import Household, Resident, RosterImport, Tag
from households.summary import refresh_summary
from tests.factories import HouseholdFactory, tag, tag_with
from tests.households.factories import ResidentFactory
from tests.households.rosters import person, xlsx_bytes

LIST = "households:list"


def _row(client, household, **params) -> str | None:
    """The list row of ``household`` (None when the list does not show it)."""
    body = client.get(reverse(LIST), params).content.decode()
    link = f'href="{reverse("households:detail", args=[household.pk])}"'
    for row in body.split("<tbody", 1)[1].split("</tbody>", 1)[0].split("</tr>"):
        if link in row:
            return row
    return None


def _members_cell(row: str) -> str:
    return row.split("<td")[6].split(">", 1)[1].split("</td>", 1)[0].strip()


def _member_data(**overrides):
    data = {"name": "欧阳娜", "id_number": "11010519491231002X", "phone": "", "relation": "spouse", "status": "at_home",
            "notes": ""}
    data.update(overrides)
    return data


def test_adding_renaming_and_tagging_a_member_through_the_pages_shows_in_the_list(world, clients, registry):
    staff = clients["staff"]
    household = registry.a2
    assert _members_cell(_row(staff, household)) == "0"
    assert _row(staff, household, q="欧阳") is None

    response = staff.post(reverse("households:resident-create", args=[household.pk]), _member_data())
    assert response.status_code == 302
    assert _members_cell(_row(staff, household)) == "1"
    assert _row(staff, household, q="欧阳") is not None
    veteran = tag("veteran")
    assert _row(staff, household, tag=veteran.pk) is None

    member = Resident.objects.get(name="欧阳娜")
    response = staff.post(reverse("households:resident-update", args=[member.pk]),
                          _member_data(name="司马懿", id_number="", tags=[veteran.pk]))
    assert response.status_code == 302
    assert _row(staff, household, q="欧阳") is None
    row = _row(staff, household, q="司马")
    assert row is not None and veteran.name in row
    assert _row(staff, household, tag=veteran.pk) is not None

    response = staff.post(reverse("households:resident-update", args=[member.pk]),
                          _member_data(name="司马懿", id_number="", tags=[]))
    assert response.status_code == 302
    assert _row(staff, household, tag=veteran.pk) is None
    assert veteran.name not in _row(staff, household)


def test_a_household_saved_from_a_form_opened_before_a_member_was_added_keeps_the_member(world, clients, registry):
    staff = clients["staff"]
    household = registry.a2
    edit = reverse("households:update", args=[household.pk])
    version = staff.get(edit).context["form"]["version"].value()
    ResidentFactory(household=household, name="后来者")
    stale = Household.objects.get(pk=household.pk)
    ResidentFactory(household=household, name="又一位")
    response = staff.post(edit, {
        "grid": world.grid_a2.pk, "head_name": "王建国", "address": "桃源村二组", "house_number": "二组05号",
        "residence_type": "floating", "version": version,
    })
    assert response.status_code == 302
    stale.address = "改过的地址"
    services.household_save(household=stale)  # an object read before the second member: the service counts it
    assert _members_cell(_row(staff, household)) == "2"
    assert _row(staff, household, q="又一位") is not None


def test_tags_removed_and_members_deleted_show_in_the_list(world, clients, registry):
    staff = clients["staff"]
    elderly, subsistence = tag("elderly-alone"), tag("subsistence")
    services.resident_tags_set(resident=registry.resident_a1, tags=[elderly])
    services.household_tags_set(household=registry.b1, tags=[subsistence])
    assert _row(staff, registry.a1, tag=elderly.pk) is not None
    assert _row(staff, registry.b1, tag=subsistence.pk) is not None
    services.resident_tags_set(resident=registry.resident_a1, tags=[])
    services.household_tags_set(household=registry.b1, tags=[])
    assert _row(staff, registry.a1, tag=elderly.pk) is None
    assert _row(staff, registry.b1, tag=subsistence.pk) is None

    services.resident_delete(resident=registry.resident_b1)
    assert _members_cell(_row(staff, registry.b1)) == "0"
    assert _row(staff, registry.b1, q="赵秀兰") is not None  # still the household head's name on the household


def test_a_resident_moved_to_another_household_counts_in_the_new_one_only(world, clients, registry):
    staff = clients["staff"]
    member = registry.resident_a1
    services.resident_move(resident=member, household=registry.a2)
    assert _members_cell(_row(staff, registry.a1)) == "0"
    assert _members_cell(_row(staff, registry.a2)) == "1"
    assert _row(staff, registry.a2, q="李建华") is not None


def test_an_imported_roster_is_counted_searched_and_tagged_in_the_list(world, clients):
    staff = clients["staff"]
    rows = [person(n) for n in range(6)]
    rows[1]["特殊群体"] = "独居老人"
    upload = SimpleUploadedFile("花名册.xlsx", xlsx_bytes(rows),
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    staff.post(reverse("households:import"), {"file": upload})
    roster_import = RosterImport.objects.get()
    staff.post(reverse("households:import-commit", args=[roster_import.pk]), {"mode": "all"})
    first = Resident.objects.get(name="测试001").household
    row = _row(staff, first, q="测试001")
    assert row is not None and _members_cell(row) == "3" and "独居老人" in row
    assert _row(staff, first, tag=tag("elderly-alone").pk) is not None
    second = Resident.objects.get(name="测试004").household
    assert _row(staff, second, tag=tag("elderly-alone").pk) is None


def test_refreshing_writes_what_the_members_are(world, registry):
    household = HouseholdFactory(grid=world.grid_a1)
    tag_with(household, tag("subsistence"))
    first, second = ResidentFactory(household=household, name="甲"), ResidentFactory(household=household, name="乙")
    tag_with(second, tag("veteran"), tag("subsistence"))
    tag_with(first, tag("elderly-alone"))
    Household.objects.filter(pk=household.pk).update(member_count=0, search_text="", tag_ids="")  # as if stale
    refresh_summary([household.pk, None, 10**9])
    household.refresh_from_db()
    order = {t.pk: t for t in Tag.objects.all()}
    assert household.member_count == 2
    assert household.search_text == "\n".join([household.head_name, household.house_number, household.address, "甲", "乙"])
    assert [order[int(pk)].code for pk in household.tag_ids.strip(",").split(",")] == [
        "subsistence", "elderly-alone", "veteran"]


def test_a_member_tagged_and_deleted_in_the_admin_shows_in_the_summary(world, registry, admin_client):
    member = registry.resident_a1
    veteran = tag("veteran")
    page = admin_client.get(reverse("admin:households_resident_change", args=[member.pk]))
    data = {name: value for name, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update(household=member.household_id, township=member.township_id, tags=[veteran.pk], name="改名了")
    response = admin_client.post(reverse("admin:households_resident_change", args=[member.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    household = Household.objects.get(pk=member.household_id)
    assert household.tag_ids == f",{veteran.pk}," and "改名了" in household.search_text.split("\n")

    admin_client.post(reverse("admin:households_resident_delete", args=[member.pk]), {"post": "yes"})
    assert Household.objects.get(pk=member.household_id).member_count == 0
