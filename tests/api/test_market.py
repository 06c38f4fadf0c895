"""Capacity returns through the API: a provider's locations with this month's return, making a return through the
same service as the return form (audited with the token), 'no change', and for the council the returns page's
tables; who may call each, other providers' locations not found, bad figures as 400 problems, query counts."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carenetwork.core.models import AuditEvent
from carenetwork.market.figures import refresh_locations
from carenetwork.market.models import CapacityReturn
from carenetwork.organisations.models import ServiceType
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

RETURNS = "/api/v1/market/returns/"
COMPLETION = [f"{RETURNS}completion/{t}/" for t in ("providers", "sectors", "months")]
NOVEMBER, OCTOBER = datetime.date(2026, 11, 1), datetime.date(2026, 10, 1)
FIGURES = {"beds": 40, "occupied": 35, "vacant_accepting": 3, "vacant_reserved": 1, "care_direct": 30, "care_agency": 6}


@pytest.fixture(autouse=True)
def _in_the_window():
    """10 November 2026: the month's return window (8th to 14th) is open."""
    with time_machine.travel("2026-11-10 12:00 +0000", tick=False):
        yield


@pytest.fixture
def home(provider):
    return provider.locations.get()


@pytest.fixture
def heron_office(other_provider):
    office = other_provider.locations.get()
    office.service_type = ServiceType.objects.get(ascwds_code=2)
    office.save()
    return office


def returned(location, month, **figures):
    made = CapacityReturn.objects.create(location=location, month=month, **{**FIGURES, **figures})
    refresh_locations([location])
    return made


# A provider's returns.


def test_the_provider_lists_its_locations_with_this_months_and_the_last_return(api_as, provider_token, home):
    returned(home, OCTOBER)
    response = api_as(provider_token).get(RETURNS)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["location"] == home.pk and row["location_name"] == "Willow House"
    assert row["month"] == "2026-11-01" and row["returned"] is None
    assert row["last"]["month"] == "2026-10-01" and row["last"]["beds"] == 40
    assert "beds" in row["figures"] and "people" not in row["figures"]


def test_a_put_makes_this_months_return_through_the_service_audited_with_the_token(
    api_as, provider_token, provider, home, provider_admin
):
    response = api_as(provider_token).put(f"{RETURNS}{home.pk}/", FIGURES, format="json")
    assert response.status_code == 201
    assert response.json()["returned"]["occupied"] == 35
    made = CapacityReturn.objects.get(location=home, month=NOVEMBER)
    assert made.submitted_by == provider_admin and not made.no_change
    event = AuditEvent.objects.get(action="capacity_return.saved", object_id=str(made.pk))
    assert event.via == "token Rota sync of Willow Care Home" and event.actor == provider_admin
    changed = api_as(provider_token).put(f"{RETURNS}{home.pk}/", {**FIGURES, "occupied": 36}, format="json")
    assert changed.status_code == 200
    assert CapacityReturn.objects.get(location=home, month=NOVEMBER).occupied == 36
    assert AuditEvent.objects.filter(action="capacity_return.saved").count() == 2


def test_a_figure_left_out_is_not_given(api_as, provider_token, home):
    response = api_as(provider_token).put(f"{RETURNS}{home.pk}/", {"beds": 40}, format="json")
    assert response.status_code == 201
    made = CapacityReturn.objects.get(location=home)
    assert made.beds == 40 and made.occupied is None


def test_home_care_returns_people_hours_and_new_packages(api_as, provider_token, provider):
    office = LocationFactory(
        organisation=provider, name="Willow at Home", service_type=ServiceType.objects.get(ascwds_code=8)
    )
    response = api_as(provider_token).put(
        f"{RETURNS}{office.pk}/", {"people": 25, "hours": 300, "taking_new": False}, format="json"
    )
    assert response.status_code == 201, response.json()
    made = CapacityReturn.objects.get(location=office)
    assert (made.people, made.hours, made.taking_new) == (25, 300, False)


