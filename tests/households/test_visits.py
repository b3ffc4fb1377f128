"""The visit diary: logging a visit with photos, the visit page, comments, demands and their transitions."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from households.models import Demand, Visit, VisitComment
from tests.factories import HouseholdFactory, VisitFactory
from tests.households.factories import DemandFactory, VisitPhotoFactory, jpeg_bytes

TODAY = dt.date(2026, 11, 20)


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (30.0, 36.0, 0.0)}  # GPSInfo
    return exif.tobytes()


def _visit_data(households, **overrides):
    data = {"households": [h.pk for h in households], "visited_on": timezone.localdate().isoformat(), "method": "in_home",
            "topic_living": "on", "topic_policy": "on", "notes": "了解家庭近况，宣传医保政策。"}
    data.update(overrides)
    return data


@pytest.mark.today(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_a_household_head_logs_a_visit_with_a_photo_whose_exif_is_stripped(world, clients, registry):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes(size=(2400, 1800), exif=_exif_with_gps()), "image/jpeg")
    response = clients["household_head"].post(reverse("households:visit-create"),
                                              {**_visit_data([registry.a1]), "photos": [photo]})
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("households:visit-detail", args=[visit.pk])
    assert visit.visitor_head == world.head_a1 and visit.visitor == world.users["household_head"]
    assert visit.grid == world.grid_a1 and list(visit.households.all()) == [registry.a1]
    assert (visit.topic_living, visit.topic_production, visit.topic_policy) == (True, False, True)
    stored = visit.photos.get()
    with stored.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "JPEG"
        assert max(image.size) == 1600
        assert not image.getexif()
        assert b"PhoneMaker" not in handle.read()


def test_the_photo_is_served_only_within_scope(world, clients, registry):
    visit = VisitFactory(grid=world.grid_a1, households=[registry.a1])
    photo = VisitPhotoFactory(visit=visit)
    url = reverse("households:visit-photo", args=[visit.pk, photo.pk])
    response = clients["household_head"].get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert clients["village_cadre_b"].get(url).status_code == 404
    other = VisitPhotoFactory(visit=VisitFactory(grid=world.grid_b1))
    assert clients["staff"].get(reverse("households:visit-photo", args=[visit.pk, other.pk])).status_code == 404


def test_photos_have_no_public_url_and_a_random_name(world, registry):
    from households.services import visit_log

    upload = SimpleUploadedFile("李建华家.jpg", jpeg_bytes(), "image/jpeg")
    visit = visit_log(by=world.users["village_cadre"], households=[registry.a1], visited_on=timezone.localdate(), method="in_home",
                      topics={}, photos=[upload])
    photo = visit.photos.get()
    assert "李建华" not in photo.image.name
    with pytest.raises(ValueError):
        photo.image.url  # noqa: B018
    assert len(photo.image.name.rsplit("/", 1)[-1]) >= 32


def test_more_than_five_photos_are_refused(world, clients, registry):
    photos = [SimpleUploadedFile(f"p{i}.jpg", jpeg_bytes(), "image/jpeg") for i in range(6)]
    response = clients["village_cadre"].post(reverse("households:visit-create"),
                                             {**_visit_data([registry.a1]), "photos": photos})
    assert response.status_code == 200
    assert "最多 5 张照片" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_the_form_keeps_its_input(world, clients, registry):
    fake = SimpleUploadedFile("p.jpg", b"<?php echo 1; ?>", "image/jpeg")
    response = clients["village_cadre"].post(reverse("households:visit-create"),
                                             {**_visit_data([registry.a1]), "photos": [fake]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "不是照片" in body or "图片" in body
    assert "了解家庭近况" in body and f'id="visit-h{registry.a1.pk}" checked' in body
    assert not Visit.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(world, clients, registry, settings):
    settings.HOUSEHOLDS_PHOTO_MAX_MB = 0
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(), "image/jpeg")
    response = clients["village_cadre"].post(reverse("households:visit-create"),
                                             {**_visit_data([registry.a1]), "photos": [photo]})
    assert "超过 0 MB" in response.content.decode()
    assert not Visit.objects.exists()


def test_households_of_two_grids_are_not_one_visit(world, clients, registry):
    response = clients["village_cadre"].post(reverse("households:visit-create"),
                                             _visit_data([registry.a1, registry.a2]))
    assert "同一网格" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_household_outside_the_scope_cannot_be_chosen(world, clients, registry):
    response = clients["village_cadre"].post(reverse("households:visit-create"), _visit_data([registry.b1]))
    assert response.status_code == 200
    assert not Visit.objects.exists()


@pytest.mark.today(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False)
def test_a_visit_in_the_future_is_refused_and_today_is_the_default(world, clients, registry):
    response = clients["village_cadre"].post(reverse("households:visit-create"),
                                             _visit_data([registry.a1], visited_on="2026-11-21"))
    assert "不能晚于今天" in response.content.decode()
    body = clients["village_cadre"].get(reverse("households:visit-create")).content.decode()
    assert 'value="2026-11-20"' in body


def test_a_household_heads_own_households_are_offered_first(world, clients, registry):
    other = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="孙大伟")
    body = clients["household_head"].get(reverse("households:visit-create")).content.decode()
    assert "李建华" in body and "孙大伟" in body
    assert "王建国" not in body
    assert body.index('data-testid="household-choices"') < body.index(f'value="{other.pk}"')


def test_the_household_search_finds_only_households_in_scope(world, clients, registry):
    url = reverse("households:visit-household-search")
    assert "王建国" in clients["village_cadre"].get(url, {"q": "王建"}).content.decode()
    assert "赵秀兰" not in clients["village_cadre"].get(url, {"q": "赵秀"}).content.decode()
    assert "三组09号" not in clients["village_cadre"].get(url, {"q": "三组09"}).content.decode()


def test_a_supervisor_cannot_log_visits_but_may_comment(world, clients, registry):
    visit = VisitFactory(grid=world.grid_a1, households=[registry.a1])
    assert clients["supervisor"].get(reverse("households:visit-create")).status_code == 403
    response = clients["supervisor"].post(reverse("households:visit-comment", args=[visit.pk]),
                                          {"text": "记录详实，请跟进诉求。"})
    assert response.status_code == 302
    comment = VisitComment.objects.get()
    assert comment.author == world.users["supervisor"]
    assert "记录详实" in clients["household_head"].get(
        reverse("households:visit-detail", args=[visit.pk])).content.decode()


@pytest.mark.parametrize("persona", ["grid_worker", "household_head"])
def test_grid_workers_and_household_heads_may_not_comment(world, clients, registry, persona):
    visit = VisitFactory(grid=world.grid_a1, households=[registry.a1])
    response = clients[persona].post(reverse("households:visit-comment", args=[visit.pk]), {"text": "好"})
    assert response.status_code == 403
    assert not VisitComment.objects.exists()


def test_a_household_head_raises_a_demand_from_a_visit(world, clients, registry):
    visit = VisitFactory(grid=world.grid_a1, households=[registry.a1])
    response = clients["household_head"].post(reverse("households:demand-create", args=[visit.pk]),
                                              {"content": "希望硬化入户便道", "household": registry.a1.pk})
    assert response.status_code == 302
    demand = Demand.objects.get()
    assert (demand.household, demand.grid, demand.status, demand.raised_by, demand.township) == (
        registry.a1, world.grid_a1, "pending", world.users["household_head"], world.township)
    assert demand.number.startswith("SQ-2026-") and demand.level == "village" and demand.channel == "visit"
    assert "希望硬化入户便道" in clients["household_head"].get(
        reverse("households:detail", args=[registry.a1.pk])).content.decode()


def test_a_demand_answered_at_once_is_settled_with_a_note_and_history(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    url = reverse("households:demand-status", args=[demand.pk])
    clients["village_cadre"].post(url, {"outcome": "resolved", "note": "已协调施工队硬化"})
    demand.refresh_from_db()
    assert demand.status == "closed" and demand.closed_at is not None and demand.note == "已协调施工队硬化"
    assert demand.outcome == "resolved"
    assert [h.status for h in demand.history.order_by("history_id")] == ["pending", "closed"]


def test_settling_without_a_note_is_refused_and_a_settled_demand_can_be_reopened(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    url = reverse("households:demand-status", args=[demand.pk])
    response = clients["village_cadre"].post(url, {"outcome": "resolved"}, follow=True)
    assert "请填写办理情况" in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == "pending"
    clients["village_cadre"].post(url, {"outcome": "explained", "note": "已解释政策"})
    clients["village_cadre"].post(url, {"outcome": "reopen"})
    demand.refresh_from_db()
    assert (demand.status, demand.outcome, demand.closed_at) == ("pending", "", None)
    assert demand.history.count() == 3


def test_a_household_head_cannot_change_a_demands_status(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    response = clients["household_head"].post(reverse("households:demand-status", args=[demand.pk]),
                                              {"outcome": "resolved", "note": "x"})
    assert response.status_code == 403


def test_the_visit_page_links_to_register_a_dispute_only_when_disputes_exist(world, clients, registry):
    from django.urls import NoReverseMatch

    visit = VisitFactory(grid=world.grid_a1, households=[registry.a1])
    body = clients["village_cadre"].get(reverse("households:visit-detail", args=[visit.pk])).content.decode()
    try:
        url = reverse("disputes:create")
    except NoReverseMatch:
        assert 'data-testid="raise-dispute"' not in body
    else:
        assert f"{url}?visit={visit.pk}" in body


def test_the_visit_list_filters_my_visits(world, clients, registry):
    mine = VisitFactory(grid=world.grid_a1, households=[registry.a1], visitor=world.users["village_cadre"],
                        notes="mine")
    VisitFactory(grid=world.grid_a1, households=[registry.a1], visited_on=dt.date(2026, 10, 1))
    response = clients["village_cadre"].get(reverse("households:visit-list"), {"mine": "on"})
    assert list(response.context["table"].data) == [mine]


def test_the_household_timeline_lists_its_visits_newest_first(world, clients, registry):
    VisitFactory(grid=world.grid_a1, households=[registry.a1], visited_on=dt.date(2026, 3, 1), notes="三月走访")
    VisitFactory(grid=world.grid_a1, households=[registry.a1], visited_on=dt.date(2026, 9, 1), notes="九月走访")
    body = clients["grid_worker"].get(reverse("households:detail", args=[registry.a1.pk])).content.decode()
    assert body.index("九月走访") < body.index("三月走访")
