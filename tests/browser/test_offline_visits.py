"""Visits logged with no signal (issue 28), in headless Chromium: the phone pages open from the service worker's copy,
a visit saved offline waits on the phone (IndexedDB) under 待上传 and is sent once when the signal returns; the same
record sent twice is one visit; the queue belongs to its person across log-outs."""

import re

import pytest
from playwright.sync_api import expect

from households.models import Visit
from tests.conftest import login_through_page
from tests.households.factories import jpeg_bytes, make_registry

pytestmark = pytest.mark.browser

FORM = "/households/visits/new/"


@pytest.fixture
def registry(world):
    return make_registry(world)


@pytest.fixture
def phone(page, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    page.set_viewport_size({"width": 360, "height": 740})
    return page


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "院坝.jpg"
    path.write_bytes(jpeg_bytes(size=(3200, 2400)))
    return path


def _open_with_worker(page, url):
    """Open ``url`` once the service worker controls the page, so that the page is kept for use offline."""
    page.goto(url)
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def _log_visit(page, notes, photo=None):
    page.get_by_text("李建华 · 一组01号").click()
    page.locator("[data-step='1'] [data-next]").click()
    page.get_by_text("访生活状况").click()
    page.locator("textarea[name=notes]").fill(notes)
    page.locator("[data-step='2'] [data-next]").click()
    if photo:
        page.locator("input[name=photos]").set_input_files(str(photo))
    page.get_by_test_id("save-visit").click()


def _queued(page) -> int:
    """Every record in the phone's queue, whoever saved it."""
    return page.evaluate("""() => new Promise(resolve => { const r = indexedDB.open('lht-outbox', 1);
        r.onsuccess = () => { const q = r.result.transaction('items').objectStore('items').count();
                              q.onsuccess = () => { r.result.close(); resolve(q.result); }; }; })""")


def test_two_visits_logged_without_signal_reach_the_server_once_each_after_a_reload(
        transactional_db, world, registry, live_server, phone, photo):
    page = login_through_page(phone, live_server.url, "head")
    _open_with_worker(page, live_server.url + FORM)

    page.context.set_offline(True)
    _log_visit(page, "第一次：没信号时记的。", photo)
    expect(page.get_by_test_id("offline-note")).to_contain_text("没有信号")
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 1")
    # The emptied form starts again at its first screen.
    expect(page.locator("[data-step='1']")).to_be_visible()
    _log_visit(page, "第二次：还是没信号。", photo)
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 2")

    page.reload()  # from the worker's copy: still no signal
    expect(page.locator("#visit-form")).to_be_visible()
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 2")
    page.get_by_test_id("outbox-count").click()
    expect(page.get_by_test_id("outbox-item")).to_have_count(2)
    expect(page.get_by_test_id("outbox-item").first).to_contain_text("1 张照片")
    assert Visit.objects.count() == 0
    # The photo was made smaller on the phone before it was kept: 3200 × 2400 taken, 1600 × 1200 queued.
    assert page.evaluate("""() => new Promise(resolve => { const r = indexedDB.open('lht-outbox', 1);
        r.onsuccess = () => { const q = r.result.transaction('items').objectStore('items').getAll();
          q.onsuccess = () => createImageBitmap(q.result[0].photos[0]).then(b => resolve([b.width, b.height])); }; })""") \
        == [1600, 1200]

    page.context.set_offline(False)
    expect(page.get_by_test_id("outbox-count")).to_be_hidden()
    expect(page.get_by_test_id("offline-note")).to_contain_text("已上传")
    visits = list(Visit.objects.order_by("pk"))
    assert [v.notes for v in visits] == ["第一次：没信号时记的。", "第二次：还是没信号。"]
    for visit in visits:
        assert visit.visitor_head == world.head_a1 and visit.client_id is not None
        assert visit.photos.get().width == 1600
    assert _queued(page) == 0


def test_the_same_queued_visit_sent_twice_at_once_is_one_visit(transactional_db, world, registry, live_server, phone):
    page = login_through_page(phone, live_server.url, "head")
    _open_with_worker(page, live_server.url + FORM)
    page.context.set_offline(True)
    _log_visit(page, "重复上传的测试。")
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 1")
    page.context.set_offline(False)
    # Two sends of the record the phone kept, at the same moment, as a retry racing a slow first answer would.
    answers = page.evaluate("""() => new Promise(resolve => { const r = indexedDB.open('lht-outbox', 1);
        r.onsuccess = () => { const q = r.result.transaction('items').objectStore('items').getAll();
          q.onsuccess = () => { const item = q.result[0];
            const post = () => { const body = new FormData();
              item.fields.forEach(([k, v]) => body.append(k, v)); body.append('client_id', item.id);
              return fetch(item.url, {method: 'POST', body, headers: {'X-Lht-Queue': '1',
                'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]}})
                .then(a => a.json().then(j => [a.status, j.url])); };
            Promise.all([post(), post()]).then(resolve); }; }; })""")
    visit = Visit.objects.get()
    assert answers == [[201, f"/households/visits/{visit.pk}/"]] * 2
    page.reload()  # the queue's own send: a third, answered as made
    expect(page.get_by_test_id("outbox-count")).to_be_hidden()
    assert Visit.objects.count() == 1


def test_a_queue_left_at_log_out_is_not_sent_as_someone_else_and_the_person_is_warned(
        transactional_db, world, registry, live_server, phone):
    page = login_through_page(phone, live_server.url, "head")
    page.goto(live_server.url + FORM)
    # The server is out of reach (signal too weak to carry the visit): the visit stays on the phone.
    page.route("**" + FORM, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    _log_visit(page, "退出前没上传的走访。")
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 1")
    page.unroute("**" + FORM)

    said = []
    page.once("dialog", lambda dialog: (said.append(dialog.message), dialog.accept()))
    page.locator(".navbar-toggler").click()  # the menu folds on a phone: open once it has slid in
    page.locator("#main-nav.show").wait_for()
    page.get_by_test_id("current-user").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/accounts/login/**")
    assert "本机还有 1 条记录没有上传" in said[0]

    login_through_page(page, live_server.url, "vcadre")
    page.goto(live_server.url + FORM)
    expect(page.get_by_test_id("outbox-count")).to_be_hidden()
    page.wait_for_timeout(1000)  # a send would have started on opening the page
    assert Visit.objects.count() == 0 and _queued(page) == 1

    login_through_page(page, live_server.url, "head")
    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("outbox-count")).to_be_hidden()
    assert Visit.objects.get().visitor == world.users["household_head"]


def test_a_visit_refused_later_stays_on_the_phone_with_the_reason_until_discarded_or_corrected(
        transactional_db, world, registry, live_server, phone):
    page = login_through_page(phone, live_server.url, "head")
    _open_with_worker(page, live_server.url + FORM)
    page.context.set_offline(True)
    _log_visit(page, "要丢弃的走访。")
    _log_visit(page, "要修改的走访。")
    registry.a1.household_head = None  # meanwhile the household is linked to nobody: no longer the head's
    registry.a1.save()
    page.context.set_offline(False)
    page.get_by_test_id("outbox-count").click()
    expect(page.get_by_test_id("outbox-state")).to_have_text(["被退回：所选农户已不在您联系的农户之中，请去掉它再保存。"] * 2)
    page.reload()
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 2")
    assert Visit.objects.count() == 0

    page.get_by_test_id("outbox-count").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("outbox-item").first.get_by_role("button", name="丢弃").click()
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 1")

    # Corrected: the household is the head's again (the township re-linked it); the form opens as it was typed.
    registry.a1.household_head = world.head_a1
    registry.a1.save()
    page.get_by_test_id("outbox-item").get_by_role("button", name="修改").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("已不在您联系的农户之中")
    expect(page.locator("textarea[name=notes]")).to_have_value("要修改的走访。")
    expect(page.get_by_label("李建华 · 一组01号")).to_be_checked()
    page.locator("[data-step='1'] [data-next]").click()
    page.locator("[data-step='2'] [data-next]").click()
    page.get_by_test_id("save-visit").click()
    page.wait_for_url(re.compile(r"/households/visits/\d+/$"))
    assert Visit.objects.get().notes == "要修改的走访。"
    assert _queued(page) == 0


def test_large_print_is_one_switch_remembered_and_quick_phrases_fill_the_notes(
        transactional_db, world, registry, live_server, phone):
    page = login_through_page(phone, live_server.url, "head")
    page.goto(live_server.url + FORM)
    page.get_by_text("李建华 · 一组01号").click()
    page.locator("[data-step='1'] [data-next]").click()
    page.get_by_test_id("phrases").get_by_role("button", name="宣传了医保缴费政策。").click()
    page.get_by_test_id("phrases").get_by_role("button", name="未发现矛盾纠纷和安全隐患。").click()
    assert page.locator("textarea[name=notes]").input_value() == "宣传了医保缴费政策。未发现矛盾纠纷和安全隐患。"

    small = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_test_id("large-print").click()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > small
    page.goto(live_server.url + "/households/")
    expect(page.locator("html")).to_have_class("lht-large")
    expect(page.get_by_test_id("large-print")).to_have_attribute("aria-pressed", "true")


def test_a_hazard_reported_without_signal_is_sent_once_when_the_signal_returns(
        transactional_db, world, registry, live_server, phone, photo):
    from hazards.models import Hazard, HazardField

    gas = HazardField.objects.get(code="gas")
    page = login_through_page(phone, live_server.url, "head")
    _open_with_worker(page, live_server.url + "/hazards/new/")

    page.context.set_offline(True)
    page.reload()  # the kept copy: the head's village and grid are chosen, their households listed
    expect(page.locator("#id_grid option:checked")).to_have_text(world.grid_a1.name)
    page.select_option("#id_field", str(gas.pk))
    page.fill("#id_place", "一组王家厨房")
    page.fill("#id_description", "液化气罐放在灶台下方，无减压阀")
    page.fill("#id_party_name", "王建国")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.get_by_test_id("hazard-form").get_by_role("button", name="上报").click()
    expect(page.get_by_test_id("outbox-count")).to_contain_text("待上传 1")
    page.get_by_test_id("outbox-count").click()
    expect(page.get_by_test_id("outbox-item")).to_contain_text("隐患上报 · 2026-11-20 一组王家厨房")
    assert Hazard.objects.count() == 0

    page.context.set_offline(False)
    expect(page.get_by_test_id("outbox-count")).to_be_hidden()
    hazard = Hazard.objects.get()
    assert hazard.description == "液化气罐放在灶台下方，无减压阀" and hazard.reporting_head == world.head_a1
    assert hazard.client_id is not None and hazard.photos.get().width == 1600
