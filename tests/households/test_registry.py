"""The registry: households and residents, derived fields, duplicates, masking, reveals and focus tags."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from households.models import Household, Resident, RevealLog
from tests.factories import HouseholdFactory, tag, tag_with
from tests.households.factories import ResidentFactory

FULL_ID = "510723195803081234"
MASKED_ID = "510723********1234"


def _resident_data(**overrides):
    data = {"name": "张伟", "id_number": "11010519491231002X", "phone": "+86 139 0000 1111", "relation": "spouse",
            "status": "at_home", "notes": ""}
    data.update(overrides)
    return data


def test_village_cadre_creates_a_household_in_their_village(world, clients):
    response = clients["village_cadre"].post(reverse("households:create"), {
        "grid": world.grid_a1.pk, "household_head": world.head_a1.pk, "head_name": "陈明", "address": "桃源村一组",
        "house_number": "一组12号", "residence_type": "permanent",
    })
    household = Household.objects.get(head_name="陈明")
    assert response.status_code == 302
    assert household.household_head == world.head_a1
    assert household.history.count() == 1


def test_a_household_cannot_be_created_in_a_grid_outside_the_users_scope(world, clients):
    response = clients["village_cadre"].post(reverse("households:create"), {
        "grid": world.grid_b1.pk, "head_name": "陈明", "address": "柳湾村", "residence_type": "permanent",
    })
    assert response.status_code == 200
    assert not Household.objects.filter(head_name="陈明").exists()


def test_a_household_head_of_another_grid_is_refused(world, clients, registry):
    from tests.factories import HouseholdHeadFactory

    other = HouseholdHeadFactory(grid=world.grid_a2)
    response = clients["staff"].post(reverse("households:update", args=[registry.a1.pk]), {
        "grid": world.grid_a1.pk, "household_head": other.pk, "head_name": "李建华", "address": "桃源村一组",
        "residence_type": "permanent",
    })
    assert response.status_code == 200
    registry.a1.refresh_from_db()
    assert registry.a1.household_head == world.head_a1


def test_birth_date_and_gender_come_from_the_id_number(world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a1.pk]), _resident_data())
    assert response.status_code == 302
    resident = Resident.objects.get(name="张伟")
    assert resident.birth_date == dt.date(1949, 12, 31)
    assert resident.gender == "female"
    assert resident.phone == "13900001111"
    assert resident.township == world.township


def test_a_wrong_check_digit_keeps_what_was_typed_and_says_why(world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a1.pk]),
                                     _resident_data(id_number="110105194912310021"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验位" in body
    assert 'value="张伟"' in body


def test_an_unknown_area_code_warns_and_saves(world, clients, registry):
    from households.idnumbers import check_char

    number = "99010519491231002" + check_char("99010519491231002")
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a1.pk]),
                                     _resident_data(id_number=number), follow=True)
    assert Resident.objects.filter(id_number=number).exists()
    assert "地区码" in response.content.decode()


def test_a_duplicate_id_number_is_refused_naming_the_record_in_scope(world, clients, registry):
    response = clients["staff"].post(reverse("households:resident-create", args=[registry.a2.pk]),
                                     _resident_data(id_number=FULL_ID))
    body = response.content.decode()
    assert response.status_code == 200
    assert "已登记" in body and "李建华" in body
    assert Resident.objects.filter(id_number=FULL_ID).count() == 1


def test_a_duplicate_outside_the_users_scope_is_refused_without_naming_it(world, clients, registry):
    response = clients["village_cadre_b"].post(reverse("households:resident-create", args=[registry.b1.pk]),
                                               _resident_data(id_number=FULL_ID))
    body = response.content.decode()
    assert response.status_code == 200
    assert "已在本镇登记" in body
    assert "李建华" not in body
    assert Resident.objects.filter(id_number=FULL_ID).count() == 1


def test_the_same_id_number_may_be_registered_in_another_township(world, login_client, registry):
    from governance.models import User
    from tests.factories import GridFactory, UserFactory, VillageFactory

    grid = GridFactory(village=VillageFactory(township=world.other_township))
    household = HouseholdFactory(grid=grid)
    staff = UserFactory(role=User.Role.TOWNSHIP_STAFF, township=world.other_township)
    response = login_client(staff).post(reverse("households:resident-create", args=[household.pk]),
                                        _resident_data(id_number=FULL_ID))
    assert response.status_code == 302
    assert Resident.objects.filter(id_number=FULL_ID).count() == 2


def test_editing_a_resident_never_sends_the_full_number_and_blank_keeps_it(world, clients, registry):
    url = reverse("households:resident-update", args=[registry.resident_a1.pk])
    body = clients["staff"].get(url).content.decode()
    assert FULL_ID not in body and "13812345678" not in body
    assert MASKED_ID in body
    response = clients["staff"].post(url, _resident_data(name="李建华", id_number="", phone="", relation="head"))
    assert response.status_code == 302
    registry.resident_a1.refresh_from_db()
    assert registry.resident_a1.id_number == FULL_ID
    assert registry.resident_a1.phone == "13812345678"


def test_household_page_masks_id_numbers_and_phones_and_shows_no_birth_date(world, clients, registry):
    body = clients["staff"].get(reverse("households:detail", args=[registry.a1.pk])).content.decode()
    assert MASKED_ID in body and "138****5678" in body
    assert FULL_ID not in body and "13812345678" not in body
    assert "1958-03-08" not in body and "1958年" not in body


def test_resident_list_masks_and_shows_no_birth_date(world, clients, registry):
    body = clients["staff"].get(reverse("households:resident-list")).content.decode()
    assert MASKED_ID in body and "138****5678" in body
    assert FULL_ID not in body and "13812345678" not in body
    assert "1958" not in body.replace(MASKED_ID, "")


def test_a_reveal_shows_the_value_and_writes_a_log_row(world, clients, registry):
    url = reverse("households:resident-reveal", args=[registry.resident_a1.pk])
    response = clients["staff"].post(url, {"field": "id_number", "reason": "核对低保申请材料"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert FULL_ID in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.user, log.resident, log.field, log.reason) == (
        world.users["staff"], registry.resident_a1, "id_number", "核对低保申请材料")
    assert log.township == world.township and log.ip_address == "127.0.0.1"


def test_a_reveal_without_a_reason_shows_nothing_and_logs_nothing(world, clients, registry):
    url = reverse("households:resident-reveal", args=[registry.resident_a1.pk])
    response = clients["staff"].post(url, {"field": "phone", "reason": ""})
    assert response.status_code == 400
    assert "13812345678" not in response.content.decode()
    assert not RevealLog.objects.exists()


def test_a_grid_worker_may_not_reveal(world, clients, registry):
    url = reverse("households:resident-reveal", args=[registry.resident_a1.pk])
    response = clients["grid_worker"].post(url, {"field": "id_number", "reason": "想看看"})
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


def test_a_reveal_by_get_is_not_allowed(world, clients, registry):
    url = reverse("households:resident-reveal", args=[registry.resident_a1.pk])
    assert clients["staff"].get(url).status_code == 405


def test_township_staff_read_the_reveal_log_and_others_may_not(world, clients, registry):
    RevealLog.objects.create(township=world.township, resident=registry.resident_a1, subject="李建华",
                             field="phone", reason="联系本人核实", user=world.users["village_cadre"])
    body = clients["staff"].get(reverse("households:reveal-log")).content.decode()
    assert "联系本人核实" in body and "李建华" in body
    assert clients["village_cadre"].get(reverse("households:reveal-log")).status_code == 403
    assert clients["outsider"].get(reverse("households:reveal-log")).content.decode().count("联系本人核实") == 0


def test_focus_tags_are_hidden_from_grid_workers_and_household_heads(world, clients, registry):
    tag_with(registry.resident_a1, tag("focus-disciplined"), tag("veteran"))
    for persona in ("grid_worker", "household_head"):
        for url in (reverse("households:detail", args=[registry.a1.pk]), reverse("households:resident-list"),
                    reverse("households:list")):
            body = clients[persona].get(url).content.decode()
            assert "退役军人" in body, (persona, url)
            assert "受过党纪法规处理的" not in body, (persona, url)
    assert "受过党纪法规处理的" in clients["village_cadre"].get(
        reverse("households:detail", args=[registry.a1.pk])).content.decode()


def test_a_grid_worker_saving_a_resident_keeps_the_focus_tag_they_cannot_see(world, clients, registry):
    tag_with(registry.resident_a1, tag("focus-disciplined"))
    response = clients["grid_worker"].post(
        reverse("households:resident-update", args=[registry.resident_a1.pk]),
        _resident_data(name="李建华", id_number="", phone="", relation="head", tags=[tag("veteran").pk]),
    )
    assert response.status_code == 302
    assert set(registry.resident_a1.tags.values_list("code", flat=True)) == {"focus-disciplined", "veteran"}


def test_filtering_by_tag_finds_residents_and_households_with_it(world, clients, registry):
    tag_with(registry.resident_a1, tag("elderly-alone"))
    tag_with(registry.b1, tag("subsistence"))
    body = clients["staff"].get(reverse("households:list"), {"tag": tag("elderly-alone").pk}).content.decode()
    assert "李建华" in body and "王建国" not in body and "赵秀兰" not in body
    body = clients["staff"].get(reverse("households:resident-list"), {"tag": tag("subsistence").pk}).content.decode()
    assert "赵秀兰" in body and "李建华" not in body


def test_the_household_page_shows_members_tags_head_grid_and_visits(world, clients, registry):
    from tests.factories import VisitFactory

    tag_with(registry.a1, tag("subsistence"))
    VisitFactory(grid=world.grid_a1, households=[registry.a1], visited_on=dt.date(2026, 11, 1), notes="了解春耕情况")
    body = clients["household_head"].get(reverse("households:detail", args=[registry.a1.pk])).content.decode()
    for text in ("李建华", "低保/特困", "马林", "第一网格", "桃源村", "了解春耕情况"):
        assert text in body


def test_a_household_head_cannot_edit_households(world, clients, registry):
    assert clients["household_head"].get(reverse("households:update", args=[registry.a1.pk])).status_code == 403
    assert clients["household_head"].get(reverse("households:create")).status_code == 403


def test_a_household_head_sees_only_their_linked_households(world, clients, registry):
    # The table only: the page also shows the user's own name, a random one that can be one of these.
    body = clients["household_head"].get(reverse("households:list")).content.decode().split("<tbody", 1)[1]
    assert "李建华" in body and "王建国" not in body and "赵秀兰" not in body


def test_the_disputes_panel_is_loaded_only_when_its_url_exists(world, clients, registry):
    body = clients["staff"].get(reverse("households:detail", args=[registry.a1.pk])).content.decode()
    from django.urls import NoReverseMatch

    try:
        reverse("disputes:household-panel", args=[registry.a1.pk])
        assert 'data-testid="disputes-panel"' in body
    except NoReverseMatch:
        assert 'data-testid="disputes-panel"' not in body


def test_residents_of_the_other_township_never_show(world, clients, registry, login_client):
    body = clients["outsider"].get(reverse("households:resident-list")).content.decode()
    assert "李建华" not in body and "赵秀兰" not in body


def test_resident_factory_numbers_are_valid(db):
    resident = ResidentFactory()
    from households.idnumbers import parse

    parse(resident.id_number)


def test_the_household_list_shows_member_counts_and_sorts_by_them(world, clients, registry):
    """Members are counted from the rows on the page; sorting by the column still orders the whole list."""
    crowded = HouseholdFactory(grid=world.grid_a1, head_name="多口之家")
    for _ in range(5):
        ResidentFactory(household=crowded)
    table = "households:list"
    body = clients["staff"].get(reverse(table), {"sort": "-member_count"}).content.decode()
    first_row = body.split("<tbody")[1].split("</tr>")[0]
    assert "多口之家" in first_row and ">5<" in first_row.replace(" ", "")
    body = clients["staff"].get(reverse(table), {"sort": "member_count"}).content.decode()
    assert "多口之家" not in body.split("<tbody")[1].split("</tr>")[0]


def test_a_household_with_a_tag_on_household_and_member_is_listed_once(world, clients, registry):
    tag_with(registry.resident_a1, tag("elderly-alone"))
    tag_with(registry.resident_a1.household, tag("elderly-alone"))
    body = clients["staff"].get(reverse("households:list"), {"tag": tag("elderly-alone").pk}).content.decode()
    assert body.count(f'href="{reverse("households:detail", args=[registry.resident_a1.household_id])}"') == 1


def test_searching_a_members_name_finds_the_household_within_the_users_scope_only(world, clients, registry):
    """Members are looked up across the user's township; the scope still decides which households show."""
    ResidentFactory(household=registry.a2, name="周子涵")
    ResidentFactory(household=registry.b1, name="周子墨")
    url = reverse("households:list")
    staff = clients["staff"].get(url, {"q": "周子"}).content.decode()
    assert "王建国" in staff and "赵秀兰" in staff and "李建华" not in staff
    cadre = clients["village_cadre"].get(url, {"q": "周子"}).content.decode()
    assert "王建国" in cadre and "赵秀兰" not in cadre
    outsider = clients["outsider"].get(url, {"q": "周子"}).content.decode()
    assert "王建国" not in outsider and "赵秀兰" not in outsider


