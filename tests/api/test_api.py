"""The REST API (docs/api.md): tokens, scoping, masking and reveal, idempotent writes, incremental pulls, errors."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiToken, IdempotentRequest
from api.services import token_create
from households.models import Demand, RevealLog, Visit
from tests.api.conftest import ApiClient, make_token
from tests.factories import HouseholdFactory, ResidentFactory, VisitFactory, tag, tag_with

V1 = "/api/v1/"


# --- Tokens -------------------------------------------------------------------------------------------------------


def test_no_token_answers_401_as_json_in_both_languages(world):
    response = ApiClient(None).get(V1 + "households/")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert "令牌" in body["message_zh"] and "token" in body["message_en"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_or_revoked_token_answers_401(world):
    assert ApiClient("lht_nothing").get(V1 + "households/").status_code == 401
    staff = world.users["staff"]
    raw = make_token(staff)
    assert ApiClient(raw).get(V1 + "households/").status_code == 200
    ApiToken.objects.update(revoked_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    response = ApiClient(raw).get(V1 + "households/")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_only_a_hash_of_the_token_is_kept(world):
    token, raw = token_create(by=world.users["staff"], name="县平台", kind="integration", access="read",
                              township=world.township)
    assert raw not in {token.key_hash, token.key_prefix} and raw.startswith(token.key_prefix)
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_staff_make_an_integration_token_on_the_page_and_see_it_once(world, clients):
    response = clients["staff"].post(reverse("api:token-create"), {
        "name": "县综治平台", "kind": "integration", "township": world.township.pk, "access": "read"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw in response.content.decode()
    listing = clients["staff"].get(reverse("api:token-list")).content.decode()
    assert "县综治平台" in listing and raw not in listing
    token = ApiToken.objects.get()
    assert token.kind == "integration" and token.user.role == "township_staff" and not token.user.has_usable_password()


def test_nobody_grants_more_than_they_hold(world, clients):
    staff = world.users["staff"]
    with pytest.raises(PermissionDenied):  # a supervisor ranks above township staff
        token_create(by=staff, name="x", kind="personal", access="read", person=world.users["supervisor"])
    with pytest.raises(PermissionDenied):  # another township
        token_create(by=staff, name="x", kind="integration", access="read", township=world.other_township)
    with pytest.raises(ValidationError):  # a grid worker may not see full values, so no token of theirs may
        token_create(by=staff, name="x", kind="personal", access="read", person=world.users["grid_worker"],
                     may_reveal_values=True)
    assert clients["village_cadre"].get(reverse("api:token-create")).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking_an_integration_stops_it_at_once(world, clients):
    token, raw = token_create(by=world.users["staff"], name="县平台", kind="integration", access="read",
                              township=world.township)
    assert ApiClient(raw).get(V1 + "villages/").status_code == 200
    assert clients["staff"].post(reverse("api:token-revoke", args=[token.pk])).status_code == 302
    assert ApiClient(raw).get(V1 + "villages/").status_code == 401


# --- Scoping: the API's lists equal the web's, for every role ----------------------------------------------------

PAIRS = {
    "villages": "governance:village-list",
    "grids": "governance:grid-list",
    "heads": "governance:head-list",
    "households": "households:list",
    "residents": "households:resident-list",
    "visits": "households:visit-list",
    "demands": "households:demand-list",
    "disputes": "disputes:list",
    "petitions": "petitions:list",
    "hazards": "hazards:list",
    "monitoring-cases": "monitoring:list",
    "assignments": "dashboards:assignments",
}
ROLES = ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head",
         "county_staff", "county_leader", "outsider")


def _populate(world):
    for app in ("households", "disputes", "petitions", "hazards", "monitoring"):
        module = importlib.import_module(f"tests.{app}.scoping")
        module.objects_in(world, world.village_a)
        module.objects_in(world, world.village_b)


def _web_count(client, url_name) -> int | None:
    response = client.get(reverse(url_name))
    if response.status_code == 403:
        return None
    assert response.status_code == 200
    return response.context["table"].paginator.count


def test_every_list_counts_what_the_web_list_counts_for_every_role(world, county, clients, api):
    _populate(world)
    for who in ROLES:
        client = api(world.users[who])
        for resource, url_name in PAIRS.items():
            expected = _web_count(clients[who], url_name)
            if expected is None:
                response = client.get(V1 + f"{resource}/")
                assert response.status_code == 403, f"{who} on {resource}: {response.status_code}"
                assert response.json()["code"] == "permission_denied"
                continue
            rows = client.all_rows(V1 + f"{resource}/")
            assert len(rows) == expected, f"{who} on {resource}: API {len(rows)}, web {expected}"
            assert len({r["id"] for r in rows}) == len(rows)


def test_an_integration_reads_as_its_townships_staff(world, county, api):
    _populate(world)
    staff = api(world.users["staff"])
    _token, raw = token_create(by=world.users["staff"], name="镇平台", kind="integration", access="read",
                               township=world.township)
    integration = ApiClient(raw)
    for resource in PAIRS:
        assert len(integration.all_rows(V1 + f"{resource}/")) == len(staff.all_rows(V1 + f"{resource}/")), resource
    elsewhere = HouseholdFactory(grid=world.grid_b1.__class__.objects.create(
        village=world.village_b.__class__.objects.create(township=world.other_township, name="石坎村"), name="一"))
    response = integration.get(V1 + f"households/{elsewhere.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    _token, raw = token_create(by=world.users["county_staff"], name="县平台", kind="integration", access="read",
                               county=county)
    county_rows = ApiClient(raw).all_rows(V1 + "households/")
    assert elsewhere.pk in {r["id"] for r in county_rows}


# --- Masking and reveal -------------------------------------------------------------------------------------------


@pytest.fixture
def resident(world):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    return ResidentFactory(household=household, phone="13912345678")


def test_id_numbers_and_phones_are_masked_by_default(world, resident, api):
    row = api(world.users["staff"]).get(V1 + f"residents/{resident.pk}/").json()
    assert row["id_number"] == resident.masked_id_number and row["phone"] == "139****5678"
    assert row["revealed"] == []
    listed = api(world.users["grid_worker"]).all_rows(V1 + "residents/")
    assert [r["id_number"] for r in listed] == [resident.masked_id_number]


def test_a_reveal_needs_the_tokens_permission_and_a_reason_and_is_logged(world, resident, api):
    url = V1 + f"residents/{resident.pk}/"
    plain = api(world.users["staff"])
    response = plain.get(url, {"reveal": "id_number", "reason": "核对低保"})
    assert response.status_code == 403 and response.json()["code"] == "reveal_not_allowed"
    allowed = api(world.users["staff"], may_reveal=True)
    response = allowed.get(url, {"reveal": "id_number"})
    assert response.status_code == 400 and response.json()["fields"]["__all__"][0]["message_en"]
    assert not RevealLog.objects.exists()
    row = allowed.get(url, {"reveal": "id_number,phone", "reason": "核对低保"}).json()
    assert row["id_number"] == resident.id_number and row["phone"] == "13912345678"
    assert sorted(row["revealed"]) == ["id_number", "phone"]
    log = RevealLog.objects.order_by("field")
    assert [(e.field, e.user, e.reason) for e in log] == [
        ("id_number", world.users["staff"], "核对低保"), ("phone", world.users["staff"], "核对低保")]


def test_a_grid_worker_never_reveals_even_with_a_token_that_says_so(world, resident, api):
    response = api(world.users["grid_worker"], may_reveal=True).get(
        V1 + f"residents/{resident.pk}/", {"reveal": "phone", "reason": "回访"})
    assert response.status_code == 403
    assert not RevealLog.objects.exists()


# --- Writes: visits and demands ------------------------------------------------------------------------------------


def _visit_body(household, **extra):
    return {"households": [household.pk], "visited_on": "2026-11-19", "method": "in_home", "topic_living": True,
            "notes": "了解收入情况", **extra}


def test_a_household_head_logs_a_visit_with_a_demand_as_on_the_web(world, resident, api):
    client = api(world.users["household_head"], access="read_write")
    response = client.post(V1 + "visits/", _visit_body(resident.household, demand_raised=True,
                                                       demand_content="修缮院坝"))
    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    assert response.json()["id"] == visit.pk and response.json()["households"] == [resident.household.pk]
    assert visit.visitor_head == world.head_a1 and visit.topic_living
    assert Demand.objects.get().content == "修缮院坝"


def test_a_rejected_visit_says_why_per_field_in_both_languages_and_saves_nothing(world, resident, api):
    client = api(world.users["household_head"], access="read_write")
    response = client.post(V1 + "visits/", _visit_body(resident.household, visited_on="2026-12-30"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    message = body["fields"]["visited_on"][0]
    assert message["message_zh"] != message["message_en"] and "future" in message["message_en"]
    other = HouseholdFactory(grid=world.grid_b1)
    response = client.post(V1 + "visits/", _visit_body(other))
    assert response.status_code == 400 and "households" in response.json()["fields"]
    assert not Visit.objects.exists()


def test_a_read_only_token_and_a_role_that_does_not_log_visits_get_403(world, county, resident, api):
    response = api(world.users["grid_worker"]).post(V1 + "visits/", _visit_body(resident.household))
    assert response.status_code == 403 and response.json()["code"] == "read_only_token"
    response = api(world.users["county_staff"], access="read_write").post(V1 + "visits/", _visit_body(resident.household))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = api(world.users["household_head"], access="read_write").post(V1 + "demands/", {
        "household": resident.household.pk, "channel": "phone", "content": "咨询医保"})
    assert response.status_code == 403
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_a_retried_visit_is_taken_once_and_another_body_with_the_key_is_refused(world, resident, api):
    client = api(world.users["grid_worker"], access="read_write")
    body = _visit_body(resident.household)
    first = client.post(V1 + "visits/", body, **{"Idempotency-Key": "5b0c-visit-1"})
    again = client.post(V1 + "visits/", body, **{"Idempotency-Key": "5b0c-visit-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Visit.objects.count() == 1
    changed = client.post(V1 + "visits/", {**body, "notes": "另一次"}, **{"Idempotency-Key": "5b0c-visit-1"})
    assert changed.status_code == 422 and changed.json()["code"] == "idempotency_key_reused"
    other = client.post(V1 + "visits/", body, **{"Idempotency-Key": "5b0c-visit-2"})
    assert other.status_code == 201 and Visit.objects.count() == 2
    assert IdempotentRequest.objects.count() == 2


def test_a_demand_logged_by_phone_is_numbered_once_however_often_it_is_sent(world, resident, api):
    client = api(world.users["village_cadre"], access="read_write")
    body = {"household": resident.household.pk, "channel": "phone", "content": "咨询医保报销", "level": "village"}
    responses = [client.post(V1 + "demands/", body, **{"Idempotency-Key": "d-1"}) for _ in range(3)]
    assert {r.status_code for r in responses} == {201}
    assert Demand.objects.count() == 1
    assert responses[0].json()["number"] == Demand.objects.get().number
    response = client.post(V1 + "demands/", {**body, "content": ""})
    assert response.status_code == 400 and "content" in response.json()["fields"]


# --- Incremental pulls ---------------------------------------------------------------------------------------------


def test_updated_since_and_the_cursor_give_every_change_once(world, api, time_machine):
    early = [HouseholdFactory(grid=world.grid_a1) for _ in range(3)]
    since = dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=2)
    time_machine.move_to(since)
    late = [HouseholdFactory(grid=world.grid_a1) for _ in range(5)]
    client = api(world.users["staff"])
    rows = client.all_rows(V1 + "households/", page_size=2)
    assert [r["id"] for r in rows] == [h.pk for h in early + late]
    recent = client.all_rows(V1 + "households/", updated_since=since.isoformat(), page_size=2)
    assert [r["id"] for r in recent] == [h.pk for h in late]
    response = client.get(V1 + "households/", {"updated_since": "yesterday"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_parameter"


@pytest.mark.parametrize("resource", ["households", "residents", "visits", "demands", "heads", "assignments"])
def test_a_page_costs_the_same_queries_at_10_and_100_rows(resource, world, api, django_assert_max_num_queries):
    client = api(world.users["staff"])
    _rows(world, 100)

    with CaptureQueriesContext(connection) as small:
        assert client.get(V1 + f"{resource}/", {"page_size": 10}).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(V1 + f"{resource}/", {"page_size": 100})
    assert response.status_code == 200
    assert len(small.captured_queries) <= 8


def _rows(world, n):
    from tests.households.factories import DemandFactory

    households = [HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1) for _ in range(n)]
    for household in households:
        resident = ResidentFactory(household=household)
        tag_with(resident, tag("elderly-alone"))
        visit = VisitFactory(grid=world.grid_a1, households=[household])
        DemandFactory(visit=visit, household=household)


# --- Errors and limits -------------------------------------------------------------------------------------------


def test_errors_under_api_are_json_never_a_page(world, api):
    client = api(world.users["staff"])
    for url, status in ((V1 + "nothing-here/", 404), ("/api/nope", 404), (V1 + "households/99999999/", 404),
                        (V1 + "households/99999999999999999999/", 404)):
        response = client.get(url)
        assert response.status_code == status and response["Content-Type"].startswith("application/json"), url
        assert response.json()["code"] == "not_found"
    response = api(world.users["staff"], access="read_write").post(V1 + "households/", {})
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


@override_settings(API_RATE_READ="3/min")
def test_a_token_past_its_rate_gets_429_with_retry_after(world, api):
    client = api(world.users["staff"])
    statuses = [client.get(V1 + "villages/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(V1 + "villages/")
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0
    assert "秒" in response.json()["message_zh"]
    assert api(world.users["supervisor"]).get(V1 + "villages/").status_code == 200  # per token


def test_the_documentation_is_served_from_our_own_static_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html and "cdn" not in html.lower()
    assert "<style" not in html and "<script>" not in html  # our Content-Security-Policy: no inline code
    redoc = client.get("/api/redoc/").content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc and "googleapis" not in redoc and "<style" not in redoc
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/households/" in schema.json()["paths"]


@pytest.mark.django_db(transaction=True)
def test_two_retries_racing_each_other_make_one_visit(world, resident, api):
    """A phone that sends the same visit twice at once (a retry before the first answer): one visit, one answer."""
    import threading

    from django.db import connections

    client = api(world.users["grid_worker"], access="read_write")
    body, answers = _visit_body(resident.household), []
    start = threading.Barrier(2)

    def send():
        try:
            start.wait()
            answers.append(client.post(V1 + "visits/", body, **{"Idempotency-Key": "race-1"}))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Visit.objects.count() == 1 and IdempotentRequest.objects.count() == 1


def test_the_answers_to_old_writes_are_forgotten_after_a_week(world, resident, api, time_machine):
    from api.tasks import purge_idempotency_records

    client = api(world.users["grid_worker"], access="read_write")
    assert client.post(V1 + "visits/", _visit_body(resident.household), **{"Idempotency-Key": "old"}).status_code == 201
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=8))
    assert client.post(V1 + "visits/", _visit_body(resident.household), **{"Idempotency-Key": "new"}).status_code == 201
    assert purge_idempotency_records() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