@pytest.mark.parametrize(
    ("body", "pointers"),
    [
        ({**FIGURES, "occupied": 41}, ["/occupied"]),
        ({**FIGURES, "vacant_reserved": 5}, ["/vacant_reserved"]),
        ({**FIGURES, "beds": -1}, ["/beds"]),
        ({**FIGURES, "beds": 100_001}, ["/beds"]),
        ({**FIGURES, "beds": "lots"}, ["/beds"]),
        ({**FIGURES, "people": 3}, ["/people"]),
        ({**FIGURES, "taking_new": "perhaps"}, ["/taking_new"]),
    ],
)
def test_bad_figures_are_a_400_problem_and_nothing_is_saved(api_as, provider_token, home, body, pointers):
    response = api_as(provider_token).put(f"{RETURNS}{home.pk}/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == pointers
    assert not CapacityReturn.objects.exists()


def test_no_change_copies_last_months_return(api_as, provider_token, home):
    returned(home, OCTOBER)
    response = api_as(provider_token).post(f"{RETURNS}{home.pk}/no-change/")
    assert response.status_code == 201
    made = CapacityReturn.objects.get(location=home, month=NOVEMBER)
    assert made.no_change and made.beds == 40
    assert AuditEvent.objects.get(action="capacity_return.saved").via == "token Rota sync of Willow Care Home"


def test_no_change_without_an_earlier_return_is_a_400_problem(api_as, provider_token, home):
    response = api_as(provider_token).post(f"{RETURNS}{home.pk}/no-change/")
    assert response.status_code == 400
    assert "There is no earlier return to copy" in response.json()["errors"][0]["detail"]
    assert not CapacityReturn.objects.exists()


def test_another_providers_location_is_not_found(api_as, provider_token, heron_office):
    returned(heron_office, OCTOBER)
    api = api_as(provider_token)
    assert api.get(f"{RETURNS}{heron_office.pk}/").status_code == 404
    assert api.put(f"{RETURNS}{heron_office.pk}/", FIGURES, format="json").status_code == 404
    assert api.post(f"{RETURNS}{heron_office.pk}/no-change/").status_code == 404
    assert heron_office.pk not in [r["location"] for r in api.get(RETURNS).json()["results"]]
    assert not CapacityReturn.objects.filter(month=NOVEMBER).exists()


@pytest.mark.parametrize("pk", [987654, 2**31, 2**63])
def test_an_unknown_location_is_not_found(api_as, provider_token, home, pk):
    assert api_as(provider_token).get(f"{RETURNS}{pk}/").status_code == 404
    assert api_as(provider_token).put(f"{RETURNS}{pk}/", FIGURES, format="json").status_code == 404


def test_a_location_without_a_service_type_is_not_asked_for_a_return(api_as, provider_token, provider):
    office = LocationFactory(organisation=provider, name="Head office", service_type=None)
    assert api_as(provider_token).get(f"{RETURNS}{office.pk}/").status_code == 404


def test_a_read_only_token_reads_but_does_not_make_a_return(api_as, make_token, provider_admin, provider, home):
    secret = make_token(provider_admin, provider, read=["market"], name="Reader")
    api = api_as(secret)
    assert api.get(RETURNS).status_code == 200
    assert api.get(f"{RETURNS}{home.pk}/").status_code == 200
    assert api.put(f"{RETURNS}{home.pk}/", FIGURES, format="json").status_code == 403
    assert api.post(f"{RETURNS}{home.pk}/no-change/").status_code == 403
    assert not CapacityReturn.objects.exists()


def test_returns_refuse_no_token_and_a_token_without_the_market_area(
    api_as, make_token, provider_admin, provider, home
):
    secret = make_token(provider_admin, provider, read=["directory"], write=["directory"], name="Directory only")
    for api, code in ((api_as(None), 401), (api_as(secret), 403)):
        assert api.get(RETURNS).status_code == code
        assert api.get(f"{RETURNS}{home.pk}/").status_code == code
        assert api.put(f"{RETURNS}{home.pk}/", FIGURES, format="json").status_code == code
        assert api.post(f"{RETURNS}{home.pk}/no-change/").status_code == code


@pytest.mark.parametrize("role", ["provider_member", "council_officer", "training_admin", "partner_member"])
def test_only_a_providers_admins_make_returns_through_their_session(request, client_for, home, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(RETURNS).status_code == 403
    assert client.put(f"{RETURNS}{home.pk}/", FIGURES, content_type="application/json").status_code == 403
    assert not CapacityReturn.objects.exists()


def test_a_providers_admin_makes_a_return_through_their_session(client_for, provider_admin, home):
    client = client_for(provider_admin)
    response = client.put(f"{RETURNS}{home.pk}/", FIGURES, content_type="application/json")
    assert response.status_code == 201
    assert AuditEvent.objects.get(action="capacity_return.saved").via == ""


def test_a_council_token_has_no_returns_to_make(api_as, council_token, home):
    assert api_as(council_token).get(RETURNS).status_code == 403
    assert api_as(council_token).put(f"{RETURNS}{home.pk}/", FIGURES, format="json").status_code == 403


def test_the_returns_list_reads_a_constant_number_of_queries(api_as, provider_token, provider, home):
    returned(home, OCTOBER)
    api = api_as(provider_token)
    api.get(RETURNS)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(RETURNS).status_code == 200
        return len(captured)

    one = queries()
    for n in range(8):
        location = LocationFactory(organisation=provider, name=f"Home {n}")
        returned(location, OCTOBER)
        returned(location, NOVEMBER)
    assert queries() == one


# The council's returns page.


def test_the_council_reads_the_returns_pages_tables(api_as, council_token, provider, home, heron_office):
    returned(home, NOVEMBER)
    api = api_as(council_token)
    providers = api.get(COMPLETION[0]).json()["results"]
    assert {(r["name"], r["returned"], r["asked"], r["share"]) for r in providers} == {
        ("Willow Care Home", 1, 1, 100),
        ("Heron Home Care", 0, 1, 0),
    }
    sectors = api.get(COMPLETION[1]).json()["results"]
    assert {(r["name"], r["returned"], r["asked"]) for r in sectors} == {
        ("Residential care", 1, 1),
        ("Home care", 0, 1),
    }
    months = api.get(COMPLETION[2]).json()["results"]
    assert months[-1]["month"] == "2026-11-01" and months[-1]["beds"] == 40 and months[-1]["occupancy"] == 88


@pytest.mark.parametrize("role", ["provider_admin", "provider_member", "other_admin", "partner_member"])
def test_nobody_outside_the_council_reads_the_returns_tables(request, client_for, api_as, provider_token, role):
    client = client_for(request.getfixturevalue(role))
    for url in COMPLETION:
        assert client.get(url).status_code == 403, url
        assert api_as(provider_token).get(url).status_code == 403, url
        assert api_as(None).get(url).status_code == 401, url


def test_council_staff_read_the_returns_tables_through_their_session(client_for, council_officer):
    for url in COMPLETION:
        assert client_for(council_officer).get(url).status_code == 200, url


def test_the_returns_tables_read_a_constant_number_of_queries(api_as, council_token, home):
    returned(home, NOVEMBER)
    api = api_as(council_token)
    api.get(COMPLETION[0])

    def queries() -> list[int]:
        counts = []
        for url in COMPLETION:
            with CaptureQueriesContext(connection) as captured:
                assert api.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    before = queries()
    for n in range(6):
        returned(LocationFactory(name=f"Home {n}"), NOVEMBER)
    assert queries() == before
