import pytest

from tests.disputes.factories import DisputeFactory, PartyFactory


@pytest.fixture
def dispute_a(world):
    """A dispute in village A, grid A1, at village level, with one outside party."""
    dispute = DisputeFactory(grid=world.grid_a1)
    PartyFactory(dispute=dispute, name="张三")
    return dispute


@pytest.fixture
def dispute_b(world):
    dispute = DisputeFactory(grid=world.grid_b1)
    PartyFactory(dispute=dispute, name="李四")
    return dispute
