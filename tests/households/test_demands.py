"""Demands (诉求) on the rectification engine: logged on a visit (inside the visit form) or without one (a phone call,
a walk-in), followed up with level, category, a deadline that is a 包案 assignment the reminder scan chases, handled,
re-checked by someone else, and closed out (销号) by one user at another's request."""

import datetime as dt

import time_machine
from django.urls import reverse

from casework import reminders
from casework.models import Reminder, ResponsibilityAssignment
from casework.services import assignment_for
from households import services
from households.models import Demand, DemandCategory, Visit
from tests.casework.reminder_fixtures import at
from tests.factories import VisitFactory
from tests.households.factories import DemandFactory

TODAY = dt.date(2026, 11, 20)


def _visit_post(registry, **extra):
    data = {"households": [registry.a1.pk], "visited_on": "2026-11-20", "method": "in_home", "notes": "了解近况"}
    data.update(extra)
    return data


def test_a_household_head_logs_a_visit_with_a_demand_in_one_save(world, clients, registry):
    category = DemandCategory.objects.get(code="infrastructure")
    response = clients["household_head"].post(reverse("households:visit-create"), _visit_post(
        registry, demand_raised="on", demand_content="入户便道坑洼，希望硬化", demand_category=category.pk,
        demand_level="township"))
    assert response.status_code == 302
    visit = Visit.objects.get()
    demand = Demand.objects.get()
    assert (demand.visit, demand.household, demand.category, demand.level, demand.channel, demand.status) == (
        visit, registry.a1, category, "township", "visit", "pending")
    page = clients["household_head"].get(reverse("households:visit-detail", args=[visit.pk])).content.decode()
    assert demand.number in page and "入户便道坑洼" in page


