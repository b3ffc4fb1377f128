"""The phone's queue (static/js/offline.js) sends visits and demands logged without signal: each client id is taken
once, the answer is JSON, and a refusal carries the form's own Chinese message."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from households.models import Demand, Visit
from tests.households.factories import jpeg_bytes

QUEUE = {"HTTP_X_LHT_QUEUE": "1"}


def _visit(households, client_id, **extra):
    return {"households": [h.pk for h in households], "visited_on": timezone.localdate().isoformat(),
            "method": "in_home", "topic_living": "on", "notes": "没信号时记的走访。", "client_id": str(client_id), **extra}


def test_a_queued_visit_sent_twice_makes_one_visit_and_both_answers_point_to_it(world, clients, registry):
    client, cid = clients["household_head"], uuid.uuid4()
    url = reverse("households:visit-create")
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    first = client.post(url, {**_visit([registry.a1], cid), "photos": [photo]}, **QUEUE)
    second = client.post(url, _visit([registry.a1], cid), **QUEUE)
    visit = Visit.objects.get()
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() == {
        "ok": True, "id": visit.pk, "url": reverse("households:visit-detail", args=[visit.pk])}
    assert visit.client_id == cid and visit.photos.count() == 1


def test_a_visit_already_taken_is_answered_as_made_even_when_its_household_has_since_left_the_head(world, clients,
                                                                                                   registry):
    client, cid = clients["household_head"], uuid.uuid4()
    client.post(reverse("households:visit-create"), _visit([registry.a1], cid), **QUEUE)
    registry.a1.household_head = None
    registry.a1.save()
    again = client.post(reverse("households:visit-create"), _visit([registry.a1], cid), **QUEUE)
    assert again.status_code == 201 and Visit.objects.count() == 1


def test_a_queued_visit_for_a_household_no_longer_the_heads_is_refused_with_a_chinese_message(world, clients,
                                                                                              registry):
    registry.a1.household_head = None
    registry.a1.save()
    response = clients["household_head"].post(reverse("households:visit-create"),
                                               _visit([registry.a1], uuid.uuid4()), **QUEUE)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and "已不在您联系的农户之中" in body["message"]
    assert "households" in body["errors"] and not Visit.objects.exists()


def test_a_client_id_another_users_visit_holds_is_refused(world, clients, registry):
    cid = uuid.uuid4()
    clients["household_head"].post(reverse("households:visit-create"), _visit([registry.a1], cid), **QUEUE)
    response = clients["village_cadre"].post(reverse("households:visit-create"), _visit([registry.a1], cid), **QUEUE)
    assert response.status_code == 409 and Visit.objects.count() == 1


def test_the_form_without_the_queue_still_redirects_and_takes_the_id_once(world, clients, registry):
    cid = uuid.uuid4()
    url = reverse("households:visit-create")
    first = clients["village_cadre"].post(url, _visit([registry.a1], cid))
    second = clients["village_cadre"].post(url, _visit([registry.a1], cid))
    visit = Visit.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("households:visit-detail", args=[visit.pk])


def test_a_queued_demand_sent_twice_is_one_demand(world, clients, registry):
    cid = uuid.uuid4()
    data = {"household": registry.a1.pk, "channel": "phone", "content": "路灯坏了", "level": "village",
            "client_id": str(cid)}
    client = clients["village_cadre"]
    first = client.post(reverse("households:demand-log"), data, **QUEUE)
    second = client.post(reverse("households:demand-log"), data, **QUEUE)
    demand = Demand.objects.get()
    assert first.status_code == second.status_code == 201
    assert first.json()["url"] == second.json()["url"] == demand.get_absolute_url()
    refused = client.post(reverse("households:demand-log"), {**data, "content": "", "client_id": str(uuid.uuid4())},
                          **QUEUE)
    assert refused.status_code == 400 and refused.json()["message"] and Demand.objects.count() == 1
