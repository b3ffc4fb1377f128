"""Figures: scoped SQL aggregates (on-time rate, overdue, satisfaction, repeat share; per village and period)."""

import datetime as dt

import pytest
from django.urls import reverse

from petitions import figures
from petitions.models import Petition

from .factories import advance, outsider, register

pytestmark = pytest.mark.today(dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def data(world):
    staff, supervisor = world.users["staff"], world.users["supervisor"]
    person = outsider("复访人")
    # Village A: one replied on time (satisfied), one overdue unanswered, one repeat still fresh.
    on_time = register(by=staff, village=world.village_a, received_on=dt.date(2026, 2, 20), petitioners=[person])
    advance(on_time, Petition.Status.REPLIED, staff=staff, supervisor=supervisor)
    overdue = register(by=staff, village=world.village_a, received_on=dt.date(2026, 1, 2),
                       subject=Petition.Subject.LABOUR, channel=Petition.Channel.LETTER)
    repeat = register(by=staff, village=world.village_a, received_on=dt.date(2026, 3, 1), petitioners=[person])
    # Village B: one dissatisfied, closed out.
    closed = register(by=staff, village=world.village_b, received_on=dt.date(2026, 2, 25), head_count=6)
    advance(closed, Petition.Status.REPLIED, staff=staff, supervisor=supervisor)
    closed.record_satisfaction(by=staff, level=Petition.Satisfaction.DISSATISFIED)
    return on_time, overdue, repeat, closed


def test_the_summary_for_the_township(world, data):
    row = figures.summary(world.users["staff"])
    assert (row["total"], row["open"], row["overdue"], row["repeats"]) == (4, 4, 1, 1)
    assert row["on_time_rate"] == pytest.approx(66.7)  # two on time, one unanswered past its date
    assert row["satisfaction_rate"] == 50.0
    assert row["repeat_share"] == 25.0


def test_figures_per_village_and_their_links(world, data):
    rows = {r["village__name"]: r for r in figures.by_village(world.users["staff"])}
    assert rows["桃源村"]["total"] == 3 and rows["桃源村"]["overdue"] == 1
    assert rows["柳湾村"]["satisfaction_rate"] == 0.0 and rows["柳湾村"]["collective"] == 1
    assert rows["柳湾村"]["query"] == f"?village={world.village_b.pk}"


def test_figures_are_scoped(world, data):
    row = figures.summary(world.users["village_cadre"])
    assert row["total"] == 3
    assert [r["village__name"] for r in figures.by_village(world.users["village_cadre"])] == ["桃源村"]
    assert figures.summary(world.users["outsider"])["total"] == 0


def test_figures_by_period_channel_form_and_month(world, data):
    staff = world.users["staff"]
    assert figures.summary(staff, start=dt.date(2026, 2, 1))["total"] == 3
    channels = {r["key"]: r["count"] for r in figures.by_channel(staff)}
    assert channels["letter"] == 1 and channels["visit"] == 3
    forms = {r["key"]: r["count"] for r in figures.by_form(staff)}
    assert (forms["collective"], forms["individual"], forms["repeat"], forms["first"]) == (1, 3, 1, 3)
    months = {r["month"].strftime("%Y-%m"): r["count"] for r in figures.by_month(staff)}
    assert months == {"2026-01": 1, "2026-02": 2, "2026-03": 1}
    subjects = {r["key"]: r for r in figures.by_subject(staff, start=dt.date(2026, 1, 1))}
    assert subjects["labour"]["count"] == 1
    assert subjects["labour"]["query"] == "?received_from=2026-01-01&subject=labour"


def test_the_figures_page_shows_the_figures_and_links_to_the_list(world, clients, data):
    response = clients["supervisor"].get(reverse("petitions:figures"), {"start": "2026-01-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "按期办结率" in body and "66.7%" in body
    assert f"?received_from=2026-01-01&amp;village={world.village_b.pk}" in body
