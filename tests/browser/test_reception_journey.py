"""群众接待日 in the browser: the leader on duty checks in on the phone; township staff record a walk-in matched to a
resident by ID number and turn it into a petition (channel 领导接待日), then refer a second walk-in to a unit."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from petitions.models import Petition
from reception.models import Reception
from tests.conftest import login_through_page
from tests.factories import HouseholdFactory, ResidentFactory
from tests.reception.factories import LeaderFactory, SessionFactory

pytestmark = pytest.mark.browser


def test_the_leader_checks_in_on_the_phone_and_staff_turn_walk_ins_into_a_petition_and_a_referral(
        world, live_server, page, today):
    leader = LeaderFactory(township=world.township, user=world.users["supervisor"], name="张书记", post="党委副书记")
    session = SessionFactory(township=world.township, date=today, start=dt.time(8, 0), end=dt.time(17, 0),
                             leaders=[leader])
    resident = ResidentFactory(household=HouseholdFactory(grid=world.grid_a1), name="王大山")

    # The leader on duty, on the phone: the rota says so, one tap checks in.
    page.set_viewport_size({"width": 360, "height": 740})
    login_through_page(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/reception/")
    expect(page.get_by_test_id("my-session")).to_be_visible()
    page.get_by_test_id("check-in").click()
    expect(page.get_by_test_id("session-status")).to_have_text("已接访")
    expect(page.get_by_test_id("checked-in")).to_contain_text("张书记")

    # Staff, at the desk: a walk-in matched by ID number, then its outcome.
    page.set_viewport_size({"width": 1280, "height": 900})
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.fill("#id_id_number", resident.id_number)
    page.fill("#id_request", "承包地边界被邻居占用，要求重新确权")
    page.fill("#id_instruction", "请国土所调查核实")
    page.get_by_test_id("walk-in-submit").click()
    expect(page.get_by_test_id("walk-ins")).to_contain_text("王大山")
    expect(page.get_by_test_id("walk-ins")).not_to_contain_text(resident.id_number)  # masked
    walk_in = Reception.objects.get()
    form = page.get_by_test_id(f"outcome-form-{walk_in.pk}")
    form.locator("select[name=outcome]").select_option("petition")
    form.locator("select[name=subject]").select_option("land")
    form.get_by_test_id("outcome-submit").click()
    petition = Petition.objects.get()
    expect(page).to_have_url(f"{live_server.url}/petitions/{petition.pk}/")
    expect(page.locator("body")).to_contain_text(petition.number)
    assert (petition.channel, petition.received_on) == ("reception_day", today)

    # A second walk-in, referred to a unit with a deadline.
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.fill("#id_visitor_name", "李外乡")
    page.fill("#id_request", "村道被运输车辆压坏")
    page.get_by_test_id("walk-in-submit").click()
    second = Reception.objects.exclude(pk=walk_in.pk).get()
    form = page.get_by_test_id(f"outcome-form-{second.pk}")
    form.locator("select[name=outcome]").select_option("referred")
    form.locator("input[name=unit]").fill("镇建设办")
    form.locator("input[name=deadline]").fill((today + dt.timedelta(days=7)).isoformat())
    form.get_by_test_id("outcome-submit").click()
    expect(page.get_by_test_id(f"walk-in-{second.pk}").get_by_test_id("outcome")).to_have_text("交办")
    expect(page.get_by_test_id(f"walk-in-{walk_in.pk}").get_by_test_id("outcome")).to_contain_text("转为信访件")
