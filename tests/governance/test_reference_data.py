"""Reference data (holiday calendar, special-group tags) survives the table flush of transactional tests."""

import datetime as dt

import pytest

from governance.models import CalendarDay
from households.models import Tag


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_reference_data():
    assert Tag.objects.filter(code="elderly-alone").exists()
    assert CalendarDay.objects.filter(date=dt.date(2026, 10, 1), kind="holiday").exists()


@pytest.mark.django_db(transaction=True)
def test_and_so_does_the_next_one_after_the_flush():
    assert Tag.objects.count() == 15
    assert CalendarDay.objects.filter(date=dt.date(2026, 9, 20), kind="workday").exists()  # 国庆调休 Sunday


def test_and_a_plain_database_test_after_them(db):
    assert Tag.objects.count() == 15
    assert CalendarDay.objects.filter(kind="holiday").count() > 20
