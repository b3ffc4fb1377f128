"""The OpenAPI document against the API itself (schemathesis, in-process on the WSGI app, the test database): for
every operation, generated requests — ids, query parameters, headers, bodies — never meet a server error, and every
answer has a status, content type and body the document declares (errors included: api/schema.py)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from governance.models import User
from tests.api.conftest import make_token
from tests.factories import GridFactory, HouseholdFactory, ResidentFactory, UserFactory, VillageFactory

CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance)


def _load_schema():
    """The document /api/schema/ serves, built in-process, bound to the WSGI application (requests never leave it).
    (Loaded at import: schemathesis's lazy fixture loader does not work with pytest 9.)"""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    loaded.location = "/api/schema/"
    return loaded


@pytest.fixture(autouse=True)
def _connection_kept():
    # As Django's test client does: a request's end must not close the test's database connection (its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = _load_schema()


@pytest.fixture
def bearer(db) -> dict:
    """A township's staff with a read-write token, and a few rows for the ids to find."""
    village = VillageFactory()
    grid = GridFactory(village=village)
    ResidentFactory(household=HouseholdFactory(grid=grid))
    staff = UserFactory(role=User.Role.TOWNSHIP_STAFF, township=village.township)
    return {"Authorization": f"Bearer {make_token(staff, access='read_write', may_reveal=True)}"}


@schema.parametrize()
@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_operation_answers_as_its_schema_says(case, bearer, settings_override):
    response = case.call(headers=bearer)
    case.validate_response(response, checks=CHECKS)


@pytest.fixture
def settings_override(settings):
    # Generous limits: the rate limit is tested on its own (test_api.py), not met by the generated requests.
    settings.API_RATE_READ = settings.API_RATE_WRITE = "100000/min"
    return settings
