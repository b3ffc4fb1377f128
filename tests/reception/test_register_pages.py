"""The register's pages: a walk-in recorded on the session page (a resident matched by ID), its outcome, the
register list (masked, scoped, constant queries)."""

import datetime as dt

import pytest
from django.urls import reverse

from households.models import Demand
from petitions.models import Petition
from reception import services
from reception.models import Reception
from tests.factories import HouseholdFactory, ResidentFactory

from .factories import LeaderFactory, SessionFactory

pytestmark = pytest.mark.today("2026-11-20")


@pytest.fixture
def session(world):
    leader = LeaderFactory(township=world.township, user=world.users["supervisor"], name="张书记")
    return SessionFactory(township=world.township, date=dt.date(2026, 11, 20), leaders=[leader])


def test_a_walk_in_of_a_resident_is_recorded_and_becomes_a_petition(world, session, clients):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="王大山")
    client = clients["supervisor"]
    client.post(reverse("reception:walk-in-add", args=[session.pk]),
                {"id_number": resident.id_number, "request": "宅基地确权有争议", "head_count": "2"})
    reception = Reception.objects.get()
    assert (reception.resident, reception.village, reception.head_count) == (resident, world.village_a, 2)
    response = client.post(reverse("reception:outcome", args=[reception.pk]),
                           {"outcome": "petition", "subject": "land"})
    petition = Petition.objects.get()
    assert response.url == reverse("petitions:detail", args=[petition.pk])
    assert petition.channel == "reception_day"


def test_a_walk_in_becomes_a_dispute_or_a_demand_from_the_session_page(world, session, clients):
    from disputes.models import Dispute

    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="王大山")
    client = clients["staff"]
    for _ in range(2):
        client.post(reverse("reception:walk-in-add", args=[session.pk]),
                    {"id_number": resident.id_number, "request": "邻居占道"})
    first, second = Reception.objects.order_by("pk")
    page = client.get(session.get_absolute_url()).content.decode()
    assert 'value="dispute"' in page and 'value="demand"' in page
    response = client.post(reverse("reception:outcome", args=[first.pk]),
                           {"outcome": "dispute", "title": "占道纠纷", "kind": "neighbour", "risk": "general"})
    dispute = Dispute.objects.get()
    assert response.url == dispute.get_absolute_url()
    client.post(reverse("reception:outcome", args=[second.pk]), {"outcome": "demand"})
    second.refresh_from_db()
    assert second.outcome == "demand"
    demand = Demand.objects.get()
    # each row of the session page and of the register links to the case it became
    for url in (session.get_absolute_url(), reverse("reception:register")):
        page = client.get(url).content.decode()
        assert f'href="{dispute.get_absolute_url()}" data-testid="became">{dispute.number}<' in page
        assert f'href="{demand.get_absolute_url()}" data-testid="became">{demand.number}<' in page


def test_a_walk_in_links_its_case_only_for_who_may_open_it(world, session, clients):
    # a village cadre of village B on duty sees the session's walk-ins, not a petition of village A
    session.leaders.add(LeaderFactory(township=world.township, user=world.users["village_cadre_b"], name="柳主任"))
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
    reception = services.reception_record(session=session, by=world.users["staff"], visitor_name="",
                                          resident=resident, request="问低保")
    petition = services.reception_to_petition(reception=reception, by=world.users["staff"], subject="other")
    assert petition.number in clients["staff"].get(reverse("reception:register")).content.decode()
    page = clients["village_cadre_b"].get(reverse("reception:register")).content.decode()
    assert "问低保" in page and petition.get_absolute_url() not in page


def test_bad_input_keeps_the_page_with_a_message(world, session, clients):
    client = clients["staff"]
    page = client.post(reverse("reception:walk-in-add", args=[session.pk]), {"visitor_name": "李四"}, follow=True)
    assert page.status_code == 200 and not Reception.objects.exists()
    reception = services.reception_record(session=session, by=world.users["staff"], visitor_name="李四", request="问")
    page = client.post(reverse("reception:outcome", args=[reception.pk]),
                       {"outcome": "referred", "unit": "派出所", "deadline": "not a date"}, follow=True)
    assert page.status_code == 200
    reception.refresh_from_db()
    assert reception.outcome == ""


def test_the_register_masks_ids_and_is_scoped_at_constant_queries(world, session, clients,
                                                                  django_assert_max_num_queries):
    for n in range(5):
        resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
        services.reception_record(session=session, by=world.users["staff"], visitor_name="", resident=resident,
                                  request=f"诉求{n}", phone="13912345678")
    services.reception_record(session=session, by=world.users["staff"], visitor_name="柳某", request="修路",
                              village=world.village_b)
    with django_assert_max_num_queries(12):
        page = clients["staff"].get(reverse("reception:register"))
    text = page.content.decode()
    assert text.count('data-testid="walk-in-') == 6
    assert resident.id_number not in text and resident.id_number[:6] in text
    assert "13912345678" not in text
    cadre = clients["village_cadre_b"].get(reverse("reception:register")).content.decode()
    assert cadre.count('data-testid="walk-in-') == 1 and "柳某" in cadre
    assert clients["grid_worker"].get(reverse("reception:register")).content.decode().count('data-testid="walk-in-') == 0
