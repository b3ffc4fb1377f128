"""Registration: numbers, petitioners, repeat and collective petitions, registering from a visit."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from households.idnumbers import make_id_number
from petitions.models import Petition, Petitioner
from petitions.services import repeat_candidates
from tests.factories import HouseholdFactory, ResidentFactory, TownshipFactory, VillageFactory, VisitFactory

from .factories import advance, form_data, id_number, outsider, register, resident_petitioner

# Registered on 2026-03-02 (tests/conftest.py); a few tests move through earlier dates themselves.
pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC), tick=False)

D = dt.date


def test_numbers_run_per_township_and_year(world):
    staff = world.users["staff"]
    first = register(by=staff, village=world.village_a, received_on=D(2026, 1, 5))
    second = register(by=staff, village=world.village_b, received_on=D(2026, 1, 6))
    last_year = register(by=staff, village=world.village_a, received_on=D(2025, 12, 30))
    other_village = VillageFactory(township=world.other_township)
    other = register(by=world.users["outsider"], village=other_village, received_on=D(2026, 1, 7))
    assert [first.number, second.number, last_year.number, other.number] == [
        "XF-2026-0001", "XF-2026-0002", "XF-2025-0001", "XF-2026-0001",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_the_same_moment_get_different_numbers():
    township = TownshipFactory()
    village = VillageFactory(township=township)
    from tests.factories import UserFactory

    user = UserFactory(township=township)
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def worker():
        try:
            barrier.wait()
            numbers.append(register(by=user, village=village, received_on=D(2026, 1, 5)).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == ["XF-2026-0001", "XF-2026-0002"]


def test_a_resident_petitioner_keeps_the_resident_link_and_the_household(world):
    household = HouseholdFactory(grid=world.grid_a1)
    resident = ResidentFactory(household=household, name="王大明")
    petition = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(resident)])
    person = petition.petitioners.get()
    assert person.resident == resident and person.name == "王大明"
    assert petition.household == household


def test_five_people_make_a_collective_petition_four_do_not(world):
    staff = world.users["staff"]
    collective = register(by=staff, village=world.village_a, head_count=5)
    individual = register(by=staff, village=world.village_a, head_count=4, subject=Petition.Subject.LABOUR)
    assert collective.is_collective and Petition.Form.COLLECTIVE in collective.forms
    assert not individual.is_collective and Petition.Form.INDIVIDUAL in individual.forms
    assert list(Petition.objects.of_form("collective")) == [collective]


def test_a_referral_from_above_can_be_marked_skip_level_and_nothing_else_can(world):
    from django.core.exceptions import ValidationError

    referred = register(by=world.users["staff"], village=world.village_a, channel=Petition.Channel.REFERRED,
                        referred_by="县信访局", skip_level=True)
    assert Petition.Form.SKIP_LEVEL in referred.forms
    with pytest.raises(ValidationError):
        register(by=world.users["staff"], village=world.village_a, channel=Petition.Channel.LETTER, skip_level=True)


# --- Repeat petitions (重复访) --------------------------------------------------------------------


def test_the_same_person_on_the_same_subject_while_open_is_a_repeat_petition(world):
    person = outsider("李四")
    first = register(by=world.users["staff"], village=world.village_a, petitioners=[person])
    again = register(by=world.users["staff"], village=world.village_a, petitioners=[person])
    assert again.repeat_of == first
    assert Petition.Form.REPEAT in again.forms and Petition.Form.FIRST in first.forms


def test_another_subject_is_not_a_repeat(world):
    person = outsider("李四")
    register(by=world.users["staff"], village=world.village_a, petitioners=[person])
    other = register(by=world.users["staff"], village=world.village_a, petitioners=[person],
                     subject=Petition.Subject.ENVIRONMENT)
    assert other.repeat_of is None


def test_the_same_household_on_the_same_subject_is_a_repeat(world):
    household = HouseholdFactory(grid=world.grid_a1)
    husband = ResidentFactory(household=household)
    wife = ResidentFactory(household=household, gender="female")
    first = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(husband)])
    again = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(wife)])
    assert again.repeat_of == first


def test_a_petition_closed_within_twelve_months_still_makes_a_repeat_and_an_older_one_does_not(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    person = outsider("赵五")
    with time_machine.travel(dt.datetime(2024, 6, 1, 3, tzinfo=dt.UTC), tick=False):
        old = register(by=staff, village=world.village_a, petitioners=[person])
        advance(old, Petition.Status.CLOSED, staff=staff, supervisor=supervisor)
    with time_machine.travel(dt.datetime(2025, 3, 1, 3, tzinfo=dt.UTC), tick=False):
        recent = register(by=staff, village=world.village_a, petitioners=[person])
        assert recent.repeat_of == old
        advance(recent, Petition.Status.CLOSED, staff=staff, supervisor=supervisor)
    def candidates(today):
        return list(repeat_candidates(township=world.township, subject="land", id_numbers=[person.id_number],
                                      today=today))

    assert candidates(D(2026, 2, 1)) == [recent]
    assert candidates(D(2026, 3, 5)) == []
    with time_machine.travel(dt.datetime(2026, 6, 1, 3, tzinfo=dt.UTC), tick=False):
        assert register(by=staff, village=world.village_a, petitioners=[person]).repeat_of is None


# --- The registration page -------------------------------------------------------------------------


def test_staff_registers_a_petition_with_an_outside_petitioner(world, clients):
    response = clients["staff"].post(reverse("petitions:create"), form_data(world))
    petition = Petition.objects.get()
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
    assert petition.number == "XF-2026-0001" and petition.village == world.village_a
    assert petition.petitioners.get().resident is None
    assert petition.history.count() == 1 and petition.history.first().history_user == world.users["staff"]


def test_an_id_number_of_a_resident_in_scope_links_the_resident(world, clients):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="周八", phone="13700000000")
    data = form_data(world, **{"petitioners-0-name": "", "petitioners-0-phone": "",
                           "petitioners-0-id_number": resident.id_number.lower()})
    assert clients["village_cadre"].post(reverse("petitions:create"), data).status_code == 302
    person = Petitioner.objects.get()
    assert (person.resident, person.name, person.phone) == (resident, "周八", "13700000000")


def test_an_outside_petitioner_needs_a_valid_id_number_and_a_phone(world, clients):
    bad_id = "510723195001010000"
    data = form_data(world, **{"petitioners-0-id_number": bad_id, "petitioners-0-phone": ""})
    response = clients["staff"].post(reverse("petitions:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "身份证号校验位错误" in body
    assert bad_id in body and "反映土地补偿问题" in body  # what was typed is kept
    data = form_data(world, **{"petitioners-0-phone": "12345"})
    assert "phone" in clients["staff"].post(reverse("petitions:create"), data).context["formset"].forms[0].errors
    assert not Petition.objects.exists()


def test_head_count_below_the_named_petitioners_is_refused(world, clients):
    data = form_data(world, **{"petitioners-TOTAL_FORMS": "2", "petitioners-1-name": "钱九",
                           "petitioners-1-id_number": id_number(), "petitioners-1-phone": "13812345678"})
    response = clients["staff"].post(reverse("petitions:create"), data)
    assert response.status_code == 200 and not Petition.objects.exists()
    assert response.context["form"].non_field_errors()


def test_a_village_cadre_must_choose_one_of_their_villages(world, clients):
    client = clients["village_cadre"]
    assert client.post(reverse("petitions:create"), form_data(world, village="")).status_code == 200
    assert client.post(reverse("petitions:create"), form_data(world, village=world.village_b.pk)).status_code == 200
    assert not Petition.objects.exists()
    assert client.post(reverse("petitions:create"), form_data(world)).status_code == 302


def test_a_household_head_may_not_register_a_petition(world, clients):
    assert clients["household_head"].get(reverse("petitions:create")).status_code == 403
    assert clients["household_head"].post(reverse("petitions:create"), form_data(world)).status_code == 403


def test_registering_from_a_visit_prefills_the_village_and_offers_the_household(world, clients):
    household = HouseholdFactory(grid=world.grid_a2)
    head, spouse = ResidentFactory(household=household, name="吴一"), ResidentFactory(household=household, gender="female")
    visit = VisitFactory(grid=world.grid_a2, visited_on=D(2026, 3, 1), households=[household])
    url = reverse("petitions:create") + f"?visit={visit.pk}"
    response = clients["village_cadre"].get(url)
    form = response.context["form"]
    assert form.initial["village"] == world.village_a.pk and form.initial["household"] == household.pk
    assert set(form.fields["residents"].queryset) == {head, spouse}
    data = form_data(world, household=household.pk, residents=[head.pk], **{
        "petitioners-0-name": "", "petitioners-0-id_number": "", "petitioners-0-phone": ""})
    assert clients["village_cadre"].post(url, data).status_code == 302
    petition = Petition.objects.get()
    assert petition.source_visit == visit and petition.household == household
    assert [p.resident for p in petition.petitioners.all()] == [head]


def test_a_visit_out_of_scope_is_404(world, clients):
    visit = VisitFactory(grid=world.grid_b1, households=[HouseholdFactory(grid=world.grid_b1)])
    assert clients["village_cadre"].get(reverse("petitions:create") + f"?visit={visit.pk}").status_code == 404


def test_the_form_shows_an_open_petition_of_the_same_person_and_registers_a_repeat(world, clients):
    number = id_number()
    first = register(by=world.users["staff"], village=world.village_a, petitioners=[outsider()],
                     received_on=D(2026, 2, 1))
    Petitioner.objects.filter(petition=first).update(id_number=number)
    response = clients["staff"].get(reverse("petitions:repeat-check"), {
        "subject": "land", "village": world.village_a.pk, "petitioners-0-id_number": number})
    assert first.number in response.content.decode()
    data = form_data(world, **{"petitioners-0-id_number": number})
    clients["staff"].post(reverse("petitions:create"), data)
    assert Petition.objects.get(repeat_of__isnull=False).repeat_of == first


def test_the_repeat_check_hides_petitions_out_of_scope_but_says_there_are_some(world, clients):
    number = make_id_number("510723", D(1966, 6, 6), 11, True)
    register(by=world.users["staff"], village=world.village_b,
             petitioners=[outsider()], received_on=D(2026, 2, 1))
    Petitioner.objects.update(id_number=number)
    response = clients["village_cadre"].get(reverse("petitions:repeat-check"), {
        "subject": "land", "petitioners-0-id_number": number})
    body = response.content.decode()
    assert "XF-2026-0001" not in body
    assert response.context["candidates"]["elsewhere"] is True


def test_a_repeat_of_a_petition_outside_the_registrars_area_does_not_show_its_number(world, clients):
    number = make_id_number("510723", D(1966, 6, 6), 11, True)
    earlier = register(by=world.users["staff"], village=world.village_a, petitioners=[outsider()],
                       received_on=D(2026, 2, 1))
    Petitioner.objects.filter(petition=earlier).update(id_number=number)
    data = form_data(world, village=world.village_b.pk, **{"petitioners-0-id_number": number})
    response = clients["village_cadre_b"].post(reverse("petitions:create"), data, follow=True)
    repeat = Petition.objects.get(repeat_of=earlier)
    body = response.content.decode()
    assert repeat.number in body and earlier.number not in body
    assert "此前的信访件" in body  # the page says there is one, not which
    assert earlier.number in clients["staff"].get(repeat.get_absolute_url()).content.decode()


def test_a_phone_typed_for_a_resident_is_checked_too(world, clients):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
    data = form_data(world, **{"petitioners-0-name": "", "petitioners-0-id_number": resident.id_number,
                           "petitioners-0-phone": "12345"})
    response = clients["staff"].post(reverse("petitions:create"), data)
    assert "phone" in response.context["formset"].forms[0].errors
    data["petitioners-0-phone"] = "+86 139 1234 5678"
    assert clients["staff"].post(reverse("petitions:create"), data).status_code == 302
    assert Petitioner.objects.get().phone == "13912345678"
