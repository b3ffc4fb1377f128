"""考核 in the browser: township staff make November's assessments and submit 马林's; the supervisor approves it into
公示; after the publicity the supervisor grades it (定档); 马林, the 联户长, sees their stars and breakdown."""

import pytest
import time_machine
from playwright.sync_api import expect

from assessment.models import Run
from tests.assessment.factories import make_scheme
from tests.conftest import login_through_page, pinned_moment
from tests.factories import HouseholdFactory, VisitFactory

pytestmark = [pytest.mark.browser, pytest.mark.today("2026-11-20")]


def test_staff_make_a_run_it_goes_through_review_publicity_and_grading_and_the_head_sees_the_stars(
        world, live_server, page):
    homes = [HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1) for _ in range(2)]
    VisitFactory(grid=world.grid_a1, visitor_head=world.head_a1, households=homes)
    scheme = make_scheme(world.township, created_by=world.users["staff"], approved_by=world.users["supervisor"])

    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/assessment/")
    page.get_by_test_id("run-create").click()
    page.select_option("#id_scheme", str(scheme.pk))
    page.fill("#id_day", "2026-11-05")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("run-row")).to_have_count(2)
    page.get_by_role("link", name="马林").click()
    expect(page.get_by_test_id("run-lines")).to_contain_text("100.0%（2/2）")
    page.get_by_test_id("run-submit").click()
    expect(page.get_by_test_id("run-status")).to_have_text("镇审核")
    run = Run.objects.get(head=world.head_a1)

    login_through_page(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}{run.get_absolute_url()}")
    page.get_by_test_id("run-approve").click()
    expect(page.get_by_test_id("run-status")).to_have_text("公示中")
    expect(page.get_by_test_id("run-result")).to_contain_text("2026-11-25")

    with time_machine.travel(pinned_moment("2026-11-26")):
        login_through_page(page, live_server.url, "supervisor")  # six days on, the idle session has ended
        page.goto(f"{live_server.url}{run.get_absolute_url()}")
        page.fill("#id_allowance", "300")
        page.get_by_test_id("run-finalise").click()
        expect(page.get_by_test_id("run-status")).to_have_text("已定档")
        run.refresh_from_db()
        assert run.status == Run.Status.FINAL and run.stars

        login_through_page(page, live_server.url, "head")
        page.goto(f"{live_server.url}/assessment/")
        expect(page.get_by_test_id("run-row")).to_have_count(1)
        page.get_by_role("link", name="马林").click()
        expect(page.get_by_test_id("run-stars")).to_have_text(run.star_text)
        expect(page.get_by_test_id("run-grade")).to_be_visible()
        expect(page.get_by_test_id("run-lines")).to_contain_text("联系户走访覆盖率")
