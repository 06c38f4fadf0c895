"""API fixtures: organisation tokens made through the service, and a DRF client that calls with one."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from carenetwork.api.models import Area
from carenetwork.api.services import token_create

ALL = list(Area.values)


@pytest.fixture(autouse=True)
def _api_rates(settings):
    # The rate limits have their own tests; elsewhere they would only make a long test flaky.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100000/min", "person": "100000/min"},
    }


@pytest.fixture
def make_token():
    """make_token(admin, organisation, read=[...], write=[...]) -> the secret of a new token."""

    def make(user, organisation, *, read=ALL, write=(), name="Rota sync", days=30):
        _token, secret = token_create(
            actor=user,
            organisation=organisation,
            name=name,
            read_areas=list(read),
            write_areas=list(write),
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
        )
        return secret

    return make


@pytest.fixture
def api_as():
    """api_as(secret) -> an APIClient sending `Authorization: Bearer <secret>`; api_as(None) sends nothing."""

    def client(secret=None):
        api = APIClient()
        if secret:
            api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return api

    return client


@pytest.fixture
def provider_token(make_token, provider_admin, provider):
    """A token of the provider with every area, read and write."""
    return make_token(provider_admin, provider, read=ALL, write=ALL)


@pytest.fixture
def council_token(make_token, council_admin, council):
    """A token of the council with every area, read and write."""
    return make_token(council_admin, council, read=ALL, write=ALL)
