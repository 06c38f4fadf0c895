"""The directory's API: organisations and locations as the directory shows them to a signed-in person, and the
caller organisation's own people (never another organisation's); who may call each endpoint, the filters, bad
input and query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenetwork.api.models import ApiToken
from carenetwork.api.services import token_revoke
from carenetwork.organisations.models import Organisation, Role, ServiceType
from tests.factories import LocationFactory, OrganisationFactory, UserFactory, person_in, sector

pytestmark = pytest.mark.django_db

ORGANISATIONS, LOCATIONS, PEOPLE = "/api/v1/organisations/", "/api/v1/locations/", "/api/v1/people/"


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


@pytest.fixture
def closed(db):
    """An organisation no longer active, with a location."""
    org = OrganisationFactory(name="Closed Care Ltd", is_active=False)
    LocationFactory(organisation=org, name="Closed House")
    return org


def every_url(provider, other_provider) -> list[str]:
    location = other_provider.locations.get()
    return [
        ORGANISATIONS,
        f"{ORGANISATIONS}{other_provider.pk}/",
        LOCATIONS,
        f"{LOCATIONS}{location.pk}/",
        PEOPLE,
    ]


# Who may call.


def test_every_endpoint_answers_a_token_with_the_directory_area(api_as, provider_token, provider, other_provider):
    for url in every_url(provider, other_provider):
        assert api_as(provider_token).get(url).status_code == 200, url


def test_every_endpoint_refuses_a_call_without_a_token(api_as, provider, other_provider):
    for url in every_url(provider, other_provider):
        response = api_as(None).get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 401


def test_every_endpoint_refuses_a_token_without_the_directory_area(
    api_as, make_token, provider_admin, provider, other_provider
):
    secret = make_token(provider_admin, provider, read=["forums", "market"])
    for url in every_url(provider, other_provider):
        assert api_as(secret).get(url).status_code == 403, url


def test_every_endpoint_refuses_a_revoked_or_expired_token(
    api_as, make_token, provider_admin, provider, other_provider
):
    revoked = make_token(provider_admin, provider, name="Old sync")
    token_revoke(actor=provider_admin, token=ApiToken.objects.get(name="Old sync"))
    expiring = make_token(provider_admin, provider, name="Short", days=1)
    for url in every_url(provider, other_provider):
        assert api_as(revoked).get(url).status_code == 401, url
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=3)):
        for url in every_url(provider, other_provider):
            assert api_as(expiring).get(url).status_code == 401, url


def test_writes_are_not_allowed(api_as, provider_token, provider):
    for url in (ORGANISATIONS, f"{ORGANISATIONS}{provider.pk}/", LOCATIONS, PEOPLE):
        assert api_as(provider_token).post(url, {}, format="json").status_code == 405, url


def test_a_signed_in_member_reads_the_directory_through_their_session(client_for, provider_member, provider):
    client = client_for(provider_member)
    assert client.get(ORGANISATIONS).status_code == 200
    assert client.get(f"{ORGANISATIONS}{provider.pk}/").status_code == 200
    assert client.get(LOCATIONS).status_code == 200


# Organisations.


def test_the_directory_lists_active_organisations_as_its_table_shows_them(
    api_as, provider_token, provider, other_provider, council, closed
):
    response = api_as(provider_token).get(ORGANISATIONS)
    assert response.status_code == 200
    assert names(response) == ["Eastmarsh Borough Council", "Heron Home Care", "Willow Care Home"]
    willow = response.json()["results"][2]
    assert willow == {
        "id": provider.pk,
        "name": "Willow Care Home",
        "kind": "provider",
        "sectors": ["Residential care"],
        "area": "Eastmarsh Central",
        "postcode": "RM1 3BB",
        "location_count": 1,
    }
    assert response.json()["count"] == 3


def test_the_directory_searches_and_filters_as_the_page_does(api_as, provider_token, provider, other_provider, council):
    api = api_as(provider_token)
    assert names(api.get(ORGANISATIONS, {"q": "heron"})) == ["Heron Home Care"]
    assert names(api.get(ORGANISATIONS, {"kind": "council"})) == ["Eastmarsh Borough Council"]
    assert names(api.get(ORGANISATIONS, {"sector": "home-care"})) == ["Heron Home Care"]
    assert names(api.get(ORGANISATIONS, {"area": "Northbrook"})) == ["Heron Home Care"]
    service_type = provider.locations.get().service_type_id
    assert names(api.get(ORGANISATIONS, {"service_type": service_type})) == ["Willow Care Home"]
    assert names(api.get(ORGANISATIONS, {"kind": "provider", "q": "willow"})) == ["Willow Care Home"]


@pytest.mark.parametrize(
    ("params", "pointer"),
    [
        ({"kind": "castle"}, "/kind"),
        ({"sector": "no-such-sector"}, "/sector"),
        ({"service_type": "abc"}, "/service_type"),
        ({"service_type": "999999"}, "/service_type"),
        ({"area": "Atlantis"}, "/area"),
        ({"q": "x" * 101}, "/q"),
    ],
)
def test_a_filter_the_directory_does_not_offer_is_a_400_problem(api_as, provider_token, provider, params, pointer):
    response = api_as(provider_token).get(ORGANISATIONS, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]


def test_an_inactive_organisation_is_not_found_by_a_provider_but_seen_by_the_council(
    api_as, provider_token, council_token, closed
):
    assert api_as(provider_token).get(f"{ORGANISATIONS}{closed.pk}/").status_code == 404
    response = api_as(council_token).get(f"{ORGANISATIONS}{closed.pk}/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_an_organisations_profile_gives_its_public_details(api_as, provider_token, other_provider):
    response = api_as(provider_token).get(f"{ORGANISATIONS}{other_provider.pk}/")
    assert response.json()["name"] == "Heron Home Care"
    assert response.json()["sectors"] == ["Home care"]
    assert response.json()["cqc_provider_id"] is None
    assert "ascwds_workplace_id" not in response.json()


@pytest.mark.parametrize("pk", [0, 987654, 2**31, 2**63])
def test_an_unknown_organisation_or_location_is_not_found(api_as, provider_token, pk):
    assert api_as(provider_token).get(f"{ORGANISATIONS}{pk}/").status_code == 404
    assert api_as(provider_token).get(f"{LOCATIONS}{pk}/").status_code == 404


def test_the_directory_reads_a_constant_number_of_queries(api_as, provider_token, provider):
    api = api_as(provider_token)
    api.get(ORGANISATIONS)  # the token's first use is noted once a minute

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(ORGANISATIONS).status_code == 200
        return len(captured)

    one = queries()
    for n in range(12):
        org = OrganisationFactory(sectors=[sector("home-care"), sector("residential-care")])
        LocationFactory(organisation=org, name=f"Home {n}")
    assert queries() == one


# Locations.


def test_locations_are_the_active_ones_of_organisations_in_the_directory(
    api_as, provider_token, council_token, provider, other_provider, closed
):
    LocationFactory(organisation=provider, name="Willow Annexe", is_active=False)
    response = api_as(provider_token).get(LOCATIONS)
    assert names(response) == ["Heron Office", "Willow House"]
    house = response.json()["results"][1]
    assert house["organisation"] == provider.pk and house["organisation_name"] == "Willow Care Home"
    assert house["cqc_location_id"] == "1-123456789"
    assert house["service_type"] == ServiceType.objects.get(ascwds_code=2).pk
    # Council staff see inactive organisations' profiles, and so their locations.
    assert "Closed House" in names(api_as(council_token).get(LOCATIONS))


def test_locations_filter_by_organisation_service_type_and_area(api_as, provider_token, provider, other_provider):
    api = api_as(provider_token)
    assert names(api.get(LOCATIONS, {"organisation": other_provider.pk})) == ["Heron Office"]
    assert names(api.get(LOCATIONS, {"area": "Northbrook"})) == ["Heron Office"]
    house = provider.locations.get()
    assert names(api.get(LOCATIONS, {"service_type": house.service_type_id})) == ["Willow House"]


def test_a_bad_location_filter_is_a_400_problem(api_as, provider_token):
    for params in ({"organisation": "willow"}, {"service_type": "-1"}, {"organisation": str(2**40)}):
        response = api_as(provider_token).get(LOCATIONS, params)
        assert response.status_code == 400, params
        assert response.json()["errors"][0]["pointer"] == f"/{next(iter(params))}"


def test_an_inactive_location_or_one_of_an_inactive_organisation_is_not_found(
    api_as, provider_token, council_token, provider, closed
):
    gone = LocationFactory(organisation=provider, name="Willow Annexe", is_active=False)
    assert api_as(provider_token).get(f"{LOCATIONS}{gone.pk}/").status_code == 404
    closed_house = closed.locations.get()
    assert api_as(provider_token).get(f"{LOCATIONS}{closed_house.pk}/").status_code == 404
    assert api_as(council_token).get(f"{LOCATIONS}{closed_house.pk}/").status_code == 200


def test_locations_read_a_constant_number_of_queries(api_as, provider_token, provider):
    api = api_as(provider_token)
    api.get(LOCATIONS)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(LOCATIONS).status_code == 200
        return len(captured)

    one = queries()
    for n in range(12):
        LocationFactory(organisation=OrganisationFactory(), name=f"Home {n}")
    assert queries() == one


# People.


def test_people_are_the_token_organisations_own_members_as_its_people_page_shows_them(
    api_as, provider_token, provider_admin, provider_member, other_admin, council_admin
):
    response = api_as(provider_token).get(PEOPLE)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["name"], r["email"], r["role"]) for r in rows] == [
        ("Daniel Price", provider_member.email, Role.MEMBER),
        ("Grace Adeyemi", provider_admin.email, Role.ADMIN),
    ]
    body = response.content.decode()
    assert other_admin.email not in body and council_admin.email not in body


def test_a_council_token_reads_only_the_councils_people(api_as, council_token, council_admin, provider_admin):
    rows = api_as(council_token).get(PEOPLE).json()["results"]
    assert [r["email"] for r in rows] == [council_admin.email]


def test_ended_memberships_are_not_listed(api_as, provider_token, provider, provider_member):
    membership = provider.memberships.get(user=provider_member)
    membership.ended_at = datetime.datetime.now(tz=datetime.UTC)
    membership.save()
    assert provider_member.email not in api_as(provider_token).get(PEOPLE).content.decode()


def test_a_member_sees_their_own_organisations_people_through_the_session(
    client_for, provider_member, provider_admin, other_admin, other_provider
):
    client = client_for(provider_member)
    response = client.get(PEOPLE)
    assert response.status_code == 200
    assert other_admin.email not in response.content.decode()
    # Naming another organisation is refused as not theirs, never answered with its people.
    response = client.get(PEOPLE, {"organisation": other_provider.pk})
    assert response.status_code == 404
    assert other_admin.email not in response.content.decode()


def test_a_person_in_two_organisations_names_the_one_to_act_for(
    client_for, provider, other_provider, provider_admin, other_admin
):
    both = person_in(provider, Role.MEMBER, full_name="Sam Both")
    other_provider.memberships.create(user=both, role=Role.MEMBER)
    client = client_for(both)
    response = client.get(PEOPLE)
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/organisation"
    assert other_admin.email in client.get(PEOPLE, {"organisation": other_provider.pk}).content.decode()
    assert provider_admin.email in client.get(PEOPLE, {"organisation": provider.pk}).content.decode()


def test_a_person_without_an_organisation_has_no_people(client_for):
    assert client_for(UserFactory()).get(PEOPLE).status_code == 403


def test_people_read_a_constant_number_of_queries(api_as, provider_token, provider):
    api = api_as(provider_token)
    api.get(PEOPLE)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(PEOPLE).status_code == 200
        return len(captured)

    one = queries()
    for n in range(12):
        person_in(provider, Role.MEMBER, full_name=f"Person {n}")
    assert queries() == one


def test_inactive_organisations_are_left_out_of_the_directory_even_for_the_council(api_as, council_token, closed):
    assert "Closed Care Ltd" not in names(api_as(council_token).get(ORGANISATIONS))
    assert Organisation.objects.filter(pk=closed.pk, is_active=False).exists()
