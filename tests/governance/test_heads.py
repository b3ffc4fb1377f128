"""Household heads (联户长): appointment (聘任), end of term (离任), a new term, a move to another grid."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import structure
from governance.models import HeadTerm, HouseholdHead, User
from tests.factories import HouseholdFactory, HouseholdHeadFactory, UserFactory
from tests.governance.factories import HeadTermFactory

# Terms appointed in March 2026 and ended in June 2026 (tests/conftest.py): on the day the suite was written.
pytestmark = pytest.mark.today("2026-11-20")


def _appoint_data(world, **overrides):
    data = {
        "village": world.village_a.pk, "grid": world.grid_a2.pk, "name": "李秀英", "phone": "13812345678",
        "appointed_on": "2026-03-01", "term_ends_on": "2029-02-28", "certificate_number": "QSZ-LHZ-2026-00077",
    }
    return {**data, **overrides}


def test_township_staff_appoints_a_household_head_with_a_term_and_certificate(world, clients):
    response = clients["staff"].post(reverse("governance:head-appoint"), _appoint_data(world))
    head = HouseholdHead.objects.get(certificate_number="QSZ-LHZ-2026-00077")
    assert response.status_code == 302 and response["Location"] == head.get_absolute_url()
    assert (head.grid, head.status, head.appointed_on, head.term_ends_on) == (
        world.grid_a2, HouseholdHead.Status.ACTIVE, dt.date(2026, 3, 1), dt.date(2029, 2, 28)
    )
    term = head.terms.get()
    assert (term.certificate_number, term.starts_on, term.appointed_by) == (
        "QSZ-LHZ-2026-00077", dt.date(2026, 3, 1), world.users["staff"]
    )
    record = head.history.get()
    assert record.history_type == "+" and record.history_user == world.users["staff"]
    assert record.ip_address == "127.0.0.1"


def test_an_appointment_with_a_used_certificate_or_a_backwards_term_is_refused_and_keeps_the_input(world, clients):
    HeadTermFactory(head=HouseholdHeadFactory(grid=world.grid_a1, certificate_number="USED-1"))
    response = clients["staff"].post(
        reverse("governance:head-appoint"),
        _appoint_data(world, certificate_number="USED-1", term_ends_on="2025-01-01"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "certificate_number" in form.errors and "term_ends_on" in form.errors
    assert 'value="李秀英"' in response.content.decode()
    assert not HouseholdHead.objects.filter(name="李秀英").exists()


def test_a_head_cannot_be_appointed_to_a_merged_grid(world):
    structure.grid_merge(grid=world.grid_a2, into=world.grid_a1, reason="调整", by=None)
    with pytest.raises(ValidationError):
        structure.head_appoint(grid=world.grid_a2, name="甲", phone="", appointed_on=dt.date(2026, 1, 1),
                               term_ends_on=None, certificate_number="X-1", by=None)


def test_the_appointment_form_offers_only_current_grids_of_the_staff_township(world, clients):
    structure.grid_merge(grid=world.grid_a2, into=world.grid_a1, reason="调整", by=None)
    form = clients["staff"].get(reverse("governance:head-appoint")).context["form"]
    offered = {int(str(v)) for v, _ in form.fields["grid"].widget.choices if str(v)}
    assert offered == {world.grid_a1.pk, world.grid_b1.pk}
    response = clients["staff"].post(reverse("governance:head-appoint"), _appoint_data(world, grid=world.grid_a2.pk))
    assert "grid" in response.context["form"].errors


def test_end_of_term_keeps_the_record_unlinks_households_and_stops_the_login(world, clients):
    head = world.head_a1
    term = HeadTermFactory(head=head)
    household = HouseholdFactory(grid=world.grid_a1, household_head=head)
    response = clients["staff"].post(
        reverse("governance:head-end-term", args=[head.pk]), {"ended_on": "2026-06-30", "reason": "外出务工"}
    )
    assert response.status_code == 302
    head.refresh_from_db()
    term.refresh_from_db()
    household.refresh_from_db()
    assert (head.status, head.ended_on, head.end_reason) == (HouseholdHead.Status.ENDED, dt.date(2026, 6, 30), "外出务工")
    assert (term.ended_on, term.end_reason, term.ended_by) == (dt.date(2026, 6, 30), "外出务工", world.users["staff"])
    assert household.household_head is None
    assert household.history.first().history_user == world.users["staff"]
    login = User.objects.get(pk=world.users["household_head"].pk)
    assert login.is_active is False
    # The head's own session has ended.
    assert clients["household_head"].get(reverse("home")).status_code == 302
    changes = {c.field for c in head.history.first().diff_against(head.history.all()[1]).changes}
    assert changes == {"status", "ended_on", "end_reason"}


def test_end_of_term_needs_a_reason_and_is_refused_twice(world, clients):
    url = reverse("governance:head-end-term", args=[world.head_a1.pk])
    response = clients["staff"].post(url, {"ended_on": "2026-06-30", "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    structure.head_end_term(head=world.head_a1, on=dt.date(2026, 6, 30), reason="病故", by=None)
    response = clients["staff"].post(url, {"ended_on": "2026-07-30", "reason": "again"})
    assert response.status_code == 200
    assert "已经离任" in response.content.decode()
    assert world.head_a1.history.count() == 2


def test_a_head_who_left_office_is_appointed_again_with_a_new_certificate(world, clients):
    head = world.head_a1
    HeadTermFactory(head=head)
    structure.head_end_term(head=head, on=dt.date(2026, 6, 30), reason="外出务工", by=None)
    response = clients["staff"].post(
        reverse("governance:head-reappoint", args=[head.pk]),
        {"appointed_on": "2027-01-01", "term_ends_on": "2029-12-31", "certificate_number": "LHZ-NEW-1"},
    )
    assert response.status_code == 302
    head.refresh_from_db()
    assert (head.status, head.certificate_number, head.end_reason) == (HouseholdHead.Status.ACTIVE, "LHZ-NEW-1", "")
    assert list(head.terms.values_list("certificate_number", "ended_on")) == [
        ("LHZ-NEW-1", None), (HeadTerm.objects.filter(head=head).last().certificate_number, dt.date(2026, 6, 30)),
    ]


def test_a_head_in_office_cannot_be_appointed_again(world):
    with pytest.raises(ValidationError):
        structure.head_reappoint(head=world.head_a1, on=dt.date(2027, 1, 1), term_ends_on=None,
                                 certificate_number="LHZ-NEW-2", by=None)


def test_moving_a_head_to_another_grid_unlinks_the_old_grids_households(world, clients):
    head = world.head_a1
    household = HouseholdFactory(grid=world.grid_a1, household_head=head)
    session_version = world.users["household_head"].scope_version
    response = clients["staff"].post(
        reverse("governance:head-move", args=[head.pk]), {"village": world.village_b.pk, "grid": world.grid_b1.pk}
    )
    assert response.status_code == 302
    head.refresh_from_db()
    household.refresh_from_db()
    assert head.grid == world.grid_b1
    assert household.household_head is None
    assert User.objects.get(username="head").scope_version == session_version + 1
    assert {c.field for c in head.history.first().diff_against(head.history.all()[1]).changes} == {"grid"}


def test_moving_is_refused_to_the_same_grid_and_for_a_head_out_of_office(world):
    with pytest.raises(ValidationError):
        structure.head_move(head=world.head_a1, grid=world.grid_a1, by=None)
    structure.head_end_term(head=world.head_a1, on=dt.date(2026, 6, 30), reason="迁出", by=None)
    with pytest.raises(ValidationError):
        structure.head_move(head=world.head_a1, grid=world.grid_a2, by=None)


def test_a_head_cannot_move_to_another_township(world):
    other_grid = HouseholdHeadFactory().grid
    with pytest.raises(ValidationError):
        structure.head_move(head=world.head_a1, grid=other_grid, by=None)


def test_staff_creates_the_login_of_a_household_head_from_the_head_page(world, clients):
    head = HouseholdHeadFactory(grid=world.grid_a2, name="周桂英")
    url = reverse("governance:user-create") + f"?head={head.pk}"
    response = clients["staff"].post(url, {
        "username": "zhougy", "display_name": "周桂英", "phone": "", "password1": "qingshi-lianhu-2026",
        "password2": "qingshi-lianhu-2026",
    })
    assert response.status_code == 302, response.context and response.context["form"].errors
    user = User.objects.get(username="zhougy")
    assert (user.role, user.household_head, user.township) == (User.Role.HOUSEHOLD_HEAD, head, world.township)
    assert clients["staff"].get(url).status_code == 302  # a second login for the same head is refused


def test_a_head_login_sees_only_their_own_head_record(world, clients):
    other = HouseholdHeadFactory(grid=world.grid_a1)
    client = clients["household_head"]
    assert client.get(reverse("governance:head-detail", args=[world.head_a1.pk])).status_code == 200
    assert client.get(reverse("governance:head-detail", args=[other.pk])).status_code == 404
    rows = client.get(reverse("governance:head-list")).context["table"].data.data
    assert list(rows) == [world.head_a1]


def test_a_user_of_another_township_cannot_be_given_this_townships_head(world):
    outsider_staff = UserFactory(role=User.Role.TOWNSHIP_STAFF, township=world.other_township)
    assert not HouseholdHead.objects.visible_to(outsider_staff).filter(pk=world.head_a1.pk).exists()


def test_the_end_of_office_cannot_be_in_the_future(world):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)), pytest.raises(ValidationError):
        structure.head_end_term(head=world.head_a1, on=dt.date(2026, 6, 30), reason="届满", by=None)
    world.head_a1.refresh_from_db()
    assert world.head_a1.in_office


def test_editing_the_term_end_moves_the_current_term_too(world, clients):
    term = HeadTermFactory(head=world.head_a1)
    response = clients["staff"].post(reverse("governance:head-edit", args=[world.head_a1.pk]),
                                     {"name": "马林", "phone": "13800000000", "term_ends_on": "2029-09-26"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ends_on == dt.date(2029, 9, 26)
