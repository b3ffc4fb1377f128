"""Hazards found in a 安全隐患 排查 round: registered against a return of their village, listed by the return and the
round's page; the return form of a hazard round links them like any case type (casework.rounds.finding_links)."""

import datetime as dt

from django.urls import reverse

from casework import rounds
from casework.models import Campaign
from hazards.models import Hazard, HazardField
from tests.hazards.factories import HazardFactory
from tests.rounds.factories import make_round


def _hazard_round(world, **kw):
    return make_round(world, kind=Campaign.Kind.HAZARDS, title="冬季安全隐患大排查",
                      returns_due=dt.date(2026, 11, 30), **kw)


def _report(client, world, **extra):
    data = {"village": world.village_a.pk, "grid": world.grid_a1.pk, "field": HazardField.objects.get(code="gas").pk,
            "grade": "general", "source": "campaign", "found_on": "2026-11-19", "description": "液化气罐放在灶台下",
            "party_kind": "household", "party_name": "王建国", "party_phone": "13812345678", "handling": "deadline",
            **extra}
    return client.post(reverse("hazards:create"), data)


def test_hazards_link_to_hazard_rounds_only():
    links = {link.model: link.kind for link in rounds.finding_links()}
    assert links[Hazard] == Campaign.Kind.HAZARDS


def test_the_report_form_offers_the_open_returns_of_hazard_rounds_in_scope(world, clients):
    campaign = _hazard_round(world)
    make_round(world)  # a disputes round: not offered
    form = clients["village_cadre"].get(reverse("hazards:create"), {"village": world.village_a.pk}).context["form"]
    offered = list(form.fields["found_in_return"].queryset)
    assert offered == [campaign.returns.get(village=world.village_a)]
    staff_form = clients["staff"].get(reverse("hazards:create")).context["form"]
    assert set(staff_form.fields["found_in_return"].queryset) == set(campaign.returns.all())
    head_form = clients["household_head"].get(reverse("hazards:create")).context["form"]
    assert "found_in_return" not in head_form.fields


def test_a_hazard_reported_against_a_return_is_listed_by_the_round(world, clients):
    campaign = _hazard_round(world)
    ret = campaign.returns.get(village=world.village_a)
    response = _report(clients["village_cadre"], world, found_in_return=ret.pk)
    assert response.status_code == 302, response.context["form"].errors
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and hazard.found_in_return == ret
    page = clients["staff"].get(campaign.get_absolute_url()).content.decode()
    assert hazard.number in page
    assert clients["village_cadre_b"].get(campaign.get_absolute_url()).status_code == 200
    other = clients["village_cadre_b"].get(campaign.get_absolute_url()).content.decode()
    assert hazard.number not in other  # village B's cadre does not see village A's hazard


def test_a_return_of_another_village_is_refused_and_the_form_keeps_what_was_typed(world, clients):
    campaign = _hazard_round(world)
    other = campaign.returns.get(village=world.village_b)
    response = _report(clients["staff"], world, found_in_return=other.pk)
    assert response.status_code == 200 and not Hazard.objects.exists()
    assert response.context["form"].errors["found_in_return"]
    assert "液化气罐放在灶台下" in response.content.decode()


def test_the_return_form_of_a_hazard_round_links_the_hazards_found(world, clients):
    campaign = _hazard_round(world)
    ret = campaign.returns.get(village=world.village_a)
    hazard = HazardFactory(grid=world.grid_a1, found_on=dt.date(2026, 11, 10))
    url = reverse("rounds:return", kwargs={"pk": ret.pk})
    response = clients["village_cadre"].post(url, {"checked_count": "30", "found_hazards-hazard": [str(hazard.pk)]})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.found_in_return == ret
    lines = clients["staff"].get(campaign.get_absolute_url()).context["lines"]
    assert next(r for r in lines if r.pk == ret.pk).found == 1


def test_a_grid_worker_links_to_their_grids_return_in_a_round_by_grid(world, clients):
    campaign = _hazard_round(world, by_grid=True)
    ret = campaign.returns.get(grid=world.grid_a1)
    form = clients["grid_worker"].get(reverse("hazards:create")).context["form"]
    assert list(form.fields["found_in_return"].queryset) == [ret]
    response = _report(clients["grid_worker"], world, found_in_return=ret.pk)
    assert response.status_code == 302 and Hazard.objects.get().found_in_return == ret



def test_the_hazard_page_links_to_its_return_and_the_round_page_reads_in_constant_queries(
        world, clients, django_assert_max_num_queries):
    campaign = _hazard_round(world)
    ret = campaign.returns.get(village=world.village_a)
    hazards = [HazardFactory(grid=world.grid_a1, found_on=dt.date(2026, 11, 10), found_in_return=ret)]
    body = clients["village_cadre"].get(hazards[0].get_absolute_url()).content.decode()
    assert reverse("rounds:return", kwargs={"pk": ret.pk}) in body
    clients["staff"].get(campaign.get_absolute_url())  # warm the session and caches
    with django_assert_max_num_queries(40) as one:
        clients["staff"].get(campaign.get_absolute_url())
    hazards += [HazardFactory(grid=world.grid_a1, found_on=dt.date(2026, 11, 10), found_in_return=ret) for _ in range(5)]
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = clients["staff"].get(campaign.get_absolute_url()).content.decode()
    assert all(h.number in page for h in hazards)
