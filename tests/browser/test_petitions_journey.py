"""A petition from registration to close-out, in headless Chromium: register, accept, assign (包案), progress,
reply, satisfaction, close-out request by township staff, approval by a supervisor."""

import re

import pytest
from playwright.sync_api import expect

from households.idnumbers import make_id_number
from tests.conftest import login_through_page

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def _login(page, live_server, username):
    return login_through_page(page, live_server.url, username)


def test_a_petition_from_registration_to_approved_close_out(world, live_server, page):
    import datetime as dt

    id_number = make_id_number("510723", dt.date(1968, 4, 9), 37, True)
    _login(page, live_server, "staff")
    page.goto(f"{live_server.url}/petitions/")
    page.get_by_role("link", name="新增").click()

    page.select_option("#id_channel", "visit")
    expect(page.locator("#id_referred_by")).to_be_hidden()
    page.select_option("#id_subject", "land")
    page.select_option("#id_village", str(world.village_a.pk))
    page.fill("#id_content", "反映二组土地征收补偿款未足额发放")
    page.fill("#id_demands", "补足补偿款")
    page.fill("#id_petitioners-0-name", "孙立新")
    page.fill("#id_petitioners-0-id_number", id_number)
    page.fill("#id_petitioners-0-phone", "13912345678")
    page.get_by_test_id("register").click()

    expect(page.get_by_test_id("petition-number")).to_have_text(re.compile(r"XF-\d{4}-0001"))
    expect(page.get_by_test_id("petition-status")).to_have_text("待受理")
    expect(page.get_by_test_id("petitioners")).to_contain_text("510723********")

    page.get_by_test_id("accept-form").get_by_role("button", name="受理").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("办理中")

    page.get_by_text("确定包案", exact=True).click()
    form = page.get_by_test_id("assign-form")
    form.locator("#id_assign-lead").select_option(str(world.users["supervisor"].pk))
    form.locator("#id_assign-responsible_unit").fill("镇国土所")
    form.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("lead")).to_have_text(str(world.users["supervisor"]))

    page.get_by_text("添加办理记录", exact=True).click()
    page.fill("#id_progress-action", "到信访人家中核实补偿款发放情况")
    page.get_by_test_id("progress-form").get_by_role("button", name="添加").click()
    expect(page.get_by_test_id("progress")).to_contain_text("到信访人家中核实补偿款发放情况")

    page.get_by_text("登记答复意见", exact=True).click()
    page.fill("#id_reply-reply_text", "经核实，补偿款差额已于本月补发到位。")
    page.get_by_role("button", name="保存答复意见").click()
    expect(page.get_by_test_id("reply")).to_contain_text("补偿款差额已于本月补发到位")

    page.get_by_test_id("satisfaction-form").get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="登记满意度").click()
    expect(page.get_by_test_id("satisfaction")).to_have_text("满意")

    page.locator("summary", has_text="申请销号").click()
    page.get_by_test_id("closeout-form").get_by_label("诉求合理的解决到位").check()
    page.get_by_test_id("closeout-form").get_by_role("button", name="申请销号").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("待审批销号")
    expect(page.get_by_test_id("approve")).to_have_count(0)  # township staff do not approve
    url = page.url

    _login(page, live_server, "supervisor")
    page.goto(url)
    page.get_by_test_id("approve").click()  # a confirmation first: dismissed, nothing happens
    expect(page.get_by_test_id("petition-status")).to_have_text("待审批销号")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("已销号")
    expect(page.get_by_test_id("closeout-decision")).to_have_text("已批准")
    expect(page.get_by_test_id("history").first).to_contain_text("已销号")


def test_the_registration_form_shows_an_open_petition_of_the_same_person(world, live_server, page):
    from tests.petitions.factories import outsider, register

    person = outsider("何有福")
    first = register(by=world.users["staff"], village=world.village_a, petitioners=[person])
    _login(page, live_server, "vcadre")
    page.goto(f"{live_server.url}/petitions/new/")
    page.select_option("#id_subject", "land")
    page.fill("#id_petitioners-0-id_number", person.id_number)
    page.locator("#id_petitioners-0-id_number").blur()
    expect(page.get_by_test_id("repeat-candidates")).to_contain_text(first.number)
    page.get_by_test_id("add-petitioner").click()
    expect(page.locator("#id_petitioners-1-id_number")).to_be_visible()


def test_a_petition_not_accepted_and_its_notice_printed_on_a4(world, live_server, page):
    from tests.petitions.factories import outsider, register

    petition = register(by=world.users["staff"], village=world.village_a, petitioners=[outsider("孙立新")])
    _login(page, live_server, "staff")
    page.goto(f"{live_server.url}{petition.get_absolute_url()}")
    page.wait_for_load_state("load")
    page.get_by_text("不予受理", exact=True).first.click()
    form = page.get_by_test_id("decline-form")
    form.locator("#id_decline-reason").fill("该事项已通过行政复议途径处理")
    form.get_by_role("button", name="不予受理").click()
    expect(page.get_by_test_id("petition-status")).to_have_text("不予受理")
    expect(page.get_by_test_id("accept-form")).to_have_count(0)

    page.get_by_test_id("notice-decline").click()
    expect(page.get_by_test_id("notice-title")).to_have_text("信访事项不予受理告知书")
    expect(page.get_by_test_id("notice-body")).to_have_text("该事项已通过行政复议途径处理")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
