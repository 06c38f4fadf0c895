"""Asking to join twice at once (a double click) gives one request and a plain message, never a server error;
an audit-log filter that is not an organisation's id gives "not found", never a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carenetwork.organisations import services
from carenetwork.organisations.models import JoinRequest
from tests.concurrency import at_once, prepare_race
from tests.factories import OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_asking_to_join_twice_at_once_stores_one_request():
    prepare_race()
    provider, user = OrganisationFactory(), UserFactory()
    _results, errors = at_once([lambda: services.join_request_create(user=user, organisation=provider)] * 2)
    assert JoinRequest.objects.filter(user=user, organisation=provider).count() == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "already asked to join" in errors[0].messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999999", "-1", "1.5", "0"])
def test_an_audit_log_filter_that_is_not_an_id_is_not_found(client, council_admin, value):
    client.force_login(council_admin)
    response = client.get(reverse("organisations:audit-log"), {"organisation": value})
    assert response.status_code == 404
