import pytest

from tests.hazards.factories import HazardFactory


@pytest.fixture
def hazard_a(world):
    """A hazard of village A, grid A1, to be verified."""
    return HazardFactory(grid=world.grid_a1)


@pytest.fixture
def english():
    """Model messages in English, to match them by their msgid."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
