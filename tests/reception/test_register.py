"""The register of walk-ins: each ends in one outcome creating the right object; repeat visitors are flagged;
the rows are scoped (township-wide roles, the village's cadres, the leaders on duty)."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.cases import TransitionError
from casework.models import ResponsibilityAssignment
from petitions.models import Petition
from reception import services
from reception.models import Reception
from tests.factories import HouseholdFactory, ResidentFactory

from .factories import LeaderFactory, SessionFactory

D = dt.date
pytestmark = pytest.mark.today("2026-11-20")


@pytest.fixture
def session(world):
    leader = LeaderFactory(township=world.township, user=world.users["supervisor"], name="张书记")
    return SessionFactory(township=world.township, date=D(2026, 11, 20), leaders=[leader])


@pytest.fixture
def resident(world):
    return ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="王大山")


def walk_in(world, session, resident, **kwargs):
    return services.reception_record(session=session, by=world.users["staff"], visitor_name="", resident=resident,
                                     request="承包地边界被邻居占用", **kwargs)


def test_a_resident_walk_in_copies_name_id_household_and_village(world, session, resident):
    reception = walk_in(world, session, resident, head_count=2, instruction="请司法所三日内调查")
    assert (reception.visitor_name, reception.visitor_id_number) == ("王大山", resident.id_number)
    assert reception.household == resident.household
    assert reception.village == world.village_a
    assert reception.outcome == "" and not reception.is_repeat


def test_answered_on_the_spot(world, session, resident):
    reception = walk_in(world, session, resident)
    services.reception_answer(reception=reception, by=world.users["supervisor"], answer="政策已当面解释")
    reception.refresh_from_db()
    assert (reception.outcome, reception.answer) == (Reception.Outcome.ANSWERED, "政策已当面解释")
    with pytest.raises(TransitionError):
        services.reception_book_return(reception=reception, by=world.users["staff"], on=D(2026, 11, 27))


def test_becomes_a_petition_received_that_day_with_the_petitioner_copied(world, session, resident):
    reception = walk_in(world, session, resident, head_count=3)
    petition = services.reception_to_petition(reception=reception, by=world.users["staff"],
                                              subject=Petition.Subject.LAND)
    assert petition.channel == Petition.Channel.RECEPTION_DAY
    assert petition.received_on == D(2026, 11, 20)
    assert petition.acceptance_due_on == D(2026, 12, 5)  # 15 days: the statutory clock runs
    assert petition.head_count == 3
    person = petition.petitioners.get()
    assert (person.name, person.id_number, person.resident) == ("王大山", resident.id_number, resident)
    reception.refresh_from_db()
    assert reception.outcome == Reception.Outcome.PETITION
    assert (reception.case_type.model, reception.case_id) == ("petition", petition.pk)


def test_an_outsider_without_an_id_cannot_become_a_petition(world, session):
    reception = services.reception_record(session=session, by=world.users["staff"], visitor_name="过路客",
                                          request="问路")
    with pytest.raises(TransitionError, match="ID number|身份证号码"):
        services.reception_to_petition(reception=reception, by=world.users["staff"], subject="other")
    assert not Petition.objects.exists()


def test_becomes_a_dispute_registered_that_day_with_the_visitor_as_applicant(world, session, resident):

    reception = walk_in(world, session, resident, head_count=3)
    dispute = services.reception_to_dispute(reception=reception, by=world.users["staff"], title="承包地边界纠纷",
                                            kind="land", risk="significant")
    assert (dispute.registered_on, dispute.grid, dispute.village) == (D(2026, 11, 20), world.grid_a1, world.village_a)
    assert (dispute.source, dispute.kind, dispute.risk, dispute.people_involved) == (
        "residents", "land", "significant", 3)
    assert dispute.number.startswith("JF-2026-") and dispute.description == "承包地边界被邻居占用"
    assert dispute.parties.get().resident == resident
    reception.refresh_from_db()
    assert reception.outcome == Reception.Outcome.DISPUTE
    assert (reception.case_type.model, reception.case_id) == ("dispute", dispute.pk)


def test_an_outsider_dispute_needs_a_grid_and_names_the_outsider(world, session):
    reception = services.reception_record(session=session, by=world.users["staff"], visitor_name="李外乡",
                                          id_number="", phone="13800000000", request="工钱被拖欠")
    with pytest.raises(TransitionError, match="grid|网格"):
        services.reception_to_dispute(reception=reception, by=world.users["staff"], title="拖欠工资", kind="labour")
    dispute = services.reception_to_dispute(reception=reception, by=world.users["staff"], title="拖欠工资",
                                            kind="labour", grid=world.grid_a2)
    party = dispute.parties.get()
    assert (party.name, party.phone, party.resident) == ("李外乡", "13800000000", None)
    assert dispute.grid == world.grid_a2


def test_becomes_a_demand_of_the_household_logged_as_come_in_person(world, session, resident):
    from households.models import Demand

    reception = walk_in(world, session, resident)
    demand = services.reception_to_demand(reception=reception, by=world.users["staff"])
    assert isinstance(demand, Demand)
    assert (demand.household, demand.grid, demand.content) == (resident.household, world.grid_a1, "承包地边界被邻居占用")
    assert demand.visit is None and demand.channel == Demand.Channel.WALK_IN  # no visit is invented for it
    reception.refresh_from_db()
    assert reception.outcome == Reception.Outcome.DEMAND and reception.case_id == demand.pk


def test_an_outsider_cannot_become_a_demand(world, session):
    from households.models import Demand

    reception = services.reception_record(session=session, by=world.users["staff"], visitor_name="过路客",
                                          request="修路")
    with pytest.raises(TransitionError, match="household|户"):
        services.reception_to_demand(reception=reception, by=world.users["staff"])
    assert not Demand.objects.exists()


def test_referred_to_a_unit_is_a_responsibility_assignment_with_a_deadline(world, session, resident):
    reception = walk_in(world, session, resident)
    assignment = services.reception_refer(reception=reception, by=world.users["staff"],
                                          lead=world.users["supervisor"], unit="自然资源所", deadline=D(2026, 12, 4))
    assert ResponsibilityAssignment.objects.open().get() == assignment
    assert (assignment.responsible_unit, assignment.deadline, assignment.village) == (
        "自然资源所", D(2026, 12, 4), world.village_a)
    assert assignment.case == reception
    reception.refresh_from_db()
    assert reception.outcome == Reception.Outcome.REFERRED


def test_a_return_visit_is_booked_after_the_session(world, session, resident):
    reception = walk_in(world, session, resident)
    with pytest.raises(TransitionError):
        services.reception_book_return(reception=reception, by=world.users["staff"], on=D(2026, 11, 20))
    services.reception_book_return(reception=reception, by=world.users["staff"], on=D(2026, 11, 27))
    reception.refresh_from_db()
    assert (reception.outcome, reception.return_on) == (Reception.Outcome.RETURN_VISIT, D(2026, 11, 27))


def test_a_repeat_visitor_is_flagged_by_id_or_household_within_365_days(world, session, resident):
    now = timezone.now()
    old = walk_in(world, session, resident, received_at=now - dt.timedelta(days=400))
    assert walk_in(world, session, resident).repeat_of is None  # the earlier visit is out of the window
    first = Reception.objects.exclude(pk=old.pk).get()
    relative = ResidentFactory(household=resident.household, name="王小山")
    again = walk_in(world, session, relative)  # same household, another person, another subject
    assert again.repeat_of == first


def test_the_register_is_scoped(world, session, resident):
    row = walk_in(world, session, resident)
    other_village = services.reception_record(
        session=session, by=world.users["staff"], visitor_name="柳某", request="修路", village=world.village_b)
    users = world.users

    def seen(who):
        return set(Reception.objects.visible_to(users[who]))

    assert seen("staff") == seen("supervisor") == {row, other_village}
    assert seen("village_cadre") == {row}
    assert seen("village_cadre_b") == {other_village}
    assert seen("grid_worker") == seen("household_head") == seen("outsider") == set()
