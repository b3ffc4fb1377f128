"""Fixtures of the households tests: private files in a temporary folder, and a small populated world."""

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.factories import HouseholdFactory
from tests.households.factories import ResidentFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@dataclass
class Registry:
    a1: object  # a household of grid A1, linked to world.head_a1
    a2: object  # a household of grid A2, no household head
    b1: object  # a household of village B
    resident_a1: object
    resident_b1: object


@pytest.fixture
def registry(world) -> Registry:
    a1 = HouseholdFactory(grid=world.grid_a1, household_head=world.head_a1, head_name="李建华", house_number="一组01号")
    a2 = HouseholdFactory(grid=world.grid_a2, head_name="王建国", house_number="二组05号")
    b1 = HouseholdFactory(grid=world.grid_b1, head_name="赵秀兰", house_number="三组09号")
    resident_a1 = ResidentFactory(household=a1, name="李建华", id_number="510723195803081234",
                                  birth_date=dt.date(1958, 3, 8), phone="13812345678")
    resident_b1 = ResidentFactory(household=b1, name="赵秀兰")
    return Registry(a1, a2, b1, resident_a1, resident_b1)