def test_the_tag_filter_finds_members_tags_within_the_users_scope_only(world, clients, registry):
    """Members with the tag are looked up across the user's township; the scope still decides which households show."""
    tag_with(registry.resident_b1, tag("elderly-alone"))
    tag_with(ResidentFactory(household=registry.a2), tag("elderly-alone"))
    url = reverse("households:list")
    params = {"tag": tag("elderly-alone").pk}
    staff = clients["staff"].get(url, params).content.decode()
    assert "王建国" in staff and "赵秀兰" in staff and "李建华" not in staff
    cadre = clients["village_cadre"].get(url, params).content.decode()
    assert "王建国" in cadre and "赵秀兰" not in cadre


def test_the_tags_column_shows_the_households_then_the_members_tags_once_each(world, clients, registry):
    """Household's own tags first, then each member's (member by member, a member's in the tags' order), none twice,
    focus tags only to those who may see them; the member count beside them. The export's columns say the same."""
    household = HouseholdFactory(grid=world.grid_a1, head_name="标签之家")
    tag_with(household, tag("subsistence"))
    first, second, third = (ResidentFactory(household=household) for _ in range(3))
    tag_with(first, tag("veteran"), tag("subsistence"))
    tag_with(second, tag("focus-disciplined"), tag("elderly-alone"), tag("veteran"))
    url = reverse("households:list")

    def row(persona):
        body = clients[persona].get(url, {"q": "标签之家"}).content.decode()
        cells = body.split("<tbody")[1].split("</tr>")[0].split("<td")
        return [c.split(">", 1)[1].rsplit("</td", 1)[0] for c in cells[1:]]

    staff = row("staff")
    assert staff[-2].strip() == "3"
    names = ["低保/特困", "退役军人", "独居老人", "受过党纪法规处理的"]
    assert [n for n in names if n in staff[-1]] == names
    assert sorted(names, key=staff[-1].index) == names
    assert all(staff[-1].count(n) == 1 for n in names)
    grid_worker = row("grid_worker")
    assert "受过党纪法规处理的" not in grid_worker[-1]
    assert sorted(["低保/特困", "退役军人", "独居老人"], key=grid_worker[-1].index) == ["低保/特困", "退役军人", "独居老人"]
    export = clients["staff"].get(url, {"q": "标签之家", "format": "csv"})
    lines = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].endswith(",3,低保/特困、退役军人、独居老人、受过党纪法规处理的"), lines[1]
    assert third.tags.count() == 0


