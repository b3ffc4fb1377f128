"""Two people edit the same dispute in two browsers: the second save shows the conflict page in Chinese, keeps the
second person's input, and saving it again applies it without losing the first person's change."""

import pytest
from playwright.sync_api import expect

from disputes.models import Dispute
from tests.conftest import login_through_page
from tests.disputes.factories import DisputeFactory, PartyFactory

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def _login(page, live_server, username):
    return login_through_page(page, live_server.url, username)


def test_the_second_of_two_browsers_saving_a_dispute_gets_the_conflict_page(world, live_server, page, browser):
    dispute = DisputeFactory(grid=world.grid_a1, title="宅基地界址纠纷", description="两户因宅基地界址发生争执。")
    PartyFactory(dispute=dispute, name="张三")
    edit = f"{live_server.url}/disputes/{dispute.pk}/edit/"

    _login(page, live_server, "vcadre")
    other_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                        viewport={"width": 360, "height": 740})
    other = other_context.new_page()
    _login(other, live_server, "staff")
    page.goto(edit)
    other.goto(edit)

    page.fill("#id_title", "王家与李家宅基地纠纷")
    page.fill("#id_description", "界桩被移动约半米。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("dispute-number")).to_be_visible()

    other.fill("#id_title", "李家与王家界桩纠纷")
    other.get_by_role("button", name="保存").click()
    conflict = other.get_by_test_id("conflict")
    expect(conflict).to_contain_text("保存冲突")
    expect(conflict).to_contain_text("在您打开表单之后，其他人保存了这条记录")
    changes = other.get_by_test_id("conflict-changes")
    expect(changes).to_contain_text("王家与李家宅基地纠纷")
    expect(changes).to_contain_text("界桩被移动约半米。")
    expect(other.locator("#id_title")).to_have_value("李家与王家界桩纠纷")  # the input is kept
    expect(other.locator("#id_description")).to_have_value("界桩被移动约半米。")  # their change, merged in
    assert other.evaluate("document.documentElement.scrollWidth") <= 360
    stored = Dispute.objects.get(pk=dispute.pk)
    assert (stored.title, stored.description) == ("王家与李家宅基地纠纷", "界桩被移动约半米。")

    other.get_by_test_id("conflict-apply").click()
    expect(other.get_by_test_id("dispute-number")).to_be_visible()
    stored = Dispute.objects.get(pk=dispute.pk)
    assert (stored.title, stored.description) == ("李家与王家界桩纠纷", "界桩被移动约半米。")
    other_context.close()
