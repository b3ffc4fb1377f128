"""Numbers are unique per township and year (JF-2026-0001), also when registrations happen at the same moment."""

import datetime as dt
import threading

import pytest
from django.db import connection

from disputes.models import Dispute
from disputes.services import dispute_register
from tests.factories import GridFactory, TownshipFactory, UserFactory, VillageFactory


def _data(grid, day=dt.date(2026, 11, 2)):
    return {"title": "土地纠纷", "kind": Dispute.Kind.LAND, "village": grid.village, "grid": grid,
            "description": "承包地边界争议", "registered_on": day}


def test_numbers_count_per_township_and_year(world):
    staff = world.users["staff"]
    first = dispute_register(by=staff, data=_data(world.grid_a1), parties=[{"name": "张三"}])
    second = dispute_register(by=staff, data=_data(world.grid_b1), parties=[{"name": "李四"}])
    next_year = dispute_register(by=staff, data=_data(world.grid_a1, dt.date(2027, 1, 4)), parties=[{"name": "王五"}])
    other_grid = GridFactory(village=VillageFactory(township=world.other_township))
    other = dispute_register(by=world.users["outsider"], data=_data(other_grid), parties=[{"name": "赵六"}])
    assert [first.number, second.number, next_year.number] == ["JF-2026-0001", "JF-2026-0002", "JF-2027-0001"]
    assert other.number == "JF-2026-0001"
    assert other.township == world.other_township


@pytest.mark.django_db(transaction=True)
def test_registrations_at_the_same_moment_get_different_numbers():
    township = TownshipFactory()
    grid = GridFactory(village=VillageFactory(township=township))
    staff = UserFactory(township=township)
    threads_count, per_thread = 6, 4
    barrier = threading.Barrier(threads_count)
    numbers, errors = [], []

    def register():
        try:
            barrier.wait()
            for _ in range(per_thread):
                numbers.append(dispute_register(by=staff, data=_data(grid), parties=[{"name": "张三"}]).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(numbers) == threads_count * per_thread
    assert sorted(numbers) == [f"JF-2026-{n:04d}" for n in range(1, threads_count * per_thread + 1)]


def test_the_database_refuses_a_duplicate_number(world, dispute_a):
    from django.db import IntegrityError, transaction

    from tests.disputes.factories import DisputeFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        DisputeFactory(grid=world.grid_b1, number=dispute_a.number)
