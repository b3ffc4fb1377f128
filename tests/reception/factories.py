import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from reception.models import Leader, Rule, Session


class LeaderFactory(DjangoModelFactory):
    class Meta:
        model = Leader

    name = factory.Sequence(lambda n: f"领导{n}")
    post = "党委副书记"
    portfolio = "信访维稳"


class RuleFactory(DjangoModelFactory):
    class Meta:
        model = Rule
        skip_postgeneration_save = True

    kind = Rule.Kind.WEEKLY
    weekday = 0

    @factory.post_generation
    def leaders(self, create, extracted, **kwargs):
        if create and extracted:
            self.leaders.set(extracted)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    date = factory.LazyFunction(timezone.localdate)
    start = dt.time(8, 30)
    end = dt.time(12, 0)

    @factory.post_generation
    def leaders(self, create, extracted, **kwargs):
        if create and extracted:
            self.leaders.set(extracted)
