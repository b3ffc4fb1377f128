"""The dispute pages: registering (from scratch and from a visit), the case page, actions, 包案, print, panels."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from casework.services import assignment_for
from disputes.models import Dispute, Party
from disputes.services import dispute_assign
from tests.disputes.factories import DisputeFactory, PartyFactory, ResidentFactory, advance
from tests.factories import HouseholdFactory, VisitFactory

S = Dispute.Status
TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
VALID_ID = "11010519491231002X"


def _form(place, **extra):
    data = {
        "title": "邻里排水纠纷", "kind": "neighbour", "source": "residents", "village": place.village_id,
        "grid": place.pk, "risk": "general", "registered_on": "2026-11-19", "description": "排水沟堵塞引发争吵",
        "amount": "", "people_involved": "2",
        "parties-TOTAL_FORMS": "3", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data.update({f"parties-{i}-side": "applicant", f"parties-{i}-resident": "", f"parties-{i}-name": "",
                     f"parties-{i}-id_number": "", f"parties-{i}-phone": "", f"parties-{i}-address": ""})
    data.update(extra)
    return data


# --- Registering --------------------------------------------------------------------------------------------


@pytest.mark.today(TODAY, tick=False)
def test_village_cadre_registers_a_dispute_with_a_resident_and_an_outsider(world, clients):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
    data = _form(world.grid_a1, **{
        "parties-0-resident": resident.pk, "parties-0-name": resident.name,
        "parties-1-side": "respondent", "parties-1-name": "外村人王五", "parties-1-id_number": VALID_ID,
        "parties-1-phone": "138 0013 8000",
    })
    response = clients["village_cadre"].post(reverse("disputes:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dispute = Dispute.objects.get()
    assert dispute.number == "JF-2026-0001"
    assert (dispute.township, dispute.village, dispute.level) == (world.township, world.village_a, "village")
    assert dispute.registered_by == world.users["village_cadre"]
    parties = list(dispute.parties.order_by("pk"))
    assert parties[0].resident == resident and parties[0].id_number == ""
    assert (parties[1].name, parties[1].id_number, parties[1].phone) == ("外村人王五", VALID_ID, "13800138000")
    body = clients["village_cadre"].get(response["Location"]).content.decode()
    assert "110105********002X" in body
    assert VALID_ID not in body
    assert "138****8000" in body


@pytest.mark.today(TODAY, tick=False)
def test_a_rejected_registration_keeps_what_was_typed_and_says_why(world, clients):
    data = _form(world.grid_a1, **{"parties-0-name": "赵六", "parties-0-id_number": "110105194912310021"})
    response = clients["village_cadre"].post(reverse("disputes:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="110105194912310021"' in body
    assert "邻里排水纠纷" in body
    assert "invalid-feedback" in body
    assert not Dispute.objects.exists()


@pytest.mark.today(TODAY, tick=False)
def test_a_registration_needs_a_party(world, clients):
    response = clients["village_cadre"].post(reverse("disputes:create"), _form(world.grid_a1))
    assert response.status_code == 200
    assert not Dispute.objects.exists()


@pytest.mark.today(TODAY, tick=False)
def test_a_resident_or_grid_out_of_scope_is_refused(world, clients):
    stranger = ResidentFactory(household=HouseholdFactory(grid=world.grid_b1))
    data = _form(world.grid_a1, **{"parties-0-resident": stranger.pk, "parties-0-name": stranger.name})
    assert clients["village_cadre"].post(reverse("disputes:create"), data).status_code == 200
    data = _form(world.grid_a1, grid=world.grid_b1.pk, **{"parties-0-name": "张三"})
    assert clients["village_cadre"].post(reverse("disputes:create"), data).status_code == 200
    data = _form(world.grid_a1, grid=world.grid_a2.pk, village=world.village_b.pk, **{"parties-0-name": "张三"})
    assert clients["staff"].post(reverse("disputes:create"), data).status_code == 200
    assert not Dispute.objects.exists()


@pytest.mark.today(TODAY, tick=False)
def test_registering_from_a_visit_fills_the_place_and_the_parties(world, clients):
    household = HouseholdFactory(grid=world.grid_a2)
    head = ResidentFactory(household=household, relation="head", name="刘大伯")
    ResidentFactory(household=household, relation="spouse")
    visit = VisitFactory(grid=world.grid_a2, households=[household], notes="反映与邻居因排水沟争吵")
    url = reverse("disputes:create") + f"?visit={visit.pk}"
    body = clients["village_cadre"].get(url).content.decode()
    assert f'<option value="{world.grid_a2.pk}" selected>' in body
    assert f'name="parties-0-resident" value="{head.pk}"' in body
    assert "反映与邻居因排水沟争吵" in body
    data = _form(world.grid_a2, source="visit", **{"parties-0-resident": head.pk, "parties-0-name": head.name,
                                                   "parties-TOTAL_FORMS": "3", "parties-INITIAL_FORMS": "1"})
    response = clients["village_cadre"].post(url, data)
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.visit == visit
    assert dispute.source == "visit"
    assert dispute.parties.get().resident == head


def test_registering_from_a_visit_out_of_scope_is_404(world, clients):
    visit = VisitFactory(grid=world.grid_b1)
    assert clients["village_cadre"].get(reverse("disputes:create") + f"?visit={visit.pk}").status_code == 404


@pytest.mark.today(TODAY, tick=False)
def test_household_head_reports_a_dispute_in_their_grid(world, clients):
    data = _form(world.grid_a1, **{"parties-0-name": "张三"})
    del data["source"]
    response = clients["household_head"].post(reverse("disputes:create"), data)
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.source == "household_head"
    assert dispute.reporting_head == world.head_a1
    assert clients["household_head"].get(dispute.get_absolute_url()).status_code == 200
    assert clients["household_head"].post(reverse("disputes:accept", args=[dispute.pk])).status_code == 403


def test_supervisor_does_not_register_and_create_refuses_other_methods(world, clients):
    assert clients["supervisor"].get(reverse("disputes:create")).status_code == 403
    assert clients["staff"].put(reverse("disputes:create")).status_code == 405


def test_grid_options_follow_the_village_within_scope(world, clients):
    url = reverse("disputes:grid-options")
    body = clients["village_cadre"].get(url, {"village": world.village_a.pk}).content.decode()
    assert world.grid_a1.name in body and f'value="{world.grid_a2.pk}"' in body
    body = clients["village_cadre"].get(url, {"village": world.village_b.pk}).content.decode()
    assert f'value="{world.grid_b1.pk}"' not in body


def test_resident_search_finds_only_residents_in_scope_and_masks_them(world, clients):
    mine = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="周小明")
    ResidentFactory(household=HouseholdFactory(grid=world.grid_b1), name="周大明")
    body = clients["village_cadre"].get(reverse("disputes:resident-search"), {"q": "周", "prefix": "parties-0"}
                                        ).content.decode()
    assert "周小明" in body and "周大明" not in body
    assert mine.id_number not in body and mine.masked_id_number in body
    assert 'data-prefix="parties-0"' in body


# --- The case page and its actions ------------------------------------------------------------------------


def test_case_page_is_404_out_of_scope_and_405_for_post(world, clients, dispute_a, dispute_b):
    url = reverse("disputes:detail", args=[dispute_b.pk])
    assert clients["village_cadre"].get(url).status_code == 404
    assert clients["outsider"].get(reverse("disputes:detail", args=[dispute_a.pk])).status_code == 404
    assert clients["household_head"].get(reverse("disputes:detail", args=[dispute_a.pk])).status_code == 404
    assert clients["staff"].post(url).status_code == 405
    assert clients["village_cadre"].get(reverse("disputes:detail", args=[dispute_a.pk])).status_code == 200


def test_case_page_shows_history_with_the_actions_taken(world, clients, dispute_a):
    clients["village_cadre"].post(reverse("disputes:accept", args=[dispute_a.pk]))
    body = clients["village_cadre"].get(dispute_a.get_absolute_url()).content.decode()
    assert 'data-testid="history"' in body
    assert world.users["village_cadre"].display_name in body
    assert 'data-testid="action-start-mediation"' in body


def test_accept_is_post_only_and_a_refused_transition_is_a_message(world, clients, dispute_a):
    url = reverse("disputes:accept", args=[dispute_a.pk])
    before = dispute_a.history.count()
    assert clients["village_cadre"].get(url).status_code == 405
    assert clients["village_cadre"].post(url).status_code == 302
    response = clients["village_cadre"].post(url, follow=True)
    assert "只有已登记的纠纷才能受理。" in response.content.decode()
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.ACCEPTED
    assert dispute_a.history.count() == before + 1


def test_action_forms_are_refused_for_other_methods_and_to_read_only_roles(world, clients, dispute_a):
    url = reverse("disputes:start-mediation", args=[dispute_a.pk])
    assert clients["village_cadre"].delete(url).status_code == 405
    assert clients["supervisor"].get(url).status_code == 403
    assert clients["household_head"].get(url).status_code == 404


def test_an_action_not_available_in_the_current_state_redirects_with_a_message(world, clients, dispute_a):
    response = clients["village_cadre"].get(reverse("disputes:succeed", args=[dispute_a.pk]))
    assert response.status_code == 302


@pytest.mark.today(TODAY, tick=False)
def test_mediating_through_the_pages_up_to_closing(world, clients, dispute_a):
    c = clients["village_cadre"]
    pk = dispute_a.pk
    c.post(reverse("disputes:accept", args=[pk]))
    r = c.post(reverse("disputes:start-mediation", args=[pk]), {
        "method": "people", "on": "2026-11-19", "mediators": [world.users["village_cadre"].pk],
        "mediator_names": "老支书李德明，律师王红"})
    assert r.status_code == 302
    assert set(dispute_a.mediators.values_list("name", flat=True)) >= {"老支书李德明", "律师王红"}
    r = c.post(reverse("disputes:session-add", args=[pk]), {
        "held_on": "2026-11-19", "place": "村委会", "participants": "双方及调解员", "content": "双方陈述", "result": ""})
    assert r.status_code == 302
    r = c.post(reverse("disputes:succeed", args=[pk]), {
        "on": "2026-11-20", "agreement_form": "written", "terms": "甲方清理排水沟", "fulfilment": "pending"})
    assert r.status_code == 302
    r = c.post(reverse("disputes:fulfilment", args=[pk]), {"fulfilment": "fulfilled", "note": ""})
    assert r.status_code == 302
    r = c.post(reverse("disputes:follow-up", args=[pk]), {"on": "2026-11-20", "notes": "已清理"})
    assert r.status_code == 302
    r = c.post(reverse("disputes:close", args=[pk]), {"outcome": "resolved", "note": ""})
    dispute_a.refresh_from_db()
    assert dispute_a.status == S.CLOSED
    assert dispute_a.fulfilment == "fulfilled"
    assert dispute_a.sessions.count() == 1
    assert c.get(reverse("disputes:update", args=[pk])).status_code == 302


@pytest.mark.today(TODAY, tick=False)
def test_an_invalid_action_form_keeps_what_was_typed(world, clients, dispute_a):
    advance(dispute_a, S.MEDIATING, world.users["staff"])
    response = clients["village_cadre"].post(reverse("disputes:succeed", args=[dispute_a.pk]), {
        "on": "2026-11-20", "agreement_form": "written", "terms": "", "fulfilment": "pending"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    response = clients["village_cadre"].post(reverse("disputes:fail", args=[dispute_a.pk]), {
        "on": "2030-01-01", "reason": "谈不拢"})
    assert response.status_code == 200
    assert "谈不拢" in response.content.decode()


@pytest.mark.today(TODAY, tick=False)
def test_escalating_through_the_page_needs_a_handler(world, clients, dispute_a):
    url = reverse("disputes:escalate", args=[dispute_a.pk])
    body = clients["village_cadre"].get(url).content.decode()
    assert 'value="township"' in body and 'value="village"' not in body
    assert clients["village_cadre"].post(url, {"to_level": "township", "reason": "难以化解"}).status_code == 200
    r = clients["village_cadre"].post(url, {"to_level": "township", "reason": "难以化解",
                                            "handler": world.users["staff"].pk})
    assert r.status_code == 302
    dispute_a.refresh_from_db()
    assert dispute_a.level == "township"
    assert clients["village_cadre"].get(reverse("disputes:hand-down", args=[dispute_a.pk])).status_code == 403


def test_edit_and_parties(world, clients, dispute_a):
    url = reverse("disputes:update", args=[dispute_a.pk])
    r = clients["village_cadre"].post(url, {"title": "新标题", "kind": "land", "source": "screening",
                                            "grid": world.grid_a2.pk, "risk": "major", "description": "改",
                                            "amount": "1200.50", "people_involved": "3"})
    assert r.status_code == 302
    dispute_a.refresh_from_db()
    assert (dispute_a.title, dispute_a.grid, dispute_a.village) == ("新标题", world.grid_a2, world.village_a)
    r = clients["village_cadre"].post(url, {"title": "x", "kind": "land", "source": "screening",
                                            "grid": world.grid_b1.pk, "risk": "major", "description": "改",
                                            "people_involved": "3"})
    assert r.status_code == 200
    r = clients["village_cadre"].post(reverse("disputes:party-add", args=[dispute_a.pk]), {
        "party-side": "respondent", "party-name": "钱七", "party-phone": "13900001111"})
    assert r.status_code == 302
    assert dispute_a.parties.count() == 2
    party = dispute_a.parties.get(name="钱七")
    remove = reverse("disputes:party-remove", args=[party.pk])
    assert clients["village_cadre"].get(remove).status_code == 405
    assert clients["village_cadre_b"].post(remove).status_code == 404
    assert clients["village_cadre"].post(remove).status_code == 302
    assert not Party.objects.filter(pk=party.pk).exists()
    last = dispute_a.parties.get()
    clients["village_cadre"].post(reverse("disputes:party-remove", args=[last.pk]))
    assert Party.objects.filter(pk=last.pk).exists()  # a dispute keeps one party


# --- 包案 and supervision -----------------------------------------------------------------------------------


@pytest.mark.today(TODAY, tick=False)
def test_staff_sets_the_assignment_and_a_supervisor_puts_it_under_supervision(world, clients, dispute_a):
    url = reverse("disputes:assignment", args=[dispute_a.pk])
    assert clients["village_cadre"].get(url).status_code == 403
    assert clients["supervisor"].post(reverse("disputes:supervise", args=[dispute_a.pk]),
                                      {"level": "red", "comment": "尽快化解"}).status_code == 200  # no assignment yet
    r = clients["staff"].post(url, {"lead": world.users["supervisor"].pk, "responsible_unit": "镇司法所",
                                    "team": [world.users["village_cadre"].pk], "deadline": "2026-11-30"})
    assert r.status_code == 302
    a = assignment_for(dispute_a)
    assert (a.lead, a.deadline, list(a.team.all())) == (world.users["supervisor"], dt.date(2026, 11, 30),
                                                        [world.users["village_cadre"]])
    assert a.case_url == dispute_a.get_absolute_url()
    supervise = reverse("disputes:supervise", args=[dispute_a.pk])
    assert clients["staff"].post(supervise, {"level": "red"}).status_code == 403
    assert clients["supervisor"].post(supervise, {"level": "red", "comment": "尽快化解"}).status_code == 302
    a.refresh_from_db()
    assert (a.supervision_level, a.supervised_by) == ("red", world.users["supervisor"])


@pytest.mark.today(TODAY, tick=False)
def test_an_overdue_dispute_is_marked_red_on_its_page_and_in_the_list(world, clients, dispute_a):
    with time_machine.travel(dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        dispute_assign(dispute=dispute_a, by=world.users["staff"], lead=world.users["supervisor"],
                       responsible_unit="镇司法所", deadline=dt.date(2026, 11, 10))
    other = DisputeFactory(grid=world.grid_a1)
    with time_machine.travel(TODAY, tick=False):
        body = clients["village_cadre"].get(dispute_a.get_absolute_url()).content.decode()
        assert 'data-testid="overdue-badge"' in body
        assert 'class="card overdue"' in body
        listing = clients["village_cadre"].get(reverse("disputes:list")).content.decode()
        rows = re.findall(r'<tr class="([^"]*)" data-testid="dispute-row">', listing)
        assert sorted("overdue" in classes.split() for classes in rows) == [False, True]
        overdue_only = clients["village_cadre"].get(reverse("disputes:list"), {"overdue": "yes"}).content.decode()
        assert dispute_a.number in overdue_only and other.number not in overdue_only
    with time_machine.travel(dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC), tick=False):
        body = clients["village_cadre"].get(dispute_a.get_absolute_url()).content.decode()
        assert 'data-testid="overdue-badge"' not in body


def test_a_serious_dispute_without_assignment_says_so(world, clients):
    dispute = DisputeFactory(grid=world.grid_a1, risk="major")
    PartyFactory(dispute=dispute)
    assert 'data-testid="needs-assignment"' in clients["staff"].get(dispute.get_absolute_url()).content.decode()


# --- The agreement and the household panel ---------------------------------------------------------------


def test_the_mediation_agreement_prints_parties_terms_and_signature_lines(world, clients, dispute_a):
    url = reverse("disputes:agreement-print", args=[dispute_a.pk])
    assert clients["village_cadre"].get(url).status_code == 302  # no agreement yet
    advance(dispute_a, S.SUCCEEDED, world.users["staff"])
    response = clients["village_cadre"].get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "双方以原界桩为准。" in body and "张三" in body
    assert body.count('data-testid="party-signature"') == 1 and "按指印" in body
    assert "data-paper-print" in body
    assert clients["village_cadre_b"].get(url).status_code == 404
    assert clients["staff"].put(url).status_code == 405


def test_household_panel_lists_the_households_disputes_in_scope(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    via_party = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=via_party, resident=ResidentFactory(household=household))
    via_visit = DisputeFactory(grid=world.grid_a1, visit=VisitFactory(grid=world.grid_a1, households=[household]))
    unrelated = DisputeFactory(grid=world.grid_a1)
    url = reverse("disputes:household-panel", args=[household.pk])
    body = clients["village_cadre"].get(url).content.decode()
    assert via_party.number in body and via_visit.number in body and unrelated.number not in body
    assert "<html" not in body
    assert clients["village_cadre_b"].get(url).status_code == 404
    assert clients["village_cadre"].post(url).status_code == 405


# --- Lists ---------------------------------------------------------------------------------------------------


def test_list_filters(world, clients):
    a = DisputeFactory(grid=world.grid_a1, kind="land", title="山林权属争议", registered_on=dt.date(2026, 3, 1))
    b = DisputeFactory(grid=world.grid_a2, kind="labour", risk="major", registered_on=dt.date(2026, 9, 1))
    c = DisputeFactory(grid=world.grid_b1, kind="land", level="township", registered_on=dt.date(2026, 10, 1))
    PartyFactory(dispute=b, name="欧阳锋")
    url = reverse("disputes:list")

    def numbers(**params):
        body = clients["staff"].get(url, params).content.decode()
        return {d.number for d in (a, b, c) if d.number in body}

    assert numbers() == {a.number, b.number, c.number}
    assert numbers(kind="land") == {a.number, c.number}
    assert numbers(level="township") == {c.number}
    assert numbers(risk="major") == {b.number}
    assert numbers(village=world.village_a.pk) == {a.number, b.number}
    assert numbers(village=world.village_a.pk, grid=world.grid_a2.pk) == {b.number}
    assert numbers(q="山林") == {a.number}
    assert numbers(q="欧阳") == {b.number}
    assert numbers(registered_from="2026-08-01", registered_to="2026-09-30") == {b.number}
    assert numbers(status="registered") == {a.number, b.number, c.number}
    assert numbers(supervised="yes") == set()


def test_village_cadre_filtering_on_another_village_sees_none_of_its_rows(world, clients, dispute_a, dispute_b):
    body = clients["village_cadre"].get(reverse("disputes:list"), {"village": world.village_b.pk}).content.decode()
    assert dispute_b.number not in body
    body = clients["village_cadre"].get(reverse("disputes:list")).content.decode()
    assert dispute_a.number in body and dispute_b.number not in body
    assert f'value="{world.village_b.pk}"' not in body


def _rows(world, n):
    for i in range(n):
        d = DisputeFactory(grid=world.grid_a1 if i % 2 else world.grid_a2)
        PartyFactory(dispute=d)
        if i % 3 == 0:
            dispute_assign(dispute=d, by=world.users["staff"], lead=world.users["supervisor"],
                           responsible_unit="镇司法所", deadline=dt.date(2026, 1, 1))


@pytest.mark.parametrize("n", [10, 100])
def test_the_list_query_count_does_not_grow_with_rows(world, clients, django_assert_max_num_queries, n):
    _rows(world, n)
    client = clients["village_cadre"]
    client.get(reverse("disputes:list"))
    with django_assert_max_num_queries(13):
        response = client.get(reverse("disputes:list"), {"per_page": 100})
    assert response.status_code == 200


def test_pages_without_arguments_refuse_other_methods(world, clients):
    for name in ("disputes:list", "disputes:export", "disputes:figures", "disputes:grid-options",
                 "disputes:resident-search"):
        assert clients["staff"].post(reverse(name)).status_code == 405, name


def test_the_grid_filter_lists_the_grids_of_the_chosen_village_only(world, clients):
    url = reverse("disputes:list")
    body = clients["staff"].get(url).content.decode()
    assert f'<option value="{world.grid_b1.pk}"' not in body
    body = clients["staff"].get(url, {"village": world.village_a.pk}).content.decode()
    assert f'<option value="{world.grid_a1.pk}"' in body and f'<option value="{world.grid_b1.pk}"' not in body
    # A link naming only a grid (e.g. from a dashboard) still filters, and shows that grid.
    body = clients["staff"].get(url, {"grid": world.grid_b1.pk}).content.decode()
    assert f'<option value="{world.grid_b1.pk}" selected>' in body
    assert clients["village_cadre"].get(url, {"grid": world.grid_b1.pk}).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_the_household_panel_and_the_ledger_query_counts_do_not_grow(world, clients, django_assert_max_num_queries,
                                                                      n):
    household = HouseholdFactory(grid=world.grid_a1)
    resident = ResidentFactory(household=household)
    for _ in range(n):
        d = DisputeFactory(grid=world.grid_a1)
        PartyFactory(dispute=d, resident=resident, name=resident.name)
        dispute_assign(dispute=d, by=world.users["staff"], lead=world.users["supervisor"],
                       responsible_unit="镇司法所", deadline=dt.date(2026, 1, 1))
    client = clients["village_cadre"]
    with django_assert_max_num_queries(10):
        body = client.get(reverse("disputes:household-panel", args=[household.pk])).content.decode()
    assert body.count('data-testid="household-dispute"') == n
    with django_assert_max_num_queries(12):
        response = client.get(reverse("disputes:export"), {"format": "csv"})
        rows = b"".join(response.streaming_content).decode().count("\n")
    assert rows == n + 1
    with django_assert_max_num_queries(12):
        assert client.get(reverse("disputes:export"), {"format": "xlsx"}).status_code == 200
