"""宣传 and 培训 pages: the visit form records the policies explained, the reach figure equals its lists for every role,
events and training sessions are recorded by those who may, bad input is refused with the input kept."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Visit
from outreach.models import PolicyExplained, PublicityEvent, TrainingSession
from tests.factories import HouseholdFactory, VisitFactory
from tests.households.factories import jpeg_bytes
from tests.outreach.factories import explain, make_event, make_training, policy

ROLES = ["staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head", "outsider"]


@pytest.fixture
def own(world):
    return HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="马家")


def _visit(households, **extra):
    return {"households": [h.pk for h in households], "visited_on": timezone.localdate().isoformat(),
            "method": "in_home", "topic_living": "on", "notes": "宣传防诈骗和医保缴费。", **extra}


def _reach_cells(client) -> list[tuple[str, int]]:
    body = client.get(reverse("outreach:reach")).content.decode()
    return [(url.replace("&amp;", "&"), int(n)) for url, n in re.findall(r'<a href="([^"]+)" data-count="(\d+)">', body)]


def test_a_household_heads_visit_records_the_policies_explained_and_the_reach_moves(world, clients, own):
    client = clients["household_head"]
    anti_fraud = policy("anti-fraud")
    before = dict(_reach_cells(clients["staff"]))
    response = client.post(reverse("households:visit-create"),
                           _visit([own], policy_explained=[anti_fraud.pk, policy("medical-insurance").pk]))
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert sorted(p.policy.code for p in PolicyExplained.objects.filter(visit=visit)) == ["anti-fraud",
                                                                                          "medical-insurance"]
    assert visit.topic_policy  # explaining a policy is the visit's 访政策落实
    assert "防范电信网络诈骗" in client.get(reverse("households:visit-detail", args=[visit.pk])).content.decode()
    after = dict(_reach_cells(clients["staff"]))
    moved = {url: n for url, n in after.items() if before.get(url) != n}
    assert len(moved) == 4 and set(moved.values()) == {1}  # two policies: village A's cell and the total each


def test_a_visit_without_policies_records_none(world, clients, own):
    clients["household_head"].post(reverse("households:visit-create"), _visit([own]))
    assert Visit.objects.count() == 1 and not PolicyExplained.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_every_reach_number_equals_its_list_for_every_role(world, clients, who, own):
    other = HouseholdFactory(grid=world.grid_b1)
    explain(VisitFactory(grid=world.grid_a1, households=[own], visited_on=dt.date(2026, 11, 2)), "pension")
    explain(VisitFactory(grid=world.grid_b1, households=[other], visited_on=dt.date(2026, 11, 2)), "pension")
    make_event(world.village_a, by=world.users["staff"], households=[own, HouseholdFactory(grid=world.grid_a2)],
               policies=("pension", "anti-fraud"))
    client = clients[who]
    cells = _reach_cells(client)
    assert cells
    for url, count in cells:
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["object_list"]) == count, (who, url)
    if who == "staff":
        assert sum(n for _url, n in cells) > 0


def test_the_reach_of_another_village_is_404_for_a_village_cadre(world, clients):
    url = reverse("outreach:reach-households") + f"?village={world.village_b.pk}"
    assert clients["village_cadre"].get(url).status_code == 404
    assert clients["staff"].get(url).status_code == 200


def test_the_reach_page_takes_a_bounded_number_of_queries(world, clients, django_assert_max_num_queries, own):
    explain(VisitFactory(grid=world.grid_a1, households=[own], visited_on=dt.date(2026, 11, 2)), "pension")
    with django_assert_max_num_queries(25):
        assert clients["staff"].get(reverse("outreach:reach")).status_code == 200


def test_a_village_cadre_records_a_publicity_event_with_policies_households_and_a_photo(world, clients, own):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"village": world.village_a.pk, "held_on": "2026-11-18", "place": "村委会院坝", "audience": "留守老人",
            "attendance": "30", "policies": [policy("anti-fraud").pk], "materials": "宣传单100份",
            "households": [own.pk], "photos": SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")}
    response = clients["village_cadre"].post(reverse("outreach:event-create"), data)
    event = PublicityEvent.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    assert list(event.households.all()) == [own] and event.photos.count() == 1
    page = clients["household_head"].get(event.get_absolute_url())
    assert page.status_code == 200 and "防范电信网络诈骗" in page.content.decode()
    photo = event.photos.get()
    assert clients["grid_worker"].get(reverse("outreach:event-photo", args=[event.pk, photo.pk])).status_code == 200


def test_an_event_refuses_a_future_date_and_households_of_another_village_keeping_the_input(world, clients):
    stranger = HouseholdFactory(grid=world.grid_b1)
    data = {"village": world.village_a.pk, "held_on": "2026-12-30", "place": "村委会院坝", "audience": "村民",
            "attendance": "3", "policies": [policy("pension").pk], "households": [stranger.pk]}
    response = clients["staff"].post(reverse("outreach:event-create"), data)
    assert response.status_code == 200 and not PublicityEvent.objects.exists()
    body = response.content.decode()
    assert "村委会院坝" in body
    assert response.context["form"].errors.keys() >= {"held_on", "households"}


@pytest.mark.parametrize("who", ["supervisor", "household_head", "county_staff"])
def test_those_who_do_not_go_out_to_villages_get_403_on_recording_an_event(world, county, clients, who):
    assert clients[who].get(reverse("outreach:event-create")).status_code == 403


def test_a_village_cadre_records_training_and_ticks_who_came(world, clients):
    client = clients["village_cadre"]
    response = client.post(reverse("outreach:training-create"), {
        "topic": "防汛知识培训", "held_on": "2026-11-19", "place": "村委会", "trainer": "应急办", "hours": "2",
        "village": world.village_a.pk})
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and session.township == world.township
    page = client.get(session.get_absolute_url()).content.decode()
    assert world.head_a1.name in page
    response = client.post(reverse("outreach:training-attendance", args=[session.pk]),
                           {"heads": [world.head_a1.pk], "users": [world.users["grid_worker"].pk]})
    assert response.status_code == 302
    assert list(session.heads_attended.all()) == [world.head_a1]
    assert list(session.users_attended.all()) == [world.users["grid_worker"]]


def test_a_village_cadre_cannot_tick_a_head_of_another_village(world, clients):
    from tests.factories import HouseholdHeadFactory

    stranger = HouseholdHeadFactory(grid=world.grid_b1)
    session = make_training(world.township, by=world.users["staff"], village=world.village_a)
    clients["village_cadre"].post(reverse("outreach:training-attendance", args=[session.pk]),
                                  {"heads": [stranger.pk]})
    assert not session.heads_attended.exists()


def test_training_refuses_hours_out_of_range_with_a_message(world, clients):
    response = clients["staff"].post(reverse("outreach:training-create"), {
        "topic": "培训", "held_on": "2026-11-19", "place": "镇党校", "trainer": "王", "hours": "30"})
    assert response.status_code == 200 and not TrainingSession.objects.exists()
    assert "hours" in response.context["form"].errors


def test_a_township_session_is_seen_by_every_village_and_kept_by_the_township_only(world, clients):
    session = make_training(world.township, by=world.users["staff"])
    for who in ("village_cadre", "household_head", "village_cadre_b"):
        assert clients[who].get(session.get_absolute_url()).status_code == 200
    url = reverse("outreach:training-attendance", args=[session.pk])
    assert clients["village_cadre"].post(url, {}).status_code == 403
    assert clients["staff"].post(url, {}).status_code == 302
    assert clients["outsider"].get(session.get_absolute_url()).status_code == 404


def test_the_lists_and_pages_take_a_bounded_number_of_queries(world, clients, django_assert_max_num_queries, own):
    staff = world.users["staff"]
    for _ in range(3):
        make_event(world.village_a, by=staff, households=[own], photo=True)
        make_training(world.township, by=staff, heads=[world.head_a1])
    event, session = PublicityEvent.objects.first(), TrainingSession.objects.first()
    for url in (reverse("outreach:event-list"), reverse("outreach:training-list"), event.get_absolute_url(),
                session.get_absolute_url()):
        with django_assert_max_num_queries(15):
            assert clients["staff"].get(url).status_code == 200, url
