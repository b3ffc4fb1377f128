"""Every petition view: out of scope 404 (any method), read-only 403, wrong method 405; who reaches what."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.services import assignment_for
from petitions.models import Petition
from tests.factories import HouseholdFactory, ResidentFactory, UserFactory

from . import scoping
from .factories import advance, assign, outsider, register, resident_petitioner

ACTION_NAMES = [n for n in scoping.ACTIONS if n not in ("detail", "correct")]  # correct: a page with its form


def test_every_url_with_arguments_has_a_scoping_entry(world):
    from django.urls import get_resolver

    resolver = get_resolver()
    petitions_resolver = next(r for r in resolver.url_patterns if getattr(r, "namespace", None) == "petitions")
    names = {f"petitions:{p.name}" for p in petitions_resolver.url_patterns if p.pattern.regex.groupindex}
    assert names == set(scoping.objects_in(world, world.village_a))


def test_the_matrix_holds_for_petitions(world, clients):
    """What tests/governance/test_scoping_matrix.py asserts, run here on the petitions app alone."""
    theirs = scoping.objects_in(world, world.village_b)
    for name, kwargs in theirs.items():
        url = reverse(name, kwargs=kwargs)
        assert clients["village_cadre"].get(url).status_code == 404, name
        assert clients["village_cadre"].post(url).status_code == 404, name
        assert clients["outsider"].get(url).status_code == 404, name
        assert clients["staff"].get(url).status_code != 404, name
    for name in scoping.LIST_URLS:
        response = clients["village_cadre"].get(reverse(name), {"village": world.village_b.pk})
        assert "XF-" not in response.content.decode()


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_actions_answer_405_to_get(world, clients, petition_a, name):
    assert clients["staff"].get(reverse(f"petitions:{name}", args=[petition_a.pk])).status_code == 405


@pytest.mark.parametrize("name", ACTION_NAMES)
def test_a_household_head_reads_their_households_petition_but_may_not_act(world, clients, name):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    resident = ResidentFactory(household=household)
    petition = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(resident)])
    client = clients["household_head"]
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
    assert client.post(reverse(f"petitions:{name}", args=[petition.pk])).status_code == 403


def test_a_household_head_does_not_see_other_households_petitions(world, clients, petition_a):
    assert clients["household_head"].get(reverse("petitions:detail", args=[petition_a.pk])).status_code == 404


@pytest.mark.parametrize("name", ["accept", "assign", "supervise", "extend", "reopen", "closeout-decide"])
def test_a_village_cadre_cannot_take_the_townships_decisions(world, clients, petition_a, name):
    assert clients["village_cadre"].post(reverse(f"petitions:{name}", args=[petition_a.pk])).status_code == 403


def test_a_grid_worker_sees_the_petitions_of_their_grids_households_only(world, clients, petition_a, petition_b):
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1))
    own = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(resident)])
    client = clients["grid_worker"]
    assert client.get(reverse("petitions:detail", args=[own.pk])).status_code == 200
    # A petition of the village alone (no household) is for the village's cadres, not for a grid worker.
    assert client.get(reverse("petitions:detail", args=[petition_a.pk])).status_code == 404
    assert client.get(reverse("petitions:detail", args=[petition_b.pk])).status_code == 404


def test_a_village_cadre_gets_404_for_another_villages_petition(world, clients, petition_b):
    assert clients["village_cadre"].get(reverse("petitions:detail", args=[petition_b.pk])).status_code == 404
    assert clients["village_cadre_b"].get(reverse("petitions:detail", args=[petition_b.pk])).status_code == 200


def test_a_lead_official_reaches_the_petitions_they_lead_wherever_they_are(world, clients, petition_b):
    lead = world.users["village_cadre"]  # village A's cadre leads a case in village B
    assert clients["village_cadre"].get(reverse("petitions:detail", args=[petition_b.pk])).status_code == 404
    assign(petition_b, by=world.users["staff"], lead=lead)
    assert clients["village_cadre"].get(reverse("petitions:detail", args=[petition_b.pk])).status_code == 200
    assert petition_b in Petition.objects.visible_to(lead)
    body = clients["village_cadre"].get(reverse("petitions:list")).content.decode()
    assert petition_b.number in body


def test_a_team_member_from_another_township_reaches_the_petition_and_may_work_on_it(world, petition_b):
    from django.test import Client

    member = UserFactory(role="township_cadre", township=world.other_township)
    assign(petition_b, by=world.users["staff"], lead=world.users["supervisor"], team=[member])
    client = Client()
    client.force_login(member)
    assert client.get(reverse("petitions:detail", args=[petition_b.pk])).status_code == 200
    response = client.post(reverse("petitions:progress", args=[petition_b.pk]), {
        "progress-done_on": petition_b.received_on.isoformat(), "progress-handler": "县住建局 刘工",
        "progress-action": "现场勘查"})
    assert response.status_code == 302
    assert petition_b.progress.get().handler == "县住建局 刘工"


# --- Supervision (挂牌督办) --------------------------------------------------------------------------


def test_a_supervisor_puts_a_petition_under_red_card_supervision_shown_on_page_and_list(world, clients, petition_a):
    assign(petition_a, by=world.users["staff"], lead=world.users["township_cadre"])
    response = clients["supervisor"].post(reverse("petitions:supervise", args=[petition_a.pk]), {
        "supervise-level": "red", "supervise-comment": "限期十日内化解"})
    assert response.status_code == 302
    assignment = assignment_for(petition_a)
    assert (assignment.supervision_level, assignment.supervised_by) == ("red", world.users["supervisor"])
    page = clients["staff"].get(petition_a.get_absolute_url()).content.decode()
    assert "限期十日内化解" in page and 'data-testid="supervision"' in page
    listing = clients["village_cadre"].get(reverse("petitions:list"), {"supervised": "yes"}).content.decode()
    assert petition_a.number in listing and "badge-red" in listing
    assert assignment.history.count() >= 2


def test_supervision_needs_an_assignment_and_a_comment(world, clients, petition_a):
    url = reverse("petitions:supervise", args=[petition_a.pk])
    assert clients["supervisor"].post(url, {"supervise-level": "yellow", "supervise-comment": "加快"}).status_code == 400
    assign(petition_a, by=world.users["staff"], lead=world.users["township_cadre"])
    assert clients["supervisor"].post(url, {"supervise-level": "yellow"}).status_code == 400
    assert assignment_for(petition_a).supervision_level == ""


def test_only_a_supervisor_supervises(world, clients, petition_a):
    assign(petition_a, by=world.users["staff"], lead=world.users["township_cadre"])
    url = reverse("petitions:supervise", args=[petition_a.pk])
    assert clients["staff"].post(url, {"supervise-level": "yellow", "supervise-comment": "加快"}).status_code == 403


# --- The other actions through the pages -------------------------------------------------------------


def test_accept_assign_checklist_progress_reply_and_satisfaction_through_the_pages(world, clients, petition_a):
    staff = clients["staff"]
    today = petition_a.received_on.isoformat()

    def post(name, data):
        response = staff.post(reverse(f"petitions:{name}", args=[petition_a.pk]), data)
        assert response.status_code == 302, response.content.decode()[-2000:]

    post("accept", {"accept-accepted_on": today})
    post("assign", {"assign-lead": world.users["supervisor"].pk, "assign-responsible_unit": "镇国土所",
                    "assign-team": [world.users["village_cadre"].pk], "assign-deadline": today})
    assignment = assignment_for(petition_a)
    # the 四包 is the 包案's, ticked by its lead official on the petition's page
    page = clients["supervisor"].get(reverse("petitions:detail", args=[petition_a.pk])).content.decode()
    assert reverse("inbox:checklist", args=[assignment.pk]) in page
    assert reverse("inbox:checklist", args=[assignment.pk]) not in staff.get(
        reverse("petitions:detail", args=[petition_a.pk])).content.decode()
    response = clients["supervisor"].post(reverse("inbox:checklist", args=[assignment.pk]),
                                          {"done_investigate": "on", "note_investigate": "已走访核实"})
    assert response.url == reverse("petitions:detail", args=[petition_a.pk])
    post("progress", {"progress-done_on": today, "progress-handler": "张三", "progress-action": "召开协调会"})
    post("reply", {"reply-reply_text": "依据政策补发补偿款", "reply-replied_on": today})
    post("satisfaction", {"satisfaction-satisfaction": "basically"})
    petition_a.refresh_from_db()
    assert petition_a.status == Petition.Status.REPLIED and petition_a.satisfaction == "basically"
    assert assignment.checks.get().note == "已走访核实"
    assert assignment.responsible_unit == "镇国土所" and list(assignment.team.all()) == [world.users["village_cadre"]]
    assert assignment.deadline == petition_a.due_on == petition_a.received_on


def test_a_rejected_progress_entry_keeps_the_typed_text(world, clients, petition_a):
    response = clients["staff"].post(reverse("petitions:progress", args=[petition_a.pk]), {
        "progress-done_on": "2001-01-01", "progress-handler": "张三", "progress-action": "召开协调会议"})
    assert response.status_code == 400
    assert "召开协调会议" in response.content.decode()


def test_the_extension_form_refuses_more_than_thirty_days(world, clients, petition_a):
    advance(petition_a, Petition.Status.HANDLING, staff=world.users["staff"], supervisor=world.users["supervisor"])
    url = reverse("petitions:extend", args=[petition_a.pk])
    assert clients["supervisor"].post(url, {"extend-days": "31", "extend-reason": "复杂"}).status_code == 400
    assert clients["supervisor"].post(url, {"extend-days": "30", "extend-reason": "复杂"}).status_code == 302
    petition_a.refresh_from_db()
    assert petition_a.extension_days == 30


# --- The list -------------------------------------------------------------------------------------


def _many(world, n):
    staff = world.users["staff"]
    for i in range(n):
        petition = register(by=staff, village=world.village_a, petitioners=[outsider(f"人{i}")],
                            received_on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 20))
        if i % 3 == 0:
            assign(petition, by=staff, lead=world.users["supervisor"], team=[world.users["village_cadre"]])


@pytest.mark.parametrize("rows", [10, 100])
def test_the_list_takes_the_same_number_of_queries_at_10_and_100_rows(world, clients, rows, django_assert_max_num_queries):
    _many(world, rows)
    with django_assert_max_num_queries(12):
        response = clients["staff"].get(reverse("petitions:list"))
    assert response.status_code == 200


def test_overdue_rows_are_red(world, clients):
    staff = world.users["staff"]
    late = register(by=staff, village=world.village_a, received_on=dt.date(2020, 1, 1))
    fresh = register(by=staff, village=world.village_a, subject=Petition.Subject.LABOUR)
    body = clients["staff"].get(reverse("petitions:list")).content.decode()
    rows = [line for line in body.splitlines() if 'data-testid="petition-row"' in line]
    assert any('class="overdue' in r for r in rows)
    assert any('class="overdue' not in r for r in rows)
    only_overdue = clients["staff"].get(reverse("petitions:list"), {"overdue": "yes"}).content.decode()
    assert late.number in only_overdue and fresh.number not in only_overdue
    page = clients["staff"].get(late.get_absolute_url()).content.decode()
    assert 'overdue" data-testid="clock"' in page


def test_the_list_filters(world, clients):
    staff = world.users["staff"]
    letter = register(by=staff, village=world.village_a, channel=Petition.Channel.LETTER,
                      subject=Petition.Subject.ENVIRONMENT, received_on=dt.date(2026, 2, 1))
    visit = register(by=staff, village=world.village_b, head_count=6, received_on=dt.date(2026, 1, 1))
    assign(visit, by=staff, lead=world.users["township_cadre"])

    def numbers(**params):
        page = clients["staff"].get(reverse("petitions:list"), params)
        return {p.number for p in page.context["table"].page.object_list.data}

    assert numbers(channel="letter") == {letter.number}
    assert numbers(subject="environment") == {letter.number}
    assert numbers(form="collective") == {visit.number}
    assert numbers(village=world.village_b.pk) == {visit.number}
    assert numbers(lead=world.users["township_cadre"].pk) == {visit.number}
    assert numbers(received_from="2026-01-15") == {letter.number}
    assert numbers(received_to="2026-01-15") == {visit.number}
    assert numbers(status="registered") == {letter.number, visit.number}
    assert numbers(q=letter.number) == {letter.number}


def test_the_village_filter_offers_only_visible_villages(world, clients):
    form = clients["village_cadre"].get(reverse("petitions:list")).context["filter"].form
    assert list(form.fields["village"].queryset) == [world.village_a]


# --- The household panel ------------------------------------------------------------------------------


def test_the_household_panel_lists_the_households_petitions(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    resident = ResidentFactory(household=household)
    mine = register(by=world.users["staff"], village=world.village_a, petitioners=[resident_petitioner(resident)])
    other = register(by=world.users["staff"], village=world.village_a)
    response = clients["village_cadre"].get(reverse("petitions:household-panel", args=[household.pk]))
    body = response.content.decode()
    assert mine.number in body and other.number not in body
    assert "<html" not in body


def test_the_household_panel_is_404_out_of_scope(world, clients):
    household = HouseholdFactory(grid=world.grid_b1)
    assert clients["village_cadre"].get(reverse("petitions:household-panel", args=[household.pk])).status_code == 404


def test_a_superuser_sees_every_petition(world, petition_a, petition_b):
    admin = UserFactory(is_superuser=True, township=None)
    assign(petition_a, by=world.users["staff"], lead=admin)
    assert set(Petition.objects.visible_to(admin)) == {petition_a, petition_b}


def test_the_other_townships_staff_see_none_of_ours(world, petition_a):
    assert not Petition.objects.visible_to(world.users["outsider"]).exists()


def test_every_transition_leaves_one_history_row(world, petition_a):
    from petitions import services
    from petitions.models import CloseOut

    staff, supervisor = world.users["staff"], world.users["supervisor"]
    steps = [
        lambda: services.petition_accept(petition=petition_a, by=staff, on=petition_a.received_on),
        lambda: services.petition_extend(petition=petition_a, by=supervisor, days=5, reason="复杂"),
        lambda: petition_a.record_reply(by=staff, text="已答复", on=petition_a.received_on),
        lambda: petition_a.record_satisfaction(by=staff, level="satisfied"),
        lambda: petition_a.request_closeout(by=staff, outcome=CloseOut.Outcome.RESOLVED),
        lambda: services.petition_closeout_decide(petition=petition_a, by=supervisor, approve=True),
        lambda: services.petition_reopen(petition=petition_a, by=staff, reason="再次反映"),
    ]
    for step in steps:
        before = petition_a.history.count()
        step()
        assert petition_a.history.count() == before + 1


def test_the_lead_dropdown_lists_the_leads_of_the_petitions_the_user_sees(world, clients, petition_b):
    """Leads of the township's petitions, and of a petition elsewhere the user answers for; not of others."""
    import re

    from tests.factories import VillageFactory

    elsewhere = register(by=world.users["outsider"], village=VillageFactory(township=world.other_township))
    far_lead = UserFactory(role="township_cadre", township=world.other_township)
    assign(elsewhere, by=world.users["outsider"], lead=far_lead, team=[world.users["staff"]])
    assign(petition_b, by=world.users["staff"], lead=world.users["supervisor"])

    def leads(persona):
        body = clients[persona].get(reverse("petitions:list")).content.decode()
        select = re.search(r'<select name="lead".*?</select>', body, re.S).group(0)
        return {int(v) for v in re.findall(r'value="(\d+)"', select)}

    supervisor = world.users["supervisor"].pk
    assert leads("staff") == {supervisor, far_lead.pk}
    assert leads("outsider") == {far_lead.pk}
    assert leads("village_cadre_b") == {supervisor}
    assert leads("village_cadre") == set()


def test_a_petitions_assignment_follows_its_household_to_another_grid(world, clients):
    from households.services import household_save

    household = HouseholdFactory(grid=world.grid_a1)
    petition = register(by=world.users["staff"], village=world.village_a,
                        petitioners=[resident_petitioner(ResidentFactory(household=household))])
    assign(petition, by=world.users["staff"], lead=world.users["supervisor"])
    board = reverse("dashboards:assignments")
    assert petition.number in clients["grid_worker"].get(board).content.decode()
    household.grid = world.grid_a2
    household_save(household=household)
    assert assignment_for(petition).grid == world.grid_a2
    assert petition.number not in clients["grid_worker"].get(board).content.decode()
    assert petition.number in clients["grid_worker_a2"].get(board).content.decode()
    assert clients["grid_worker_a2"].get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
