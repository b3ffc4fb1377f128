"""A hazard reported without signal (issue 28): the report form opens ready for the phone (the head's only village and
grid chosen, so the household list is on the page), the queue's send is taken once per client id, and a refusal
comes back as JSON with the form's Chinese message."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hazards.models import Hazard, HazardField
from tests.factories import HouseholdFactory
from tests.households.factories import jpeg_bytes

QUEUE = {"HTTP_X_LHT_QUEUE": "1"}


def _report(world, client_id, **extra):
    return {"village": world.village_a.pk, "grid": world.grid_a1.pk, "field": HazardField.objects.get(code="gas").pk,
            "grade": "general", "found_on": "2026-11-19", "description": "液化气罐放在灶台下", "place": "一组王家厨房",
            "party_kind": "household", "party_name": "王建国", "party_phone": "13812345678", "handling": "deadline",
            "client_id": str(client_id), **extra}


def test_the_heads_report_form_opens_with_their_village_grid_and_households_on_the_page(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    response = clients["household_head"].get(reverse("hazards:create"))
    form = response.context["form"]
    assert form["village"].value() == world.village_a.pk and form["grid"].value() == world.grid_a1.pk
    assert list(form.fields["household"].queryset) == [household]
    assert 'data-offline="hazard"' in response.content.decode()


def test_a_queued_report_sent_twice_is_one_hazard_with_its_photo(world, clients, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    client, cid = clients["household_head"], uuid.uuid4()
    url = reverse("hazards:create")
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    first = client.post(url, {**_report(world, cid), "photos": [photo]}, **QUEUE)
    second = client.post(url, _report(world, cid), **QUEUE)
    hazard = Hazard.objects.get()
    assert first.status_code == second.status_code == 201, first.content
    assert first.json() == second.json() == {"ok": True, "id": hazard.pk, "url": hazard.get_absolute_url()}
    assert hazard.client_id == cid and hazard.photos.count() == 1
    assert hazard.reporting_head == world.head_a1 and hazard.source == Hazard.Source.HOUSEHOLD_HEAD


def test_a_queued_report_refused_answers_json_with_a_chinese_message_and_an_id_of_another_is_409(world, clients):
    url = reverse("hazards:create")
    refused = clients["household_head"].post(url, _report(world, uuid.uuid4(), description=""), **QUEUE)
    assert refused.status_code == 400
    body = refused.json()
    assert body["ok"] is False and "description" in body["errors"] and "必填" in body["message"]
    cid = uuid.uuid4()
    assert clients["household_head"].post(url, _report(world, cid), **QUEUE).status_code == 201
    assert clients["village_cadre"].post(url, _report(world, cid, source="visit"), **QUEUE).status_code == 409
    assert Hazard.objects.count() == 1