def test_short_searches_ignore_case_where_there_is_case(world, clients, registry):
    """A one- or two-character term without case (Chinese) is matched as written; with letters, case is ignored."""
    HouseholdFactory(grid=world.grid_a1, head_name="欧阳明", house_number="Bx-7")
    url = reverse("households:list")
    for term in ("欧", "欧阳", "bx", "BX", "x-7", "X-7"):
        assert "欧阳明" in clients["staff"].get(url, {"q": term}).content.decode(), term
    assert "欧阳明" not in clients["staff"].get(url, {"q": "阳欧"}).content.decode()


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is small: ask whether an index can find the rows by the term (a bitmap scan needs a condition
        # its index answers; a plain index scan would read a whole index in order and filter).
        for method in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("term", ["王", "建国"])
def test_a_one_or_two_character_search_is_served_by_the_index_of_characters(db, term):
    """No trigram index serves a term under three characters; the index of the searched text's characters does
    (migration 0024), so a county's search does not read the text of every household or name in view."""
    from households.filters import ResidentFilter, search_households

    household = HouseholdFactory(head_name="王建国")
    ResidentFactory(household=household, name="王建国")
    plan = _plan(search_households(Household.objects.values("pk"), term))
    assert "households_household_search_chars" in plan, plan
    assert list(search_households(Household.objects.all(), term).values_list("head_name", flat=True)) == ["王建国"]
    residents = ResidentFilter({"q": term}, queryset=Resident.objects.all()).qs
    assert "households_resident_name_chars" in _plan(residents.values("pk"))
    assert list(residents.values_list("name", flat=True)) == ["王建国"]


def test_the_grid_dropdown_lists_the_users_grids_and_a_link_still_names_one_when_there_are_too_many(
        world, clients, registry, monkeypatch):
    """The grid choices are the user's grids, village first; beyond the dropdown's limit none are listed, and a grid
    named in a link is shown alone and filters the list."""
    import re

    from households import forms as registry_forms

    url = reverse("households:list")

    def grid_options(params=None):
        body = clients["staff"].get(url, params or {}).content.decode()
        select = re.search(r'<select name="grid".*?</select>', body, re.S).group(0)
        return re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select), body

    options, _body = grid_options()
    assert options[0] == ("", "---------")
    assert {int(pk) for pk, _ in options[1:]} == {world.grid_a1.pk, world.grid_a2.pk, world.grid_b1.pk}
    assert (str(world.grid_b1.pk), f"{world.village_b.name} {world.grid_b1.name}") in options
    monkeypatch.setattr(registry_forms, "MAX_CHOICES", 2)
    options, _body = grid_options()
    assert options == [("", "---------")]
    options, body = grid_options({"grid": world.grid_b1.pk})
    assert [pk for pk, _ in options] == ["", str(world.grid_b1.pk)]
    assert "赵秀兰" in body and "李建华" not in body
    options, _body = grid_options({"village": world.village_a.pk})
    assert {int(pk) for pk, _ in options[1:]} == {world.grid_a1.pk, world.grid_a2.pk}
