"""Dates, numbers and ids out of range (issue 20.6): a page answers a message or a 404, never a 500.

The bounds are decided in core/bounds.py; these tests try them on every page without arguments, the
dashboards, and the forms that registered year-0001 records and negative amounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core import bounds
from disputes.models import Dispute
from petitions.models import Petition
from tests.disputes.factories import DisputeFactory
from tests.factories import HouseholdFactory
from tests.petitions.factories import form_data, register

HUGE_ID = "99999999999999999999"
ODD_QUERIES = [
    f"village={HUGE_ID}", f"grid={HUGE_ID}", f"township={HUGE_ID}", f"head={HUGE_ID}", f"household={HUGE_ID}",
    f"residents={HUGE_ID}", f"lead={HUGE_ID}", f"tag={HUGE_ID}", "village=-1&grid=0", "village=abc&grid=1.5",
    "village=%C2%B2", "grid=%C2%B2", "township=%C2%B2", "household=%C2%B2", "residents=%C2%B2", "year=%C2%B2",
    f"year={HUGE_ID}", "year=0", f"page={HUGE_ID}",
    "start=0001-01-01&end=9999-12-31", "start=9999-12-31", "end=0001-01-01", "start=garbage&end=2026-13-40",
    "received_from=0001-01-01&received_to=9999-12-31", "registered_from=0001-01-01&registered_to=9999-12-31",
    "date_from=0001-01-01&date_to=9999-12-31", "date_from=garbage&received_from=garbage&registered_to=garbage",
]


def _urls_without_arguments(resolver=None, namespace=""):
    """Every named URL that takes no argument: the lists, the create pages, the dashboards, the htmx helpers."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _urls_without_arguments(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            name = f"{namespace}{entry.name}"
            if not name.startswith("admin:") and name not in {"logout", "set_language", "healthz"}:
                yield name


@pytest.fixture
def data(world):
    """A household, a dispute and a petition, so that the dashboards draw their month charts."""
    HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 2))
    register(by=world.users["staff"], village=world.village_a, received_on=dt.date(2026, 11, 2))
    return world


# --- ids -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", None, "abc", "-1", "0", "1.5", "²", "１２", "١٢", HUGE_ID, str(2**63), " "])
def test_a_query_parameter_that_cannot_be_a_key_names_nothing(value):
    assert bounds.parse_id(value) is None


def test_a_key_is_a_positive_bigint():
    assert bounds.parse_id("42") == 42 and bounds.parse_id(str(2**63 - 1)) == 2**63 - 1
    assert bounds.as_ids(["3", "²", HUGE_ID, "x", 7]) == [3, 7]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_no_page_answers_500_to_out_of_range_query_parameters(data, clients, query):
    client = clients["staff"]
    failures = []
    for name in sorted(set(_urls_without_arguments())):
        url = f"{reverse(name)}?{query}"
        try:
            status = client.get(url).status_code
        except Exception as error:  # noqa: BLE001 - a crash is what this test looks for
            status = f"{type(error).__name__}: {error}"[:200]
        if not isinstance(status, int) or status >= 500:
            failures.append((url, status))
    assert not failures


def test_a_superscript_digit_as_village_is_an_ignored_filter(data, clients):
    response = clients["staff"].get(reverse("disputes:list") + "?village=%C2%B2")
    assert response.status_code == 200


# --- dates in filters and on the dashboards -------------------------------------------------------------------


def test_the_dashboard_refuses_a_period_from_year_0001_to_9999_with_a_message(data, clients):
    response = clients["staff"].get(reverse("dashboards:home") + "?start=0001-01-01&end=9999-12-31")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["start"] == ["请输入 2000-01-01 或之后的日期。"]
    assert form.errors["end"][0].startswith("请输入 ") and form.errors["end"][0].endswith(" 或之前的日期。")
    body = response.content.decode()
    assert "请输入 2000-01-01 或之后的日期。" in body and 'value="0001-01-01"' in body


def test_a_list_filtered_from_year_0001_says_why_it_shows_nothing(data, clients):
    response = clients["staff"].get(reverse("petitions:list") + "?received_from=0001-01-01")
    assert response.status_code == 200
    assert response.context["filter"].form.errors["received_from"] == ["请输入 2000-01-01 或之后的日期。"]
    assert "请输入 2000-01-01 或之后的日期。" in response.content.decode()


