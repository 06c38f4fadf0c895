"""Open Referral UK (HSDS 3.0 UK profile): every answer validates against the profile's own schemas (jsonschema with
its formats checked, the $refs resolved from the local copy in ../shared/data/oruk/uk_profile_3.0/, the response
schemas taken from the profile's OpenAPI); the lists filter and page as the profile says; the API is open to any
origin, read-only and signed-out; nothing inactive, personal or private goes out; a list's queries do not grow with
the directory.
"""

import functools
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from carenetwork.api.openreferral import ids
from carenetwork.api.openreferral.ids import Kind
from carenetwork.market.models_statement import NeededService, ServiceInterest
from carenetwork.organisations.models import Location, Organisation, Role, Sector, ServiceType
from tests.factories import LocationFactory, OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db

PROFILE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "oruk" / "uk_profile_3.0"
BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"  # where the OpenAPI's $refs point
OPENAPI = BASE + "openapi.json"
LISTS = {"services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"}
ENVELOPE = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@functools.cache
def registry() -> Registry:
    """Every schema of the profile (and its OpenAPI) at the address its $refs use, read from the local copy."""
    files = [*sorted((PROFILE / "schema").glob("*.json")), *sorted((PROFILE / "schema" / "compiled").glob("*.json"))]
    resources = []
    for file in files:
        uri = BASE + file.relative_to(PROFILE / "schema").as_posix()
        resources.append((uri, DRAFT202012.create_resource(json.loads(file.read_text()))))
    return Registry().with_resources(resources)


