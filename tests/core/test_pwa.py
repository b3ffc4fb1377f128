"""The installable web app (core/pwa.py): the worker and the manifest are served from the root without a login, name
only our own static files, and are never kept by a cache; the phone pages load no chart library."""

import json

from django.test import Client
from django.urls import reverse


def test_the_service_worker_is_served_at_the_root_without_login_and_lists_our_own_shell(db):
    response = Client().get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    shell = json.loads(body.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/static/js/offline.js" in shell and all(url.startswith("/static/") for url in shell)
    assert "{%" not in body and "没有信号" in body


def test_the_manifest_names_the_app_in_chinese_with_its_icons(db):
    response = Client().get(reverse("pwa-manifest"))
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json" and data["name"] == "联户通"
    assert data["start_url"] == "/" and data["display"] == "standalone"
    assert [icon["sizes"] for icon in data["icons"]] == ["192x192", "512x512"]
    assert all(Client().get(icon["src"]).status_code in (200, 404) for icon in data["icons"])


def test_the_household_heads_visit_form_ships_no_chart_library_and_links_the_app(world, clients):
    html = clients["household_head"].get(reverse("households:visit-create")).content.decode()
    assert "echarts" not in html and "dashboards.js" not in html
    assert 'rel="manifest"' in html and "js/offline.js" in html and 'data-offline="visit"' in html
    assert 'data-keep-pages="1"' in html


def test_a_township_pc_keeps_no_page_for_offline_use(world, clients):
    html = clients["staff"].get(reverse("households:list")).content.decode()
    assert 'data-keep-pages=""' in html
