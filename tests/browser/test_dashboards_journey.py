"""The dashboard in headless Chromium: the charts are drawn (ECharts, no CSP complaint), a card leads to its list,
a chart segment leads to its list, and the page fits a 360 px phone."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.dashboards.conftest import ON_TODAY, build_township

pytestmark = [pytest.mark.browser, ON_TODAY]

CHARTS = ["disputes_kind", "disputes_month", "disputes_level", "petitions_channel", "petitions_form",
          "overdue_village", "coverage_village", "coverage_grid"]

OVERFLOWING = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-responsive, details'))
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""

# The pixel of the middle of a bar, from ECharts itself (a horizontal bar: [value, category index]).
BAR_MIDDLE = """([id, index]) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  const point = chart.getOption().series[0].data[index];
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [point.value / 2, index]);
  const box = el.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y, url: point.url};
}"""


@pytest.fixture
def dashboard(world, live_server, page, browser_login):
    build_township(world)
    cache.clear()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    browser_login("supervisor")
    page.goto(f"{live_server.url}/dashboards/")
    for key in CHARTS:
        expect(page.get_by_test_id(f"chart-{key}")).to_have_attribute("data-drawn", "yes")
        expect(page.locator(f"#chart-{key} canvas").first).to_be_visible()
    yield page
    cache.clear()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_the_dashboard_draws_its_charts_and_a_card_leads_to_its_list(dashboard, live_server):
    page = dashboard
    card = page.get_by_test_id("card-overdue")
    expect(card).to_contain_text("3")
    card.click()
    page.wait_for_url("**/dashboards/assignments/?state=overdue")
    expect(page.get_by_test_id("assignment-row")).to_have_count(3)


def test_a_chart_segment_leads_to_its_list(dashboard, live_server):
    page = dashboard
    page.get_by_test_id("chart-overdue_village").scroll_into_view_if_needed()
    target = page.evaluate(BAR_MIDDLE, ["chart-overdue_village", 0])
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(f"{live_server.url}{target['url']}")
    expect(page.get_by_test_id("assignment-row")).to_have_count(2)  # 桃源村: d4 and p2


def test_the_dashboard_fits_a_phone(world, live_server, page, browser_login):
    build_township(world)
    cache.clear()
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login("staff")
    page.goto(f"{live_server.url}/dashboards/")
    expect(page.get_by_test_id("chart-coverage_grid")).to_have_attribute("data-drawn", "yes")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.evaluate(OVERFLOWING)
    page.locator("#id_village").select_option(str(world.village_a.pk))
    page.wait_for_url(f"**/dashboards/?*village={world.village_a.pk}*")
    expect(page.get_by_test_id("card-open_disputes")).to_have_attribute("data-count", "3")
