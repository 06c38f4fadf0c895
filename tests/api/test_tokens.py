"""Organisation tokens: made by an organisation's admins with a name, areas and an expiry; the secret shown once and
kept only as a hash; listed with their last use; revoked at once; acting for their organisation only, as their
maker, and named in the history of changes. Errors are problem details; calls are rate limited."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carenetwork.api.models import ApiToken
from carenetwork.api.services import hash_secret, token_create, token_revoke
from carenetwork.core.models import AuditEvent
from carenetwork.organisations.models import Membership, Role
from tests.api.conftest import ALL

pytestmark = pytest.mark.django_db
STAFF = "/api/v1/staff/"


def test_a_token_is_kept_only_as_a_hash_and_its_secret_works_once_made(provider_admin, provider, api_as, make_token):
    secret = make_token(provider_admin, provider, read=["records"])
    token = ApiToken.objects.get()
    assert secret.startswith(f"cn_{token.prefix}_") and len(secret) > 40
    assert token.secret_hash == hash_secret(secret) and secret not in str(token.__dict__.values())
    assert api_as(secret).get(STAFF).status_code == 200


def test_the_areas_chosen_are_kept_in_order_and_changing_implies_reading(provider_admin, provider):
    token, _secret = token_create(
        actor=provider_admin,
        organisation=provider,
        name="Rota",
        read_areas=["training"],
        write_areas=["records", "nonsense"],
        expires_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    assert token.read_areas == ["records", "training"] and token.write_areas == ["records"]


@pytest.mark.parametrize(
    ("days", "read", "field"),
    [(0, ["records"], "expires_on"), (367, ["records"], "expires_on"), (10, [], "read_areas")],
)
def test_a_token_needs_a_future_expiry_within_a_year_and_an_area(provider_admin, provider, days, read, field):
    with pytest.raises(ValidationError) as error:
        token_create(
            actor=provider_admin,
            organisation=provider,
            name="Rota",
            read_areas=read,
            write_areas=[],
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
        )
    assert field in error.value.message_dict


def test_only_an_organisations_admins_make_and_revoke_its_tokens(
    provider, provider_admin, provider_member, other_admin, council_officer, make_token
):
    for person in (provider_member, other_admin, council_officer):
        with pytest.raises(PermissionDenied):
            make_token(person, provider)
    make_token(provider_admin, provider)
    with pytest.raises(PermissionDenied):
        token_revoke(actor=other_admin, token=ApiToken.objects.get())


def test_no_token_a_wrong_one_or_a_malformed_header_is_a_401_problem_with_the_scheme(api_as, provider_token):
    wrong = provider_token[:-3] + "xyz"
    for client in (api_as(None), api_as(wrong), api_as("cn_nothing"), api_as("not-even-close")):
        answer = client.get(STAFF)
        assert answer.status_code == 401, answer.content
        assert answer["Content-Type"] == "application/problem+json"
        assert answer["WWW-Authenticate"] == 'Bearer realm="api"'
        assert answer.json()["status"] == 401 and answer.json()["title"]
    spaced = api_as(None)
    spaced.credentials(HTTP_AUTHORIZATION=f"Bearer {provider_token} extra")
    assert spaced.get(STAFF).status_code == 401


def test_a_revoked_token_stops_at_once(api_as, provider_token, provider_admin):
    assert api_as(provider_token).get(STAFF).status_code == 200
    token_revoke(actor=provider_admin, token=ApiToken.objects.get())
    assert api_as(provider_token).get(STAFF).status_code == 401


def test_an_expired_token_stops_at_the_end_of_its_expiry_day(api_as, make_token, provider_admin, provider):
    secret = make_token(provider_admin, provider, days=2)
    end = timezone.localdate() + datetime.timedelta(days=2)
    with time_machine.travel(timezone.make_aware(datetime.datetime.combine(end, datetime.time(23, 0))), tick=False):
        assert api_as(secret).get(STAFF).status_code == 200
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(end, datetime.time.max)) + datetime.timedelta(seconds=1)
    ):
        assert api_as(secret).get(STAFF).status_code == 401


def test_a_token_stops_when_its_maker_leaves_or_is_no_longer_an_admin(api_as, provider_token, provider_admin):
    membership = Membership.objects.get(user=provider_admin)
    membership.role = Role.MEMBER
    membership.save()
    assert api_as(provider_token).get(STAFF).status_code == 401
    membership.role = Role.ADMIN
    membership.save()
    assert api_as(provider_token).get(STAFF).status_code == 200
    membership.ended_at = timezone.now()
    membership.save()
    answer = api_as(provider_token).get(STAFF)
    assert answer.status_code == 401


def test_a_token_acts_for_its_organisation_only_though_its_maker_has_others(
    api_as, make_token, provider_admin, provider, other_provider
):
    Membership.objects.create(user=provider_admin, organisation=other_provider, role=Role.ADMIN)
    secret = make_token(provider_admin, provider)
    client = api_as(secret)
    assert client.get(STAFF).status_code == 200
    # Its maker's other organisation is not the token's to reach, even by naming it.
    answer = client.get(STAFF, {"organisation": other_provider.pk})
    assert answer.status_code == 404


def test_a_token_reaches_only_its_areas_and_changes_only_what_it_may_change(
    api_as, make_token, provider_admin, provider
):
    training_only = api_as(make_token(provider_admin, provider, read=["training"]))
    answer = training_only.get(STAFF)
    assert answer.status_code == 403 and answer["Content-Type"] == "application/problem+json"
    read_only = api_as(make_token(provider_admin, provider, read=["records"], name="Reader"))
    assert read_only.get(STAFF).status_code == 200
    answer = read_only.post(STAFF, {"name": "Ann Lee", "job_role_code": 8}, format="json")
    assert answer.status_code == 403 and "read" in answer.json()["detail"]


def test_last_use_is_noted_at_most_once_a_minute(api_as, provider_token):
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    api_as(provider_token).get(STAFF)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api_as(provider_token).get(STAFF)
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        api_as(provider_token).get(STAFF)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_change_through_a_token_is_in_the_history_as_the_token(api_as, provider_token, provider):
    answer = api_as(provider_token).post(STAFF, {"name": "Ann Lee", "job_role_code": 8}, format="json")
    assert answer.status_code == 201
    event = AuditEvent.objects.get(action="staff.created")
    assert event.via == "token Rota sync of Willow Care Home" and event.organisation == provider


def test_a_signed_in_session_reaches_the_api_with_its_own_permissions(client_for, provider_admin, provider_member):
    assert client_for(provider_admin).get(STAFF).status_code == 200
    # A member may not keep the register on the portal, so not through the API either.
    assert client_for(provider_member).get(STAFF).status_code == 403


def test_calls_over_the_rate_limit_are_429_with_retry_after(settings, api_as, provider_token):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "3/min", "person": "100/min"},
    }
    client = api_as(provider_token)
    statuses = [client.get(STAFF).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    answer = client.get(STAFF)
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert answer["Content-Type"] == "application/problem+json"
    cache.clear()


def test_a_person_is_limited_across_their_session_and_tokens(settings, api_as, make_token, provider_admin, provider):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"token": "100/min", "person": "3/min"},
    }
    one, two = (api_as(make_token(provider_admin, provider, name=name)) for name in ("One", "Two"))
    assert [one.get(STAFF).status_code, two.get(STAFF).status_code, one.get(STAFF).status_code] == [200, 200, 200]
    assert two.get(STAFF).status_code == 429
    cache.clear()


def test_an_unknown_address_under_the_api_is_a_problem_and_elsewhere_the_portals_page(client):
    answer = client.get("/api/v1/no-such-thing/")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/problem+json"
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("text/html")


def test_the_schema_is_served_at_a_stable_address_and_names_the_token_scheme(client):
    answer = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["organisationToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["organisationToken"]["description"],
    }
    staff = schema["paths"]["/api/v1/staff/"]["get"]
    assert {"401", "403", "429"} <= set(staff["responses"])
    assert "application/problem+json" in staff["responses"]["401"]["content"]


def test_tokens_made_for_all_areas_reach_every_area(make_token, provider_admin, provider):
    make_token(provider_admin, provider, read=ALL, write=ALL)
    assert ApiToken.objects.get().read_areas == ALL


def test_a_server_error_under_the_api_is_a_problem_too(rf):
    from carenetwork.api.problems import server_error

    answer = server_error(rf.get("/api/v1/staff/"))
    assert answer.status_code == 500 and answer["Content-Type"] == "application/problem+json"
    assert server_error(rf.get("/forums/"))["Content-Type"].startswith("text/html")
