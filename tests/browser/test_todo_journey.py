"""Each role's 待办 and a hand-over notice, in headless Chromium (#29 items 1 and 2): a village cadre on a phone finds an
overdue 包案 and a door to knock on at home and follows both links; a supervisor assigns a 包案 and its lead official
finds it in the inbox and opens the case."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from disputes.services import dispute_assign
from tests.conftest import login_through_page
from tests.disputes.factories import DisputeFactory, PartyFactory
from tests.factories import HouseholdFactory, tag, tag_with

pytestmark = pytest.mark.browser


def test_a_village_cadre_sees_an_overdue_case_and_a_due_household_at_home_and_follows_them(world, live_server, page):
    today = timezone.localdate()
    dispute = DisputeFactory(grid=world.grid_a1, title="水渠放水纠纷")
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["village_cadre"],
                   responsible_unit="桃源村调委会", deadline=today - dt.timedelta(days=2))
    lonely = HouseholdFactory(grid=world.grid_a1, head_name="独居王婆婆")
    tag_with(lonely, tag("elderly-alone"))

    page.set_viewport_size({"width": 360, "height": 740})
    login_through_page(page, live_server.url, "vcadre")
    page.goto(f"{live_server.url}/")
    overdue = page.get_by_test_id("todo-overdue_mine")
    expect(overdue.get_by_test_id("todo-count")).to_have_text("1")
    expect(page.get_by_test_id("todo-past_cadence").get_by_test_id("todo-count")).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    overdue.get_by_role("link").click()
    page.wait_for_url("**/dashboards/assignments/**")
    expect(page.get_by_test_id("assignment-row")).to_have_count(1)
    expect(page.get_by_test_id("assignment-row")).to_contain_text("水渠放水纠纷")

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("todo-past_cadence").get_by_role("link").click()
    page.wait_for_url("**/households/coverage/past-cadence/")
    expect(page.get_by_text("独居王婆婆")).to_be_visible()


def test_a_supervisor_assigns_a_case_and_the_lead_finds_it_in_the_inbox(world, live_server, page):
    dispute = DisputeFactory(grid=world.grid_a1, title="宅基地界址纠纷", risk="major")
    PartyFactory(dispute=dispute)

    login_through_page(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/disputes/{dispute.pk}/assignment/")
    page.select_option("#id_lead", str(world.users["township_cadre"].pk))
    page.fill("#id_responsible_unit", "镇司法所")
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("assignment")).to_contain_text("镇司法所")

    login_through_page(page, live_server.url, "tcadre")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("inbox-unread")).to_have_text("1")
    page.get_by_test_id("inbox-bell").click()
    item = page.get_by_test_id("inbox-item").filter(has_text="宅基地界址纠纷")
    expect(item.get_by_test_id("inbox-kind")).to_have_text("包案交办给您")
    item.get_by_test_id("inbox-case").click()
    page.wait_for_url(f"**/disputes/{dispute.pk}/")
    expect(page.get_by_test_id("assignment")).to_contain_text("镇司法所")


ROLES = ["staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "household_head", "county_staff",
         "county_leader"]


def _everyones_day(world):
    """Something for each role to do: an overdue 包案 for each who may lead one, a door past its cadence in grid A1
    (linked to the 联户长), an open demand there, and a hazard whose 销号 township staff asked for."""
    from hazards.models import Hazard
    from households.services import demand_log
    from tests.hazards.factories import HazardFactory, advance

    today = timezone.localdate()
    for who in ("staff", "supervisor", "township_cadre", "village_cadre", "grid_worker", "county_leader"):
        dispute = DisputeFactory(grid=world.grid_a1, title=f"{who} 的包案")
        dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users[who],
                       responsible_unit="镇综治中心", deadline=today - dt.timedelta(days=1))
    lonely = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="独居张大爷")
    tag_with(lonely, tag("elderly-alone"))
    demand_log(by=world.users["village_cadre"], household=lonely, channel="phone", content="路灯不亮")
    staff = world.users["staff"]
    hazard = advance(HazardFactory(grid=world.grid_a1), Hazard.Status.CLOSEOUT, staff,
                     checker=world.users["supervisor"])
    hazard.request_closeout(by=staff)


@pytest.mark.parametrize("role", ROLES)
def test_every_line_of_each_roles_home_opens_what_it_counts(world, county, live_server, page, role):
    """Each role's home is its 待办; every line with a count opens a page (never 无权操作) whose «共 N 条», where the
    page is a list, is that count."""
    _everyones_day(world)
    user = world.users[role]
    page.set_viewport_size({"width": 360, "height": 740})
    login_through_page(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/")
    lines = page.get_by_test_id("todo").locator("li")
    expect(lines.first).to_be_visible()
    counted = [(line.get_attribute("data-testid"), int(line.get_by_test_id("todo-count").inner_text()))
               for line in lines.all()]
    assert any(count for _, count in counted), counted  # everyone has something to do in this world
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for testid, count in counted:
        if not count:
            continue
        page.goto(f"{live_server.url}/")
        page.get_by_test_id(testid).get_by_role("link").click()
        page.wait_for_load_state()
        expect(page.locator("body")).not_to_contain_text("无权操作")
        total = page.get_by_test_id("list-total")
        if total.count():
            expect(total).to_have_text(f"共 {count} 条")


def _supervised(world):
    from casework.services import assignment_for, assignment_supervise

    dispute = DisputeFactory(grid=world.grid_a1, title="山林权属纠纷")
    dispute_assign(dispute=dispute, by=world.users["staff"], lead=world.users["township_cadre"],
                   responsible_unit="镇林业站", deadline=timezone.localdate() + dt.timedelta(days=10))
    from casework.models import Notification

    Notification.objects.filter(kind=Notification.Kind.ASSIGNED).delete()  # only the card is the news here
    assignment_supervise(assignment=assignment_for(dispute), by=world.users["supervisor"], level="red",
                         comment="三日内见成效")
    return "township_cadre", "山林权属纠纷", f"/disputes/{dispute.pk}/", "supervised"


def _escalated(world):
    from disputes.services import dispute_change_level

    dispute = DisputeFactory(grid=world.grid_a1, title="宅基地滴水纠纷", level="village")
    dispute_change_level(dispute=dispute, by=world.users["village_cadre"], to_level="township",
                         reason="村调委会调解两次未成")
    return "staff", "宅基地滴水纠纷", f"/disputes/{dispute.pk}/", "escalated"


def _closeout(world, decided: bool):
    from casework import rectification as engine
    from hazards.models import Hazard
    from tests.hazards.factories import HazardFactory, advance

    staff, supervisor = world.users["staff"], world.users["supervisor"]
    hazard = advance(HazardFactory(grid=world.grid_a1, description="村小学配电箱未上锁"), Hazard.Status.CLOSEOUT,
                     staff, checker=supervisor)
    engine.rectification_request_closeout(case=hazard, by=staff)
    if not decided:
        return "supervisor", hazard.number, f"/hazards/{hazard.pk}/", "closeout_requested"
    engine.rectification_decide_closeout(case=hazard, by=supervisor, approve=True)
    return "staff", hazard.number, f"/hazards/{hazard.pk}/", "closeout_approved"


def _demand(world):
    from households.services import demand_log

    household = HouseholdFactory(grid=world.grid_a1, head_name="李秀英")
    demand_log(by=world.users["grid_worker"], household=household, channel="phone", content="自来水管冻裂")
    return "village_cadre", "自来水管冻裂", "/households/demands/", "demand_raised"


HANDOVERS = {
    "supervised": _supervised,
    "escalated": _escalated,
    "closeout_requested": lambda world: _closeout(world, decided=False),
    "closeout_approved": lambda world: _closeout(world, decided=True),
    "demand_raised": _demand,
}


@pytest.mark.parametrize("handover", list(HANDOVERS))
def test_every_hand_over_reaches_its_person_with_a_link_to_the_thing(world, live_server, page, handover):
    from django.utils import translation

    from casework.models import Notification

    role, text, path, kind = HANDOVERS[handover](world)
    with translation.override("zh-hans"):
        label = str(Notification.Kind(kind).label)
    login_through_page(page, live_server.url, world.users[role].username)
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("inbox-bell").click()
    item = page.get_by_test_id("inbox-item").filter(has_text=text)
    expect(item).to_have_count(1)  # once
    expect(item.get_by_test_id("inbox-kind")).to_have_text(label)
    item.get_by_test_id("inbox-case").click()
    page.wait_for_url(f"**{path}**")
    expect(page.locator("body")).to_contain_text(text)
    if kind == "closeout_requested":
        page.goto(f"{live_server.url}/inbox/approvals/")
        expect(page.locator("body")).to_contain_text(text)