def test_a_visit_form_with_a_demand_ticked_but_not_described_is_refused_and_keeps_what_was_typed(
        world, clients, registry):
    response = clients["household_head"].post(reverse("households:visit-create"), _visit_post(
        registry, demand_raised="on", demand_content="  ", notes="说了很多"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写诉求内容" in body and "说了很多" in body
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_a_visit_without_the_demand_box_ticked_creates_no_demand(world, clients, registry):
    clients["household_head"].post(reverse("households:visit-create"), _visit_post(registry, demand_content="随口一提"))
    assert Visit.objects.count() == 1 and not Demand.objects.exists()


def test_a_village_cadre_logs_a_phone_demand_without_a_visit(world, clients, registry):
    url = reverse("households:demand-log")
    assert clients["village_cadre"].get(url + f"?household={registry.a1.pk}").status_code == 200
    response = clients["village_cadre"].post(url, {
        "household": registry.a1.pk, "channel": "phone", "content": "咨询高龄津贴申领", "level": "village",
        "category": DemandCategory.objects.get(code="social-security").pk})
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == demand.get_absolute_url()
    assert (demand.visit, demand.channel, demand.grid, demand.raised_by) == (
        None, "phone", world.grid_a1, world.users["village_cadre"])


def test_a_demand_cannot_be_logged_for_a_household_out_of_scope_and_the_form_keeps_the_text(world, clients, registry):
    response = clients["village_cadre_b"].post(reverse("households:demand-log"), {
        "household": registry.a1.pk, "channel": "walk_in", "content": "来村委反映路灯不亮", "level": "village"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "来村委反映路灯不亮" in body and not Demand.objects.exists()


def test_a_household_head_cannot_open_the_demand_log_form(world, clients):
    assert clients["household_head"].get(reverse("households:demand-log")).status_code == 403


def _follow_up(client, demand, owner, deadline="2026-11-27"):
    return client.post(reverse("households:demand-follow-up", args=[demand.pk]), {
        "level": "township", "category": DemandCategory.objects.get(code="infrastructure").pk,
        "requirement": "协调交通办硬化便道", "deadline": deadline, "owner": owner.pk, "responsible_unit": "镇交通办"})


def test_follow_up_sets_level_category_owner_and_a_deadline_the_scan_chases(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    cadre = world.users["township_cadre"]
    assert _follow_up(clients["village_cadre"], demand, cadre).status_code == 302
    demand.refresh_from_db()
    assert (demand.status, demand.level, demand.owner, demand.deadline) == (
        "rectifying", "township", cadre, dt.date(2026, 11, 27))
    assignment = assignment_for(demand)
    assert (assignment.lead, assignment.deadline, assignment.responsible_unit) == (cadre, demand.deadline, "镇交通办")
    assert assignment.village == world.village_a and assignment.grid == world.grid_a1
    with time_machine.travel(at(dt.date(2026, 11, 30), 9, 0), tick=False):
        reminders.scan()
    assert Reminder.objects.filter(assignment=assignment, stage="overdue").exists()
    # On the overdue board of the village's cadre, and the owner sees the demand page.
    assert ResponsibilityAssignment.objects.visible_to(world.users["village_cadre"]).filter(pk=assignment.pk).exists()
    page = clients["township_cadre"].get(demand.get_absolute_url()).content.decode()
    assert "协调交通办硬化便道" in page and 'data-testid="action-report"' in page


def test_a_followed_up_demand_cannot_be_settled_at_once(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    _follow_up(clients["village_cadre"], demand, world.users["township_cadre"])
    clients["village_cadre"].post(reverse("households:demand-status", args=[demand.pk]),
                                  {"outcome": "resolved", "note": "办好了"})
    demand.refresh_from_db()
    assert demand.status == "rectifying"


def test_the_whole_follow_up_ends_in_a_closeout_approved_by_someone_other_than_the_requester(
        world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    _follow_up(clients["village_cadre"], demand, world.users["township_cadre"])
    clients["village_cadre"].post(reverse("households:demand-report", args=[demand.pk]), {
        "outcome": "resolved", "done_on": "2026-11-20", "measures": "便道已硬化"})
    demand.refresh_from_db()
    assert (demand.status, demand.outcome) == ("recheck", "resolved")
    # The one who reported cannot re-check.
    response = clients["village_cadre"].post(reverse("households:demand-recheck", args=[demand.pk]), {
        "on": "2026-11-20", "passed": "yes"})
    assert "其他人" in response.content.decode() or response.status_code == 200
    demand.refresh_from_db()
    assert demand.status == "recheck"
    clients["grid_worker"].post(reverse("households:demand-recheck", args=[demand.pk]), {
        "on": "2026-11-20", "passed": "yes", "note": "回访群众满意"})
    demand.refresh_from_db()
    assert demand.status == "closeout" and not assignment_for(demand).is_open
    clients["staff"].post(reverse("households:demand-request-closeout", args=[demand.pk]), {"note": "申请销号"})
    # The requester is not offered the approval and is refused it.
    page = clients["staff"].get(demand.get_absolute_url()).content.decode()
    assert "action-decide-closeout" not in page
    assert clients["staff"].post(reverse("households:demand-decide-closeout", args=[demand.pk]),
                                 {"approve": "yes"}).status_code == 403
    demand.refresh_from_db()
    assert demand.status == "closeout"
    clients["supervisor"].post(reverse("households:demand-decide-closeout", args=[demand.pk]), {"approve": "yes"})
    demand.refresh_from_db()
    assert demand.status == "closed" and demand.closed_at is not None
    assert [h.history_change_reason for h in demand.history.order_by("history_id")][-1] == "closeout_approved"


def test_a_village_cadre_cannot_approve_a_closeout(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    url = reverse("households:demand-decide-closeout", args=[demand.pk])
    assert clients["village_cadre"].get(url).status_code == 403
    assert clients["village_cadre_b"].get(url).status_code == 404


def test_the_demand_creation_service_keeps_its_arguments_and_defaults(world, registry):
    visit = VisitFactory(grid=world.grid_a1, households=[registry.a1])
    demand = services.demand_raise(visit=visit, by=world.users["grid_worker"], content=" 想了解低保政策 ")
    assert (demand.content, demand.level, demand.category, demand.owner, demand.deadline) == (
        "想了解低保政策", "village", None, None, None)
    assert demand.number == "SQ-2026-0001"


def test_the_demand_list_and_ledger_show_level_category_deadline_and_status(world, clients, registry):
    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    _follow_up(clients["village_cadre"], demand, world.users["township_cadre"])
    page = clients["staff"].get(reverse("households:demand-list")).content.decode()
    assert demand.number in page and "镇级" in page
    response = clients["staff"].get(reverse("households:demand-list") + "?format=xlsx")
    assert response.status_code == 200


def test_every_demand_figure_equals_the_list_it_links_to_for_each_role(world, clients, registry):
    import re as _re

    staff, supervisor = world.users["staff"], world.users["supervisor"]
    from tests.households.factories import advance_demand

    def new(grid, households):
        return DemandFactory(visit=VisitFactory(grid=grid, households=households), household=households[0])

    new(world.grid_a1, [registry.a1])
    advance_demand(new(world.grid_a1, [registry.a1]), "rectifying", staff, checker=supervisor, approver=supervisor,
                   owner=staff)
    with time_machine.travel(at(dt.date(2026, 11, 10), 9, 0), tick=False):
        advance_demand(new(world.grid_a2, [registry.a2]), "rectifying", staff, checker=supervisor,
                       approver=supervisor, owner=staff, deadline=dt.date(2026, 11, 15))
    advance_demand(new(world.grid_b1, [registry.b1]), "closed", staff, checker=supervisor, approver=supervisor,
                   owner=staff)
    for who, expected in (("staff", (3, 1, 1)), ("village_cadre", (3, 1, 0)), ("grid_worker", (2, 0, 0))):
        body = clients[who].get(reverse("households:demand-figures")).content.decode()
        found = []
        for key in ("open", "overdue", "closed"):
            m = _re.search(rf'href="([^"]+)" data-testid="dm-{key}" data-count="(\d+)"', body)
            url, count = m.group(1).replace("&amp;", "&"), int(m.group(2))
            listed = clients[who].get(url).context["table"].paginator.count
            assert listed == count, (who, key)
            found.append(count)
        assert tuple(found) == expected, who


def test_a_demand_logged_without_a_visit_shows_on_the_household_page_with_a_link_to_itself(world, clients, registry):
    demand = services.demand_log(by=world.users["village_cadre"], household=registry.a1, channel="walk_in",
                                 content="来村委会咨询危房改造")
    body = clients["grid_worker"].get(reverse("households:detail", args=[registry.a1.pk])).content.decode()
    assert demand.get_absolute_url() in body and "来村委会咨询危房改造" in body
    assert reverse("households:demand-log") + f"?household={registry.a1.pk}" in body
    assert clients["grid_worker"].get(reverse("households:card", args=[registry.a1.pk])).status_code == 200


def test_the_demand_ledger_is_chinese_with_level_category_deadline_owner_status_and_closeout(
        world, clients, registry):
    from tests.core.sheet_checks import workbook_of

    demand = DemandFactory(visit=VisitFactory(grid=world.grid_a1, households=[registry.a1]), household=registry.a1)
    _follow_up(clients["village_cadre"], demand, world.users["township_cadre"])
    response = clients["staff"].get(reverse("households:demand-list"), {"format": "xlsx"})
    sheet = workbook_of(response).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    for word in ("诉求台账", "办理层级", "诉求类别", "办理时限", "责任人", "销号时间",
                 demand.number, "镇级", "整改中"):
        assert word in text, word
