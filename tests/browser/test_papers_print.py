"""Official papers printed by headless Chromium on A4: the 人民调解协议书 and the monthly report. What prints is
the paper alone (no navigation, no buttons), in Chinese whatever the UI language, on the pages expected."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from disputes.models import Dispute
from tests.conftest import login_through_page
from tests.disputes.factories import DAY, DisputeFactory, PartyFactory, advance

pytestmark = pytest.mark.browser


def _pages(pdf: bytes) -> int:
    """Pages of a PDF made by Chromium (each page is an object of type /Page)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def _agreed(world):
    dispute = DisputeFactory(grid=world.grid_a1, description="两户因排水沟走向发生争执。" * 3)
    PartyFactory(dispute=dispute, name="王大明", gender="male", age=56, ethnicity="汉族", occupation="农民",
                 address="桃源村三组12号")
    PartyFactory(dispute=dispute, name="赵小红", side="respondent", gender="female", age=41, ethnicity="彝族")
    staff = world.users["staff"]
    advance(dispute, Dispute.Status.MEDIATING, staff)
    dispute.record_success(by=staff, on=DAY, agreement_form="written", terms="甲方于月底前改道排水沟。" * 4,
                           fulfilment="pending", performance="甲方自行施工。", performance_due=dt.date(2026, 11, 30))
    return dispute


def test_the_mediation_agreement_prints_alone_on_one_a4_page_in_chinese(world, live_server, page):
    dispute = _agreed(world)
    login_through_page(page, live_server.url, "vcadre")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/disputes/{dispute.pk}/agreement/")
    expect(page.get_by_test_id("paper-toolbar")).to_contain_text("Print")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("paper-toolbar")).to_be_hidden()
    paper = page.get_by_test_id("paper")
    expect(paper).to_contain_text("桃源村人民调解委员会")
    expect(paper).to_contain_text("人民调解协议书")
    expect(paper).to_contain_text("桃源调字〔2026〕第1号")
    expect(paper).to_contain_text("按指印")
    expect(paper).not_to_contain_text("Applicant")
    pdf = page.pdf(format="A4", print_background=True)
    assert _pages(pdf) == 1


def test_the_monthly_report_prints_as_a_paper_of_its_own(world, live_server, page):
    for _ in range(3):
        PartyFactory(dispute=DisputeFactory(grid=world.grid_a1, registered_on=dt.date(2026, 11, 2)))
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/reports/?report=disputes&month=2026-11")
    expect(page.get_by_test_id("report-title")).to_have_text("青石镇矛盾纠纷排查调处月报")
    page.get_by_test_id("figure").first.click()
    expect(page).to_have_url(re.compile(r"/disputes/\?.*registered_from=2026-11-01"))
    expect(page.locator("table tbody tr")).to_have_count(3)
    page.go_back()
    page.emulate_media(media="print")
    expect(page.get_by_test_id("paper-toolbar")).to_be_hidden()
    expect(page.locator("nav.navbar")).to_be_hidden()
    pages = _pages(page.pdf(format="A4"))
    assert 1 <= pages <= 3


def test_the_household_page_and_its_card_print_the_member_table_whole_without_buttons(world, live_server, page):
    from tests.factories import HouseholdFactory
    from tests.households.factories import ResidentFactory

    household = HouseholdFactory(grid=world.grid_a1, head_name="周大山", address="桃源村二组8号" * 3)
    for n in range(8):
        ResidentFactory(household=household, name=f"周家成员{n}", notes="")
    login_through_page(page, live_server.url, "staff")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.emulate_media(media="print")
    expect(page.locator("main .btn").first).to_be_hidden()
    table = page.get_by_test_id("members")
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 794, box  # nothing cut at the right edge
    assert _pages(page.pdf(format="A4")) >= 1

    page.emulate_media(media="screen")
    page.get_by_test_id("household-card").click()
    expect(page.get_by_test_id("card-member")).to_have_count(8)
    page.emulate_media(media="print")
    expect(page.get_by_test_id("paper-toolbar")).to_be_hidden()
    members = page.get_by_test_id("card-members").bounding_box()
    assert members["x"] + members["width"] <= 794, members
    assert _pages(page.pdf(format="A4")) <= 2


def test_the_letter_of_appointment_and_the_roster_print_on_a4(world, live_server, page):
    login_through_page(page, live_server.url, "staff")
    page.goto(f"{live_server.url}/org/heads/{world.head_a1.pk}/")
    page.get_by_test_id("head-certificate").click()
    expect(page.get_by_test_id("certificate-body")).to_contain_text("马林")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("paper-toolbar")).to_be_hidden()
    assert _pages(page.pdf(format="A4")) == 1
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/org/heads/")
    page.get_by_test_id("head-roster").click()
    expect(page.get_by_test_id("roster-row")).to_have_count(2)
    page.emulate_media(media="print")
    assert _pages(page.pdf(format="A4")) == 1
