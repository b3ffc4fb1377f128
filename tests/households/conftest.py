"""Fixtures of the households tests: private files in a temporary folder, and a small populated world."""

import pytest

from tests.households.factories import Registry, make_registry


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def registry(world) -> Registry:
    return make_registry(world)
