"""Search finds people by their numbers (#29 item 3): households and residents by a member's whole ID number, its last 4
or 6 digits, or a phone (whole or last 4); petitions by a petitioner's ID number or phone. The results stay masked and
scoped, and the search is served by an index on the reversed number, not a scan."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from households.idnumbers import make_id_number
from households.models import Resident
from petitions.models import Petitioner
from tests.factories import HouseholdFactory, ResidentFactory
from tests.petitions.factories import PetitionerData, register


@pytest.fixture
def person(world):
    household = HouseholdFactory(grid=world.grid_a1, head_name="号码户")
    resident = ResidentFactory(household=household, name="张号码", phone="13987651234")
    HouseholdFactory(grid=world.grid_a1, head_name="别的户")
    return resident


def _rows(body: str) -> str:
    """The rows of the list (the search box and the sorting links repeat what was typed: the user's own words)."""
    return body[body.index("<tbody"):body.index("</tbody>")]


def _terms(resident):
    return [resident.id_number, resident.id_number[-4:], resident.id_number[-6:], resident.phone,
            resident.phone[-4:], resident.phone[:3] + " " + resident.phone[3:7] + " " + resident.phone[7:]]


def test_households_are_found_by_a_members_id_number_or_phone_and_show_them_masked(world, clients, person):
    client = clients["village_cadre"]
    for term in _terms(person):
        response = client.get(reverse("households:list"), {"q": term})
        body = response.content.decode()
        assert response.context["table"].paginator.count == 1, term
        assert "号码户" in body and "别的户" not in body, term
        assert person.id_number not in _rows(body) and person.phone not in _rows(body), term


def test_residents_are_found_by_id_number_or_phone_never_shown_in_full(world, clients, person):
    for term in _terms(person):
        response = clients["grid_worker"].get(reverse("households:resident-list"), {"q": term})
        body = response.content.decode()
        assert response.context["table"].paginator.count == 1, term
        assert "张号码" in body and person.id_number not in _rows(body) and person.phone not in _rows(body), term


def test_the_search_stays_in_scope(world, clients, person):
    for who in ("village_cadre_b", "grid_worker_a2", "outsider"):
        for url in (reverse("households:list"), reverse("households:resident-list")):
            response = clients[who].get(url, {"q": person.id_number[-6:]})
            assert response.context["table"].paginator.count == 0, (who, url)


def test_three_digits_or_a_wrong_ending_find_nobody_by_number(world, clients, person):
    client = clients["staff"]
    assert client.get(reverse("households:resident-list"), {"q": "0000"}).context["table"].paginator.count == 0
    wrong = person.id_number[-5:-1]  # digits of the number, not its end
    assert client.get(reverse("households:resident-list"), {"q": wrong}).context["table"].paginator.count == 0


def test_petitions_are_found_by_a_petitioners_id_number_or_phone(world, clients):
    number = make_id_number("510723", dt.date(1980, 1, 1), 123, True)
    petition = register(by=world.users["staff"], village=world.village_a,
                        petitioners=[PetitionerData("李信访", number, "13600001111")])
    register(by=world.users["outsider"], village=None, petitioners=[PetitionerData("外镇人", number, "13600001111")])
    for term in (number, number[-4:], number[-6:], "13600001111", "1111"):
        response = clients["staff"].get(reverse("petitions:list"), {"q": term})
        body = response.content.decode()
        assert response.context["table"].paginator.count == 1, term
        assert petition.number in body and number not in _rows(body) and "13600001111" not in _rows(body), term


@pytest.mark.parametrize(("model", "index"), [
    (Resident, "households_resident_id_tail"), (Resident, "households_resident_phone_tail"),
    (Petitioner, "petitions_petitioner_id_tail"), (Petitioner, "petitions_petitioner_phone_tail"),
])
def test_the_number_search_is_an_index_range_not_a_scan(db, model, index):
    from core.numbersearch import number_tail_q

    field = "id_number" if "id_tail" in index else "phone"
    sql, params = model.objects.filter(number_tail_q("1234", field)).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small: ask whether the index can serve
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
