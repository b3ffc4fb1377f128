"""The statutory clock (信访工作条例): 15 days to accept, 60 to handle, one extension of at most 30 days."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casework.services import assignment_for
from petitions import services
from petitions.models import Petition

from .factories import assign, register

D = dt.date


pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)


def test_acceptance_is_due_fifteen_calendar_days_after_receipt(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 10))
    assert petition.acceptance_due_on == D(2026, 2, 25)
    assert petition.due_on == D(2026, 2, 25)
    assert petition.status == Petition.Status.REGISTERED


def test_handling_is_due_sixty_days_after_acceptance(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 20))
    services.petition_accept(petition=petition, by=world.users["staff"], on=D(2026, 3, 1))
    assert petition.handling_due_on == D(2026, 4, 30)
    assert petition.due_on == D(2026, 4, 30)
    assert petition.status == Petition.Status.HANDLING
    assert petition.history.first().accepted_on == D(2026, 3, 1)


def test_the_clock_follows_the_settings(world, settings):
    settings.PETITION_ACCEPT_DAYS = 10
    settings.PETITION_HANDLE_DAYS = 30
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 20))
    assert petition.acceptance_due_on == D(2026, 3, 2)
    services.petition_accept(petition=petition, by=world.users["staff"], on=D(2026, 3, 1))
    assert petition.handling_due_on == D(2026, 3, 31)


def test_acceptance_date_cannot_be_before_receipt_or_in_the_future(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 20))
    for day in (D(2026, 2, 19), D(2026, 3, 3)):
        with pytest.raises(ValidationError):
            petition.accept(by=world.users["staff"], on=day)
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REGISTERED


def test_an_accepted_petition_cannot_be_accepted_again(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 20))
    petition.accept(by=world.users["staff"], on=D(2026, 2, 21))
    with pytest.raises(ValidationError):
        petition.accept(by=world.users["staff"], on=D(2026, 2, 22))


@pytest.fixture
def handling(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 20))
    services.petition_accept(petition=petition, by=world.users["staff"], on=D(2026, 3, 1))
    return petition


def test_one_extension_of_thirty_days_moves_the_due_date_and_records_approver_and_reason(world, handling):
    supervisor = world.users["supervisor"]
    services.petition_extend(petition=handling, by=supervisor, days=30, reason="涉及多部门，需进一步核查")
    handling.refresh_from_db()
    assert handling.extension_days == 30
    assert handling.due_on == D(2026, 5, 30)
    assert handling.extension_approved_by == supervisor
    assert handling.extension_reason == "涉及多部门，需进一步核查"
    assert handling.history.first().history_user == supervisor


def test_an_extension_longer_than_thirty_days_is_refused(world, handling):
    with pytest.raises(ValidationError):
        services.petition_extend(petition=handling, by=world.users["supervisor"], days=31, reason="复杂")
    handling.refresh_from_db()
    assert handling.extension_days == 0
    assert handling.due_on == D(2026, 4, 30)


def test_a_second_extension_is_refused(world, handling):
    services.petition_extend(petition=handling, by=world.users["supervisor"], days=10, reason="复杂")
    with pytest.raises(ValidationError, match="已延期一次"):
        services.petition_extend(petition=handling, by=world.users["supervisor"], days=10, reason="仍复杂")
    handling.refresh_from_db()
    assert handling.due_on == D(2026, 5, 10)


def test_an_extension_needs_a_reason_and_an_accepted_petition(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 20))
    with pytest.raises(ValidationError):
        petition.extend(by=world.users["supervisor"], days=10, reason="复杂")
    petition.accept(by=world.users["staff"], on=D(2026, 2, 21))
    with pytest.raises(ValidationError):
        petition.extend(by=world.users["supervisor"], days=10, reason="  ")


def test_the_extension_limit_follows_the_setting(world, handling, settings):
    settings.PETITION_EXTENSION_MAX_DAYS = 15
    with pytest.raises(ValidationError):
        handling.extend(by=world.users["supervisor"], days=16, reason="复杂")
    handling.extend(by=world.users["supervisor"], days=15, reason="复杂")
    assert handling.due_on == D(2026, 5, 15)


def test_days_left_and_overdue(world, handling):
    assert handling.days_left() == 59
    assert not handling.is_overdue
    with time_machine.travel(dt.datetime(2026, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        assert handling.days_left() == -2
        assert handling.is_overdue
        assert list(Petition.objects.overdue()) == [handling]


def test_an_unaccepted_petition_past_fifteen_days_is_overdue(world):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=D(2026, 2, 1))
    assert petition.is_overdue
    assert petition.days_left() == -14


def test_a_reply_by_the_due_date_counts_as_on_time_and_a_later_one_as_late(world, handling):
    handling.record_reply(by=world.users["staff"], text="已答复", on=D(2026, 3, 2))
    assert handling.reply_on_time is True
    late = register(by=world.users["staff"], village=world.village_a, received_on=D(2025, 11, 1))
    late.accept(by=world.users["staff"], on=D(2025, 11, 2))
    late.record_reply(by=world.users["staff"], text="已答复", on=D(2026, 3, 1))
    assert late.reply_on_time is False


def test_the_assignment_deadline_follows_the_clock(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    petition = register(by=staff, village=world.village_a, received_on=D(2026, 2, 20))
    assign(petition, by=staff, lead=supervisor)
    assert assignment_for(petition).deadline == D(2026, 3, 7)
    services.petition_accept(petition=petition, by=staff, on=D(2026, 3, 1))
    assert assignment_for(petition).deadline == D(2026, 4, 30)
    services.petition_extend(petition=petition, by=supervisor, days=20, reason="复杂")
    assert assignment_for(petition).deadline == D(2026, 5, 20)


def test_the_assignment_may_set_an_earlier_deadline_but_not_a_later_one(world, handling):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    assign(handling, by=staff, lead=supervisor, deadline=D(2026, 4, 15))
    handling.refresh_from_db()
    assert handling.due_on == D(2026, 4, 15)
    assert assignment_for(handling).deadline == D(2026, 4, 15)
    with pytest.raises(ValidationError, match="法定期限"):
        assign(handling, by=staff, lead=supervisor, deadline=D(2026, 5, 1))
    assert assignment_for(handling).deadline == D(2026, 4, 15)
