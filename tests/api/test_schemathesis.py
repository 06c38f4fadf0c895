"""Schemathesis against the API's own OpenAPI schema, with every check it has, as a provider's token and as the
council's: zero server errors, zero responses that break the schema, zero ignored authentication."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from tests.api.conftest import ALL

pytestmark = pytest.mark.django_db

EXAMPLES = 20


# Every check schemathesis has, as it ships, but one setting: a request the schema allows may still be refused with
# 400 when it names an id that does not exist or breaks a rule of the service (a completion date in the future):
# no OpenAPI schema can say which ids exist. Every other status it sends is as schemathesis expects.
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}}}
)


def _schema():
    """The same schema /api/v1/schema/ serves, generated here as the module loads (no database needed)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)), config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
# Derandomised: the same cases on every run, so CI answers for the code, not for the luck of the draw. Run with
# --hypothesis-seed or without derandomize to explore further by hand.
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(autouse=True)
def _keep_the_test_database_open():
    # As Django's test client does: a request must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@FUZZ
def test_the_api_keeps_to_its_schema_for_a_provider(case, make_token, provider_admin, provider, things):
    secret = make_token(provider_admin, provider, read=ALL, write=ALL)
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})


@schema.parametrize()
@FUZZ
def test_the_api_keeps_to_its_schema_for_the_council(case, make_token, council_admin, council, things):
    secret = make_token(council_admin, council, read=ALL, write=ALL)
    case.call_and_validate(headers={"Authorization": f"Bearer {secret}"})