def test_a_list_filtered_within_the_bounds_still_works(data, clients):
    response = clients["staff"].get(reverse("disputes:list") + "?registered_from=2026-11-01&registered_to=2026-11-30")
    assert response.status_code == 200 and not response.context["filter"].form.errors
    assert len(response.context["table"].rows) == 1


# --- forms ------------------------------------------------------------------------------------------------------


def test_a_petition_received_in_year_0001_is_refused_and_the_typed_date_is_kept(world, clients):
    response = clients["staff"].post(reverse("petitions:create"), form_data(world, received_on="0001-01-01"))
    assert response.status_code == 200 and not Petition.objects.exists()
    assert response.context["form"].errors["received_on"] == ["请输入 2000-01-01 或之后的日期。"]
    body = response.content.decode()
    assert 'value="0001-01-01"' in body and "反映土地补偿问题" in body


def test_a_petition_received_in_the_future_is_still_refused_with_its_own_message(world, clients):
    response = clients["staff"].post(reverse("petitions:create"), form_data(world, received_on="9999-12-31"))
    assert response.status_code == 200 and not Petition.objects.exists()
    assert response.context["form"].errors["received_on"] == ["收件日期不能晚于今天。"]


@pytest.mark.parametrize("head_count", ["0", "-3", "1000000000000"])
def test_a_petition_head_count_out_of_range_is_refused(world, clients, head_count):
    response = clients["staff"].post(reverse("petitions:create"), form_data(world, head_count=head_count))
    assert response.status_code == 200 and not Petition.objects.exists()
    assert "head_count" in response.context["form"].errors


def _dispute(grid, **extra):
    data = {
        "title": "邻里排水纠纷", "kind": "neighbour", "source": "residents", "village": grid.village_id,
        "grid": grid.pk, "risk": "general", "level": "village",
        "registered_on": timezone.localdate().isoformat(), "description": "排水沟堵塞引发争吵",
        "amount": "", "people_involved": "2", "parties-TOTAL_FORMS": "1", "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0", "parties-MAX_NUM_FORMS": "1000", "parties-0-side": "applicant",
        "parties-0-resident": "", "parties-0-name": "赵六", "parties-0-id_number": "", "parties-0-phone": "",
        "parties-0-address": "",
    }
    data.update(extra)
    return data


def test_a_negative_amount_involved_is_refused_and_the_typed_amount_is_kept(world, clients):
    response = clients["staff"].post(reverse("disputes:create"), _dispute(world.grid_a1, amount="-500"))
    assert response.status_code == 200 and not Dispute.objects.exists()
    assert response.context["form"].errors["amount"] == ["金额不能为负数。"]
    assert 'value="-500"' in response.content.decode()


def test_a_dispute_registered_in_year_0001_is_refused(world, clients):
    response = clients["staff"].post(reverse("disputes:create"), _dispute(world.grid_a1, registered_on="0001-01-01"))
    assert response.status_code == 200 and not Dispute.objects.exists()
    assert response.context["form"].errors["registered_on"] == ["请输入 2000-01-01 或之后的日期。"]


def test_a_dispute_within_the_bounds_is_registered(world, clients):
    response = clients["staff"].post(reverse("disputes:create"), _dispute(world.grid_a1, amount="0"))
    assert response.status_code == 302
    assert Dispute.objects.get().amount == 0


def test_a_visit_in_year_0001_is_refused(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    response = clients["staff"].post(reverse("households:visit-create"), {
        "households": [household.pk], "visited_on": "0001-01-01", "method": "in_home", "notes": "走访",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["visited_on"] == ["请输入 2000-01-01 或之后的日期。"]


def test_a_deadline_in_year_9999_is_refused(world, clients):
    petition = register(by=world.users["staff"], village=world.village_a, received_on=dt.date(2026, 11, 2))
    response = clients["staff"].post(reverse("petitions:assign", args=[petition.pk]), {
        "assign-lead": world.users["staff"].pk, "assign-responsible_unit": "镇信访办",
        "assign-deadline": "9999-12-31", "assign-version": "0",
    })
    assert response.status_code == 400  # the case page again, with the typed input and the reason
    assert response.context["assign_form"].errors["deadline"][0].endswith(" 或之前的日期。")
    assert 'value="9999-12-31"' in response.content.decode()
