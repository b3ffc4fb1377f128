"""Two clerks adding members to one household at the same moment: the summary kept on the household
(households/summary.py) counts and searches both, because each service recomputes it under a lock on the household."""

import threading

import pytest
from django.db import connection

from households import services
from households.models import Household
from tests.factories import HouseholdFactory
from tests.households.factories import ResidentFactory


@pytest.mark.django_db(transaction=True)
def test_two_clerks_adding_members_to_one_household_at_once_leave_the_right_count_and_search_text(world):
    household = HouseholdFactory(grid=world.grid_a1)
    ResidentFactory(household=household, name="原有人")
    before = Household.objects.get(pk=household.pk).member_count
    names = []
    for round_ in range(3):  # a few rounds: on the old code one round alone sometimes missed the race
        pair = [f"欧阳娜{round_}", f"司马懿{round_}"]
        _two_clerks_add_at_once([ResidentFactory.build(household=household, name=name) for name in pair])
        names.extend(pair)

    household.refresh_from_db()
    assert household.member_count == before + len(names)
    assert all(name in household.search_text.split("\n") for name in names)


def _two_clerks_add_at_once(residents) -> None:
    """Each resident added through the service by its own thread (its own connection), released together."""
    barrier = threading.Barrier(len(residents), timeout=10)
    errors: list[BaseException] = []

    def clerk(resident) -> None:
        try:
            barrier.wait()
            services.resident_create(resident=resident, tags=[])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(resident,)) for resident in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
