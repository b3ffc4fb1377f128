"""The county dashboard (issue 21): the townships side by side, drill-down county → township → village → list, every
number equal to its list, and the ranking's rule on the page."""

from django.urls import reverse

from .conftest import ON_TODAY

pytestmark = ON_TODAY

FIGURES = ("open_disputes", "succeeded", "overdue_assignments", "overdue_petitions", "skip_level")


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["table"].paginator.count


def _numbers(row):
    yield from ((name, row[name]) for name in FIGURES)
    yield from ((f"resolved_{level['level']}", level) for level in row["levels"])


def _check_every_number(client, data):
    for row in data["rows"]:
        for name, figure in _numbers(row):
            assert _list_count(client, figure["url"]) == figure["count"], (row["name"], name, figure["url"])


def test_county_staff_see_the_townships_side_by_side_and_every_number_equals_its_list(world, township, county,
                                                                                     clients):
    client = clients["county_staff"]
    response = client.get(reverse("dashboards:county"))
    assert response.status_code == 200
    data = response.context["data"]
    assert [row["name"] for row in data["rows"]] == ["青石镇", "白马镇"]
    first, second = data["rows"]
    # Hand counts (tests/dashboards/conftest.py): five open disputes, three overdue 包案 (d4, d6, p2), one overdue
    # petition (p2); the other township's one open dispute.
    assert (first["open_disputes"]["count"], first["overdue_assignments"]["count"]) == (5, 3)
    assert first["overdue_petitions"]["count"] == 1
    assert second["open_disputes"]["count"] == 1
    # This year's mediations in 青石镇: d1, d3, d5 succeeded (d3 at the township), d2 failed.
    assert (first["succeeded"]["count"], first["ended"], first["success_rate"]) == (3, 4, "75.0%")
    assert [level["count"] for level in first["levels"]] == [2, 1, 0]
    _check_every_number(client, data)
    body = response.content.decode()
    assert 'data-testid="ranking-rule"' in body
    # Four ended mediations are fewer than the minimum: listed, not ranked.
    assert data["ranked"] == [] and [row["name"] for row in data["unranked"]] == ["青石镇", "白马镇"]


def test_drill_down_from_the_township_to_its_villages_and_their_lists(world, township, county, clients):
    client = clients["county_leader"]
    county_page = client.get(reverse("dashboards:county")).context["data"]
    drill = county_page["rows"][0]["drill_url"]
    data = client.get(drill).context["data"]
    assert [row["name"] for row in data["rows"]] == ["柳湾村", "桃源村"]
    by_name = {row["name"]: row for row in data["rows"]}
    # Village A: d2, d3, d4 open; village B: d5, d6.
    assert (by_name["桃源村"]["open_disputes"]["count"], by_name["柳湾村"]["open_disputes"]["count"]) == (3, 2)
    _check_every_number(client, data)
    assert sum(row["open_disputes"]["count"] for row in data["rows"]) == county_page["rows"][0]["open_disputes"]["count"]


def test_the_county_page_is_the_county_users_own(world, township, county, clients):
    url = reverse("dashboards:county")
    assert clients["staff"].get(url).status_code == 403
    assert clients["supervisor"].get(url).status_code == 403
    outsider = clients["county_outsider"]
    assert [row["name"] for row in outsider.get(url).context["data"]["rows"]] == ["中坝镇"]
    assert outsider.get(url + f"?township={world.township.pk}").status_code == 404
    assert outsider.get(url + "?township=abc").status_code == 404


def test_the_dashboard_offers_the_county_overview_to_county_users_only(world, township, county, clients):
    assert 'data-testid="county-overview"' in clients["county_staff"].get(reverse("dashboards:home")).content.decode()
    assert 'data-testid="county-overview"' not in clients["staff"].get(reverse("dashboards:home")).content.decode()


def test_the_county_overview_is_in_the_navigation_of_county_users_only(world, county, clients):
    url = reverse("dashboards:county")
    for who in ("county_staff", "county_leader"):
        assert f'href="{url}"' in clients[who].get(reverse("dashboards:home")).content.decode(), who
    nav = clients["staff"].get(reverse("households:list")).content.decode().split("</nav>")[0]
    assert f'href="{url}"' not in nav


def _figures(data):
    from .test_links import _chart_points

    found = [(card["key"], card["url"], card["count"]) for card in data["cards"]]
    found += [(key, point["url"], point["count"]) for key, point in _chart_points(data["charts"])]
    return found


def test_county_users_compare_townships_on_the_dashboard_and_drill_into_one(world, township, county, clients):
    """The county-wide 统计 compares townships (not every village of the county); choosing a township gives that
    township's dashboard, the same figures as its own staff see, each equal to its list with the township kept."""
    client = clients["county_staff"]
    home = reverse("dashboards:home")
    county_wide = client.get(home)
    charts = county_wide.context["data"]["charts"]
    assert "coverage_township" in charts and "coverage_village" not in charts
    assert sorted(row["name"] for row in charts["coverage_township"]["rows"]) == ["白马镇", "青石镇"]
    assert [p["name"] for p in charts["overdue_township"]["points"]] == ["青石镇"]
    assert [label for _, label in county_wide.context["form"].fields["township"].choices][1:] == ["青石镇", "白马镇"]

    chosen = client.get(home, {"township": world.township.pk})
    data = chosen.context["data"]
    own = clients["staff"].get(home).context["data"]
    assert [(c["key"], c["count"]) for c in data["cards"]] == [(c["key"], c["count"]) for c in own["cards"]]
    assert "coverage_village" in data["charts"] and "coverage_township" not in data["charts"]
    for key, url, count in _figures(data):
        assert f"township={world.township.pk}" in url or "village=" in url or "grid=" in url, (key, url)
        assert _list_count(client, url) == count, (key, url)
    body = chosen.content.decode()
    # The period presets and the panels beside the figures keep the township.
    assert f'?start=&amp;township={world.township.pk}"' in body
    assert f'demand-figures/?township={world.township.pk}"' in body or f"township={world.township.pk}" in body

    other = client.get(home, {"township": world.other_township.pk}).context["data"]
    assert {c["key"]: c["count"] for c in other["cards"]}["open_disputes"] == 1
    for key, url, count in _figures(other):
        assert _list_count(client, url) == count, (key, url)


def test_a_township_outside_the_county_is_not_a_dashboard_choice(world, township, county, clients):
    from governance.models import Township

    far = Township.objects.get(name="中坝镇")
    response = clients["county_staff"].get(reverse("dashboards:home"), {"township": far.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["township"]
    # An invalid choice counts as not given: the whole county, as before.
    assert "coverage_township" in response.context["data"]["charts"]
    # A township's own staff get no township choice.
    assert "township" not in clients["staff"].get(reverse("dashboards:home")).context["form"].fields


def test_the_panels_beside_the_dashboard_narrow_to_the_chosen_township(world, township, county, clients):
    client = clients["county_staff"]
    for name in ("households:demand-figures", "monitoring:cards", "hazards:figures"):
        response = client.get(reverse(name), {"township": world.other_township.pk}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, name
        body = response.content.decode()
        if name == "monitoring:cards":
            assert f"township={world.other_township.pk}" in body or "data-count" not in body, name
