"""Petitions at the county (issue 21): county staff register a petition brought to the county for the township it
belongs to (越级访, counted against that township), which handles it with the clock running from the county's day."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from governance.models import Village
from petitions import access
from petitions.models import Petition
from tests.factories import GridFactory
from tests.petitions.factories import form_data


def _county_registration(world, client, village, **overrides):
    received = timezone.localdate() - dt.timedelta(days=3)
    data = form_data(world, village=village.pk, received_on=received.isoformat(), skip_level="on", **overrides)
    return client.post(reverse("petitions:create"), data), received


def test_county_staff_register_a_petition_for_a_township_which_handles_it(world, county, clients):
    other_village = Village.objects.create(township=world.other_township, name="石坎村")
    GridFactory(village=other_village)
    page = clients["county_staff"].get(reverse("petitions:create"))
    assert page.status_code == 200 and page.context["form"]["skip_level"].initial is True

    response, received = _county_registration(world, clients["county_staff"], other_village)
    assert response.status_code == 302, response.content.decode()
    petition = Petition.objects.get()
    assert (petition.township, petition.village, petition.skip_level) == (world.other_township, other_village, True)
    assert petition.referred_by == "平武县"
    assert petition.received_on == received  # the clock starts on the county's day
    assert petition.acceptance_due_on > received
    assert Petition.Form.SKIP_LEVEL in petition.forms

    # The township it was transferred to sees and accepts it; the county reads it.
    outsider = clients["outsider"]  # 白马镇's staff
    assert outsider.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
    assert access.can_manage(world.users["outsider"]) and not access.can_manage(world.users["county_staff"])
    assert clients["county_staff"].post(reverse("petitions:accept", args=[petition.pk])).status_code == 403
    assert clients["county_staff"].get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
    assert clients["staff"].get(reverse("petitions:detail", args=[petition.pk])).status_code == 404


def test_a_county_registration_needs_a_village_and_township_users_still_need_a_referral_for_skip_level(world, county,
                                                                                                       clients):
    response = clients["county_staff"].post(reverse("petitions:create"), form_data(world, village="", skip_level="on"))
    assert response.status_code == 200 and not Petition.objects.exists()
    response = clients["staff"].post(reverse("petitions:create"), form_data(world, skip_level="on"))
    assert response.status_code == 200 and not Petition.objects.exists()


def test_the_county_dashboard_counts_skip_level_petitions_against_the_township(world, county, clients):
    _county_registration(world, clients["county_staff"], world.village_a)
    data = clients["county_leader"].get(reverse("dashboards:county")).context["data"]
    first, second = data["rows"]
    assert (first["skip_level"]["count"], second["skip_level"]["count"]) == (1, 0)
    listed = clients["county_leader"].get(first["skip_level"]["url"])
    assert listed.context["table"].paginator.count == 1
