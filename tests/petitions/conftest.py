import pytest

from .factories import register


@pytest.fixture
def petition_a(world):
    """A fresh petition in village A, registered by township staff."""
    return register(by=world.users["staff"], village=world.village_a)


@pytest.fixture
def petition_b(world):
    return register(by=world.users["staff"], village=world.village_b)