def response_schema(path: str) -> dict:
    """The OpenAPI's schema of a path's 200 answer."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"$ref": f"{OPENAPI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"}


# What each endpoint's answer must be. /organizations is not in the profile's OpenAPI: its list and item are checked
# against the profile's compiled organization schemas. The OpenAPI gives /service_at_locations/{id} the service
# schema, a slip (its own description says "fully nested service_at_location"): it is checked against the compiled
# service_at_location schema.
SCHEMAS = {
    "root": response_schema("/"),
    "services": response_schema("/services"),
    "service": response_schema("/services/{id}"),
    "service_at_locations": response_schema("/service_at_locations"),
    "service_at_location": {"$ref": BASE + "compiled/service_at_location.json"},
    "organizations": {
        "allOf": [{"$ref": f"{OPENAPI}#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": BASE + "compiled/organization_list.json"}}},
    },
    "organization": {"$ref": BASE + "compiled/organization.json"},
    "taxonomies": response_schema("/taxonomies"),
    "taxonomy": response_schema("/taxonomies/{id}"),
    "taxonomy_terms": response_schema("/taxonomy_terms"),
    "taxonomy_term": response_schema("/taxonomy_terms/{id}"),
}


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(SCHEMAS[name], registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(name: str, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(data)]


def get(client, path: str, status: int = 200, **query):
    response = client.get(f"/openreferral/{path}", query)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def valid(client, name: str, path: str, **query) -> dict:
    """The answer, checked against its schema (and, for a list, that it has the whole page envelope)."""
    data = get(client, path, **query)
    assert errors(name, data) == []
    if name in LISTS:
        assert set(data) == ENVELOPE
    return data


def oid(kind: Kind, obj) -> str:
    return ids.make(kind, obj.pk)


@pytest.fixture
def directory(council, provider, other_provider, training_org, provider_admin, council_officer):
    """The conftest's council, two providers (one location each) and a training provider, with people; a provider
    with two care homes, a CQC provider ID, a website and two sectors; an inactive organisation and an inactive
    location, which must not show."""
    bay = OrganisationFactory(
        name="Bay Tree Care",
        description="Family-run homes by the sea.",
        website="https://baytree.example",
        cqc_provider_id="1-999999999",
        ascwds_workplace_id="WP-SECRET-1",
        area="Private Area Name",
        sectors=[sector("nursing-care"), sector("residential-care")],
    )
    nursing = ServiceType.objects.get(ascwds_code=1)
    LocationFactory(
        organisation=bay,
        name="Bay Tree House",
        address="1 Sea Road",
        town="Seaton",
        local_authority="Devon",
        postcode="EX12 2AB",
        cqc_location_id="1-111111111",
        service_type=nursing,
    )
    LocationFactory(organisation=bay, name="Bay Tree Lodge", postcode="EX12 3CD", capacity=None)
    LocationFactory(organisation=bay, name="Closed Annexe", is_active=False)
    gone = OrganisationFactory(name="Gone Away Care", is_active=False, sectors=[sector("home-care")])
    LocationFactory(organisation=gone, name="Gone Away House")
    person_in(bay, Role.ADMIN, full_name="Ada Hidden", email="ada.hidden@example.org")
    return bay


# The validator itself --------------------------------------------------------------------------------------------


def test_validator_checks_formats_and_catches_a_bad_answer():
    assert {"uuid", "email", "uri", "date-time"} <= set(Draft202012Validator.FORMAT_CHECKER.checkers)
    assert errors("taxonomy_term", {"id": "not-a-uuid", "name": "x", "description": ""}) != []
    assert errors("service", {"id": ids.make(Kind.SERVICE, 1), "name": "x", "status": "open"}) != []
    assert errors("services", {"contents": [{"id": ids.make(Kind.SERVICE, 1)}], "total_items": "1"}) != []


@pytest.mark.parametrize(
    ("name", "example"),
    [
        ("services", "service_list.json"),
        ("service", "service_full.json"),
        ("service_at_locations", "service_at_location_list.json"),
        ("service_at_location", "service_at_location_full.json"),
        ("organizations", "organization_list.json"),
        ("organization", "organization_full.json"),
        ("taxonomies", "taxonomy_list.json"),
        ("taxonomy", "taxonomy.json"),
        ("taxonomy_terms", "taxonomy_term_list.json"),
        ("taxonomy_term", "taxonomy_term.json"),
    ],
)
def test_the_profiles_own_examples_validate(name, example):
    assert errors(name, json.loads((PROFILE / "examples" / example).read_text())) == []


def test_ids_read_back_and_never_as_another_kind():
    made = ids.make(Kind.SERVICE, 42)
    assert made == "63617265-6e65-8002-8000-00000000002a"
    assert ids.pk_from(Kind.SERVICE, made) == 42
    assert ids.pk_from(Kind.LOCATION, made) is None
    assert ids.pk_from(Kind.SERVICE, "not-a-uuid") is None
    assert ids.pk_from(Kind.SERVICE, "6fa459ea-ee8a-3ca4-894e-db77e160355e") is None
    assert ids.pk_from(Kind.SERVICE, ids.make(Kind.SERVICE, 2**40)) is None  # beyond any key we have


# Every endpoint, validated ---------------------------------------------------------------------------------------


def test_root_says_the_version_and_profile(client):
    data = valid(client, "root", "")
    assert data["version"] == "3.0"
    assert data["openapi_url"].endswith("/openapi.json")


def test_services_list_and_each_service(client, directory, provider):
    data = valid(client, "services", "services")
    names = [s["name"] for s in data["contents"]]
    assert names == ["Bay Tree House", "Bay Tree Lodge", "Heron Office", "Willow House"]
    assert data | {"contents": None} == {
        "total_items": 4,
        "total_pages": 1,
        "page_number": 1,
        "size": 4,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": None,
    }
    house = data["contents"][0]
    assert house["organization"]["name"] == "Bay Tree Care"
    assert house["description"] == "Care home services with nursing, 40 beds, run by Bay Tree Care"
    for listed in data["contents"]:
        full = valid(client, "service", f"services/{listed['id']}")
        assert full["id"] == listed["id"] and full["organization_id"] == listed["organization_id"]
    full = get(client, f"services/{house['id']}")
    assert [a["taxonomy_term"]["name"] for a in full["attributes"]] == ["Care home services with nursing"]
    assert [a["taxonomy_term"]["name"] for a in full["organization"]["attributes"]] == [
        "Residential care",
        "Nursing care",
    ]
    assert full["organization"]["organization_identifiers"][0]["identifier"] == "1-999999999"
    (at,) = full["service_at_locations"]
    assert at["location"]["external_identifier"] == "1-111111111"
    assert at["location"]["addresses"][0] | {"id": None, "location_id": None} == {
        "id": None,
        "location_id": None,
        "address_1": "1 Sea Road",
        "city": "Seaton",
        "state_province": "Devon",
        "postal_code": "EX12 2AB",
        "country": "GB",
        "address_type": "physical",
    }


def test_service_at_locations_list_and_each(client, directory):
    data = valid(client, "service_at_locations", "service_at_locations")
    assert data["total_items"] == 4
    for listed in data["contents"]:
        full = valid(client, "service_at_location", f"service_at_locations/{listed['id']}")
        assert full["service_id"] == listed["service"]["id"] and full["location_id"] == listed["location"]["id"]
        # A street address goes out only for a location on CQC's public register: another may be someone's home.
        if full["location"].get("external_identifier"):
            assert full["location"]["addresses"][0]["postal_code"]
        else:
            assert "addresses" not in full["location"]
        # Its service and location ids lead to the service, and the service back to it.
        service = get(client, f"services/{full['service_id']}")
        assert service["service_at_locations"][0]["id"] == full["id"]


def test_organizations_list_and_each(client, directory, council, provider):
    data = valid(client, "organizations", "organizations")
    names = [o["name"] for o in data["contents"]]
    assert names == [
        "Bay Tree Care",
        "Eastmarsh Borough Council",
        "Heron Home Care",
        "SafeHands Training",
        "Willow Care Home",
    ]
    for listed in data["contents"]:
        valid(client, "organization", f"organizations/{listed['id']}")
    bay = get(client, f"organizations/{oid(Kind.ORGANIZATION, directory)}")
    assert [s["name"] for s in bay["services"]] == ["Bay Tree House", "Bay Tree Lodge"]
    assert bay["website"] == "https://baytree.example" and bay["email"] == directory.contact_email
    assert get(client, f"organizations/{oid(Kind.ORGANIZATION, council)}")["services"] == []


def test_taxonomies_and_their_terms(client, directory):
    data = valid(client, "taxonomies", "taxonomies")
    assert [t["name"] for t in data["contents"]] == ["Care Network service types", "Care Network sectors"]
    in_use = Sector.objects.filter(is_active=True).count()
    for listed in data["contents"]:
        full = valid(client, "taxonomy", f"taxonomies/{listed['id']}")
        assert len(full["taxonomy_terms"]) in (ServiceType.objects.count(), in_use)
    terms = valid(client, "taxonomy_terms", "taxonomy_terms", per_page=100)
    assert terms["total_items"] == ServiceType.objects.count() + in_use
    for term in terms["contents"]:
        assert valid(client, "taxonomy_term", f"taxonomy_terms/{term['id']}") == term


# Filters and paging ----------------------------------------------------------------------------------------------


def names(client, path="services", **query) -> list[str]:
    data = get(client, path, **query)
    return [(item.get("service") or item)["name"] for item in data["contents"]]


def test_search_filters_services_organisations_and_places(client, directory):
    assert names(client, search="bay tree") == ["Bay Tree House", "Bay Tree Lodge"]
    assert names(client, search="seaton") == ["Bay Tree House"]  # the town
    assert names(client, search="without nursing") == ["Bay Tree Lodge", "Willow House"]  # the service type
    assert names(client, search="willow") == ["Willow House"]  # the organisation's name
    assert names(client, "service_at_locations", search="heron") == ["Heron Office"]
    assert names(client, "organizations", search="sea") == ["Bay Tree Care"]  # its description
    assert names(client, search="gone away") == []


def test_taxonomy_filters(client, directory, provider):
    nursing_home = ServiceType.objects.get(ascwds_code=1)
    assert names(client, taxonomy_term_id=oid(Kind.SERVICE_TYPE_TERM, nursing_home)) == ["Bay Tree House"]
    residential = sector("residential-care")
    assert names(client, taxonomy_term_id=oid(Kind.SECTOR_TERM, residential)) == [
        "Bay Tree House",
        "Bay Tree Lodge",
        "Willow House",
    ]
    service_types = ids.make(Kind.TAXONOMY, 1)
    assert names(client, taxonomy_id=service_types) == ["Bay Tree House", "Bay Tree Lodge", "Willow House"]
    assert len(names(client, taxonomy_id=ids.make(Kind.TAXONOMY, 2))) == 4  # every organisation has a sector
    assert names(client, taxonomy_id=ids.make(Kind.TAXONOMY, 3)) == []
    assert names(client, taxonomy_term_id="6fa459ea-ee8a-3ca4-894e-db77e160355e") == []  # a UUID, not ours
    assert names(client, organization_id=oid(Kind.ORGANIZATION, provider)) == ["Willow House"]
    sectors_only = get(client, "taxonomy_terms", taxonomy_id=ids.make(Kind.TAXONOMY, 2))
    assert sectors_only["total_items"] == Sector.objects.filter(is_active=True).count()


def test_postcode_filter_takes_a_postcode_or_its_district(client, directory):
    assert names(client, "service_at_locations", postcode="ex122ab") == ["Bay Tree House"]
    assert names(client, "service_at_locations", postcode="EX12") == ["Bay Tree House", "Bay Tree Lodge"]
    assert names(client, "service_at_locations", postcode="EX1") == []
    assert names(client, "service_at_locations", postcode="EX12 2AB", proximity="500") == ["Bay Tree House"]


@pytest.mark.parametrize(
    "query",
    [{"minimum_age": "18"}, {"maximum_age": "65.5"}, {"start_time": "09:00"}, {"end_time": "17:30:00"}, {"day": "MO"}],
)
def test_filters_on_what_no_service_records_match_none(client, directory, query):
    """No service here records ages or opening times, so none is known to meet such a filter."""
    assert names(client, **query) == []
    assert names(client, "service_at_locations", **query) == []


def test_paging(client, directory):
    every = names(client)
    second = get(client, "services", per_page=1, page=2)
    assert [s["name"] for s in second["contents"]] == every[1:2]
    assert second | {"contents": None} == {
        "total_items": 4,
        "total_pages": 4,
        "page_number": 2,
        "size": 1,
        "first_page": False,
        "last_page": False,
        "empty": False,
        "contents": None,
    }
    last = get(client, "services", per_page=3, page=2)
    assert [s["name"] for s in last["contents"]] == every[3:]
    assert last["last_page"] and last["size"] == 1 and last["total_pages"] == 2
    beyond = get(client, "services", per_page=3, page=99)
    assert beyond["contents"] == [] and beyond["empty"] and beyond["total_items"] == 4
    assert errors("services", beyond) == []
    nothing = get(client, "services", search="no such thing")
    assert nothing | {"contents": None} == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": None,
    }


def test_taxonomy_terms_page_across_both_taxonomies(client, directory):
    every = get(client, "taxonomy_terms", per_page=100)["contents"]
    count = ServiceType.objects.count()
    paged = []
    for page in range(1, 100):
        data = get(client, "taxonomy_terms", per_page=7, page=page)
        paged += data["contents"]
        if data["last_page"]:
            break
    assert paged == every
    assert every[count - 1]["taxonomy_id"] != every[count]["taxonomy_id"]  # service types, then sectors


# Refusals --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("services", {"page": "abc"}),
        ("services", {"page": "0"}),
        ("services", {"page": "-1"}),
        ("services", {"page": "9" * 5000}),
        ("services", {"per_page": "0"}),
        ("services", {"per_page": "101"}),
        ("services", {"per_page": str(10**30)}),
        ("organizations", {"per_page": "1.5"}),
        ("taxonomies", {"page": "²"}),
        ("taxonomy_terms", {"per_page": "abc"}),
        ("services", {"taxonomy_term_id": "residential-care"}),
        ("services", {"taxonomy_id": "1"}),
        ("services", {"organization_id": "12"}),
        ("services", {"minimum_age": "eighteen"}),
        ("services", {"maximum_age": "nan"}),
        ("services", {"start_time": "9am"}),
        ("services", {"day": "someday"}),
        ("services", {"search": "word " * 11}),
        ("service_at_locations", {"postcode": "not a postcode"}),
        ("service_at_locations", {"proximity": "500"}),
        ("service_at_locations", {"postcode": "RM1", "proximity": "far"}),
    ],
)
def test_bad_parameters_are_a_400_that_says_why(client, directory, path, query):
    data = get(client, path, status=400, **query)
    assert data["status"] == 400 and data["error"]


def test_unknown_and_unpublished_ids_are_a_json_404(client, directory):
    closed = Location.objects.get(name="Closed Annexe")
    gone = Organisation.objects.get(name="Gone Away Care")
    gone_house = Location.objects.get(name="Gone Away House")
    house = Location.objects.get(name="Bay Tree House")
    for path in [
        "services/not-a-uuid",
        "services/6fa459ea-ee8a-3ca4-894e-db77e160355e",
        f"services/{oid(Kind.LOCATION, house)}",  # a location's id is not a service's
        f"services/{ids.make(Kind.SERVICE, 10**6)}",
        f"services/{ids.make(Kind.SERVICE, 2**61)}",
        f"services/{oid(Kind.SERVICE, closed)}",
        f"services/{oid(Kind.SERVICE, gone_house)}",
        f"service_at_locations/{oid(Kind.SERVICE_AT_LOCATION, gone_house)}",
        f"service_at_locations/{oid(Kind.SERVICE, house)}",
        f"organizations/{oid(Kind.ORGANIZATION, gone)}",
        f"organizations/{ids.make(Kind.ORGANIZATION, 10**6)}",
        f"taxonomies/{ids.make(Kind.TAXONOMY, 3)}",
        f"taxonomy_terms/{ids.make(Kind.SECTOR_TERM, 10**6)}",
        f"taxonomy_terms/{ids.make(Kind.TAXONOMY, 1)}",
        "no-such-endpoint",
        "services/a/b",
    ]:
        data = get(client, path, status=404)
        assert data["status"] == 404, path
    assert get(client, f"services/{oid(Kind.SERVICE, house).upper()}")["name"] == "Bay Tree House"


def test_a_sector_no_longer_in_use_is_not_published(client, directory):
    Sector.objects.filter(slug="nursing-care").update(is_active=False)
    nursing = sector("nursing-care")
    get(client, f"taxonomy_terms/{oid(Kind.SECTOR_TERM, nursing)}", status=404)
    bay = get(client, f"organizations/{oid(Kind.ORGANIZATION, directory)}")
    assert [a["taxonomy_term"]["name"] for a in bay["attributes"]] == ["Residential care"]


# Open, read-only, signed out -------------------------------------------------------------------------------------

ENDPOINTS = ["", "services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_open_to_any_origin_without_a_sign_in_or_cookies(path, directory):
    client = Client(enforce_csrf_checks=True)
    response = client.get(f"/openreferral/{path}", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    assert "private" not in response["Cache-Control"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_preflight_is_answered(path):
    response = Client(enforce_csrf_checks=True).options(
        f"/openreferral/{path}",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ENDPOINTS)
def test_it_is_read_only(path, method, directory):
    before = Organisation.objects.count(), Location.objects.count()
    response = getattr(Client(enforce_csrf_checks=True), method)(
        f"/openreferral/{path}", data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["status"] == 405
    assert (Organisation.objects.count(), Location.objects.count()) == before


def test_head_answers_like_get(client, directory):
    response = client.head("/openreferral/services")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"


def test_signed_in_people_get_the_same_open_data(client, client_for, directory, council_officer):
    signed_out = get(client, "organizations")
    assert get(client_for(council_officer), "organizations") == signed_out


# Nothing private -------------------------------------------------------------------------------------------------


def everything(client) -> str:
    """Every answer the API gives for the directory, lists and items, as one text."""
    texts = []
    for path in ENDPOINTS:
        data = get(client, path, per_page=100)
        texts.append(json.dumps(data))
        for item in data.get("contents", []):
            texts.append(json.dumps(get(client, f"{path}/{item['id']}")))
    return "\n".join(texts)


def test_nothing_inactive_personal_or_private_goes_out(client, directory, provider_admin, council_officer):
    need = NeededService.objects.create(
        service="Night sitting service", client_group="dementia", locality="Northbrook", evidence="Waiting lists"
    )
    ServiceInterest.objects.create(need=need, person=provider_admin, name="Grace", note="We could offer nights")
    text = everything(client)
    assert "Bay Tree Care" in text and "Willow House" in text  # the check reads real answers
    for private in [
        "Gone Away",  # an inactive organisation and its location
        "Closed Annexe",  # an inactive location
        "Ada Hidden",
        "ada.hidden@example.org",
        provider_admin.email,
        provider_admin.full_name,
        council_officer.email,
        "Private Area Name",  # the council's own grouping of organisations
        "Eastmarsh Central",
        "WP-SECRET-1",  # the ASC-WDS workplace reference
        "Night sitting service",  # the needed services are not services anyone provides (see the README)
        "We could offer nights",
    ]:
        assert private not in text, private
    assert not re.search(r"person\d+@example\.org", text)  # no member's email from the factories


# Queries do not grow with the directory --------------------------------------------------------------------------


def add_directory(n: int) -> None:
    for _ in range(n):
        org = OrganisationFactory(sectors=[sector("home-care"), sector("nursing-care")], cqc_provider_id=None)
        LocationFactory.create_batch(2, organisation=org)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/openreferral/services",
        "/openreferral/services?search=Location&taxonomy_term_id=TERM",
        "/openreferral/service_at_locations?postcode=RM1&taxonomy_id=TAXONOMY",
        "/openreferral/organizations",
        "/openreferral/organizations/ORG",
        "/openreferral/taxonomy_terms?per_page=100",
        "/openreferral/taxonomies/TAXONOMY",
    ],
)
def test_queries_do_not_grow_with_the_directory(client, url):
    add_directory(3)
    first = Organisation.objects.order_by("pk").first()
    url = (
        url.replace("TERM", oid(Kind.SECTOR_TERM, sector("home-care")))
        .replace("TAXONOMY", ids.make(Kind.TAXONOMY, 1))
        .replace("ORG", oid(Kind.ORGANIZATION, first))
    )
    few = queries_for(client, url)
    add_directory(30)
    LocationFactory.create_batch(20, organisation=first)
    assert queries_for(client, url) == few
    assert few <= 4
