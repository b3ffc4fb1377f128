"""A page offers only what its reader may do (the crawl of tests/core/test_actions_shown.py checks every page; these
are the two a user met): a 联户长's visit page has no 登记信访件, a supervisor's not-visited list no 记民情日记."""

from django.urls import reverse

from tests.factories import HouseholdFactory, VisitFactory


def test_a_household_heads_visit_page_offers_what_they_may_raise_only(world, clients):
    household = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1)
    visit = VisitFactory(grid=world.grid_a1, households=[household])
    url = reverse("households:visit-detail", args=[visit.pk])
    head = clients["household_head"].get(url).content.decode()
    assert 'data-testid="raise-dispute"' in head
    assert 'data-testid="raise-petition"' not in head and 'data-testid="raise-monitoring-lead"' not in head
    cadre = clients["village_cadre"].get(url).content.decode()
    assert 'data-testid="raise-petition"' in cadre and 'data-testid="raise-monitoring-lead"' in cadre


def test_the_supervisors_not_visited_list_has_no_log_a_visit_button(world, clients):
    HouseholdFactory(grid=world.grid_a1)
    url = reverse("households:not-visited")
    assert "记民情日记" not in clients["supervisor"].get(url).content.decode()
    assert "记民情日记" in clients["grid_worker"].get(url).content.decode()


def test_the_menu_highlights_visits_on_visit_pages_and_households_on_household_pages(world, clients):
    household = HouseholdFactory(grid=world.grid_a1)
    client = clients["grid_worker"]
    for url, section in ((reverse("households:visit-create"), "走访"), (reverse("households:visit-list"), "走访"),
                         (reverse("households:coverage"), "走访"), (reverse("households:detail", args=[household.pk]), "户籍")):
        body = client.get(url).content.decode()
        active = body.split('aria-current="page"')[1].split("<", 1)[0]
        assert section in active, (url, active)
    form = client.get(reverse("households:visit-create")).content.decode()
    assert 'class="btn-group flex-wrap visit-mode"' in form  # the chosen 走访方式 is filled (static/css/app.css)
