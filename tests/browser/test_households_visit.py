"""A household head logs a visit with a photo on a 360 px phone, in three screens."""

import re

import pytest

from tests.conftest import login_through_page
from tests.households.factories import jpeg_bytes, make_registry

pytestmark = pytest.mark.browser
VISIT_PAGE = re.compile(r"/households/visits/\d+/$")


@pytest.fixture
def registry(world):
    return make_registry(world)


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 360, "height": 740})
    return page


def _login(page, live_server, username):
    return login_through_page(page, live_server.url, username)


OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.overflow-auto, .table-responsive'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _fits_the_screen(page) -> bool:
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, page.evaluate(OVERFLOWING)
    return fits


def test_a_household_head_logs_a_visit_with_a_photo_on_a_phone(transactional_db, world, registry, live_server,
                                                                 phone, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    photo = tmp_path / "院坝.jpg"
    photo.write_bytes(jpeg_bytes(size=(1200, 900)))
    page = _login(phone, live_server, "head")
    page.goto(f"{live_server.url}/households/visits/new/")

    # Screen 1: the household head's own households, then Next.
    assert page.locator("[data-step='2']").is_hidden()
    assert _fits_the_screen(page)
    page.get_by_text("李建华 · 一组01号").click()
    page.locator("[data-step='1'] [data-next]").click()

    # Screen 2: the date is today by default; method, two of the four topics, notes.
    assert page.locator("[data-step='1']").is_hidden()
    assert page.locator("input[name=visited_on]").input_value() != ""
    page.get_by_text("电话走访").click()
    page.get_by_text("访生活状况").click()
    page.get_by_text("访政策落实").click()
    page.locator("textarea[name=notes]").fill("老人身体尚好，已宣传医保缴费政策。")
    assert _fits_the_screen(page)
    page.locator("[data-step='2'] [data-next]").click()

    # Screen 3: a photo, then save.
    page.locator("input[name=photos]").set_input_files(str(photo))
    assert page.locator("[data-photo-count]").inner_text() == "1 / 5"
    page.get_by_test_id("save-visit").click()
    page.wait_for_url(VISIT_PAGE)  # the form is sent by the phone's queue, then opens the visit

    assert "老人身体尚好" in page.content()
    image = page.locator("[data-testid=visit-photos] img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000)
    assert _fits_the_screen(page)

    from households.models import Visit

    visit = Visit.objects.get()
    assert visit.method == "phone" and visit.topic_living and visit.topic_policy and not visit.topic_production
    assert visit.visitor_head == world.head_a1 and visit.photos.count() == 1


def test_a_village_cadre_finds_a_household_by_search_and_keeps_it_ticked(transactional_db, world, registry,
                                                                           live_server, phone):
    page = _login(phone, live_server, "vcadre")
    page.goto(f"{live_server.url}/households/visits/new/")
    # Without a choice, Next says what is missing and stays.
    page.locator("[data-step='1'] [data-next]").click()
    assert page.locator("[data-step-error]").is_visible()
    page.get_by_test_id("household-search").fill("王建")
    page.get_by_text("王建国 · 二组05号").click()
    # A new search does not lose the ticked household.
    page.get_by_test_id("household-search").fill("不存在的人")
    page.get_by_text("未找到农户").wait_for()
    assert page.locator("#household-choices input:checked").count() == 1
    page.locator("[data-step='1'] [data-next]").click()
    page.locator("[data-step='2'] [data-next]").click()
    page.get_by_test_id("save-visit").click()
    page.wait_for_url(VISIT_PAGE)  # the form is sent by the phone's queue, then opens the visit
    assert "王建国" in page.content()


def test_the_household_page_and_lists_fit_a_phone(transactional_db, world, registry, live_server, phone):
    page = _login(phone, live_server, "staff")
    for path in (f"/households/{registry.a1.pk}/", "/households/", "/households/residents/",
                 "/households/visits/", "/households/coverage/", f"/households/linking/{world.grid_a1.pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert _fits_the_screen(page), path
