"""factory_boy factories for the organisation and the registry. Apps add theirs in tests/<app>/factories.py."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from governance.models import County, Grid, HouseholdHead, Township, User, Village
from households import services
from households.idnumbers import make_id_number
from households.models import Household, Resident, Tag, Visit


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County

    name = factory.Sequence(lambda n: f"测试{n}县")
    code = factory.Sequence(lambda n: f"52{n % 10000:04d}")


class TownshipFactory(DjangoModelFactory):
    class Meta:
        model = Township

    name = factory.Sequence(lambda n: f"测试{n}镇")
    code = factory.Sequence(lambda n: f"5107231{n % 100000:05d}")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试{n}村")


class GridFactory(DjangoModelFactory):
    class Meta:
        model = Grid

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"第{n}网格")


class HouseholdHeadFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdHead

    grid = factory.SubFactory(GridFactory)
    name = factory.Faker("name", locale="zh_CN")
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    appointed_on = dt.date(2025, 9, 27)
    term_ends_on = dt.date(2028, 9, 26)
    certificate_number = factory.Sequence(lambda n: f"LHZ-{n:06d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    role = User.Role.TOWNSHIP_STAFF
    township = factory.SubFactory(TownshipFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def villages(self, create, extracted, **kwargs):
        if create and extracted:
            self.villages.set(extracted)

    @factory.post_generation
    def grids(self, create, extracted, **kwargs):
        if create and extracted:
            self.grids.set(extracted)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    grid = factory.SubFactory(GridFactory)
    head_name = factory.Faker("name", locale="zh_CN")
    address = factory.LazyAttribute(lambda o: f"{o.grid.village.name}一组")
    house_number = factory.Sequence(lambda n: f"{n}号")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.household_save(household=model_class(*args, **kwargs))  # as the pages: with its summary


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    township = factory.LazyAttribute(lambda o: o.household.grid.village.township)
    name = factory.Faker("name", locale="zh_CN")
    gender = "male"
    birth_date = dt.date(1970, 5, 17)
    # Sequence numbers 1, 3, 5, … (made even for women): two residents never share a number.
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(
            "510723", o.birth_date + dt.timedelta(days=n // 450), (n % 450) * 2 + 1, o.gender == "male"
        )
    )
    phone = factory.Sequence(lambda n: f"139{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.resident_create(resident=model_class(*args, **kwargs))  # counted in its household's summary


def tag_with(instance: Household | Resident, *tags: Tag) -> None:
    """Add ``tags`` to a resident or household through the services, as the pages do (the summary follows)."""
    chosen = [*instance.tags.all(), *tags]
    if isinstance(instance, Household):
        services.household_tags_set(household=instance, tags=chosen)
    else:
        services.resident_tags_set(resident=instance, tags=chosen)


class VisitFactory(DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    grid = factory.SubFactory(GridFactory)
    visited_on = dt.date(2026, 11, 1)

    @factory.post_generation
    def households(self, create, extracted, **kwargs):
        if create and extracted:
            self.households.set(extracted)


def tag(code: str) -> Tag:
    return Tag.objects.get(code=code)
