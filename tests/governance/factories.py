"""Factories of governance records beyond tests/factories.py."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from governance.models import CalendarDay, HeadTerm
from tests.factories import HouseholdHeadFactory


class HeadTermFactory(DjangoModelFactory):
    class Meta:
        model = HeadTerm

    head = factory.SubFactory(HouseholdHeadFactory)
    grid = factory.LazyAttribute(lambda o: o.head.grid)
    certificate_number = factory.LazyAttribute(lambda o: o.head.certificate_number)
    starts_on = factory.LazyAttribute(lambda o: o.head.appointed_on)
    ends_on = factory.LazyAttribute(lambda o: o.head.term_ends_on)


class CalendarDayFactory(DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: dt.date(2031, 1, 6) + dt.timedelta(days=7 * n))  # Mondays of 2031
    kind = CalendarDay.Kind.HOLIDAY
    name = "测试假日"
