"""The published notice: A4 paper in Chinese, and a public page without login (names, posts, times, places only)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from reception.models import Place

from .factories import LeaderFactory, SessionFactory

D = dt.date


@pytest.fixture
def published(world):
    user = world.users["supervisor"]
    user.phone = "13812345678"
    user.save()
    leader = LeaderFactory(township=world.township, user=user, name="张卫国", post="党委书记", portfolio="全面工作")
    session = SessionFactory(township=world.township, date=D(2026, 11, 23), leaders=[leader],
                             place=Place.PETITION_ROOM, start=dt.time(9), end=dt.time(17, 30))
    return leader, session


@pytest.mark.today("2026-11-20")
def test_the_public_page_needs_no_login_and_shows_names_posts_times_places_only(world, published):
    response = Client().get(reverse("reception-public", args=[world.township.code]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("张卫国", "党委书记", "全面工作", "2026年11月23日", "09:00", "17:30", "信访接待室"):
        assert shown in page
    assert "13812345678" not in page
    assert "138" not in page
    assert 'data-testid="current-user"' not in page


@pytest.mark.today("2026-11-20")
def test_the_public_page_of_an_unknown_township_is_404(world):
    assert Client().get(reverse("reception-public", args=["999999999999"])).status_code == 404


@pytest.mark.today("2026-11-20")
def test_the_printable_notice_is_chinese_on_a4_whatever_the_language(world, published, clients):
    client = clients["staff"]
    client.cookies["django_language"] = "en"
    page = client.get(reverse("reception:notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="paper"' in page
    assert "青石镇领导干部接待群众来访安排" in page
    assert "张卫国（党委书记，分管全面工作）" in page
    assert "13812345678" not in page
