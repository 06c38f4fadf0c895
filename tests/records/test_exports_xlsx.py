"""The records reports as CSV and XLSX (issue 15): the council's compliance, one provider's compliance, the skills
gap and a provider's training matrix. Each XLSX holds the CSV's header and rows, neutralises formulas as the CSV
does, is refused to whoever may not see its page, and makes as many queries for few rows as for many."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from carenetwork.records.models import MandatoryTraining, TrainingCategory
from tests.core.exports import FORMULA, cells, download_queries, same_table
from tests.factories import LocationFactory
from tests.records.factories import StaffMemberFactory, category, record_for
from tests.records.test_skills import DAY, FIRE, SAFEGUARDING, TODAY, person, provider_in, rule

pytestmark = pytest.mark.django_db
D = datetime.date
COUNCIL_REPORTS = ["records:compliance", "records:skills-gap"]
NOT_COUNCIL = ["provider_admin", "provider_member", "other_admin", "training_admin", "partner_member"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def market(db):
    """A home care provider whose name a spreadsheet would run as a formula, and a residential one."""
    MandatoryTraining.objects.all().delete()
    rule("home-care", SAFEGUARDING)
    rule("home-care", FIRE)
    rule("residential-care", SAFEGUARDING)
    heron = provider_in("home-care", area="+Northbrook", name=FORMULA)
    LocationFactory(organisation=heron, area="+Northbrook")
    for expires in (D(2027, 1, 1), TODAY + DAY * 10, TODAY - DAY, None):
        person(heron, SAFEGUARDING, expires)
    person(heron, FIRE, D(2027, 1, 1))
    willow = provider_in("residential-care", area="Southfield", name="Willow Care Home")
    person(willow, SAFEGUARDING, D(2027, 1, 1))
    return heron, willow


def _both(name: str, *args) -> tuple[str, str]:
    return reverse(f"{name}-csv", args=args), reverse(f"{name}-xlsx", args=args)


@pytest.mark.parametrize("query", [{}, {"by": "provider"}, {"by": "area"}, {"by": "provider", "q": "hyperlink"}])
def test_compliance_csv_and_xlsx_are_the_same_table(client_for, council_officer, market, query):
    rows = same_table(client_for(council_officer), *_both("records:compliance"), query)
    assert rows[0][1] == "Training category"
    if query.get("by") == "provider":
        assert "'" + FORMULA in cells(rows) and FORMULA not in cells(rows)
    if query.get("by") == "area":
        assert "'+Northbrook" in cells(rows)


def test_one_providers_compliance_csv_and_xlsx_are_the_same_table(client_for, council_officer, market):
    heron, _willow = market
    rows = same_table(client_for(council_officer), *_both("records:provider-compliance", heron.pk))
    assert [r[0] for r in rows] == ["Training category", "Fire safety", "Safeguarding adults"]
    assert rows[2][1:3] == ["5", "2"]  # five must hold safeguarding; two are in date


@pytest.mark.parametrize("query", [{}, {"sector": "home-care"}, {"area": "+Northbrook"}])
def test_skills_gap_csv_and_xlsx_are_the_same_table(client_for, council_officer, market, query):
    TrainingCategory.objects.filter(pk=category(FIRE).pk).update(name="@SUM(A1) fire safety")
    rows = same_table(client_for(council_officer), *_both("records:skills-gap"), query)
    assert rows[0][0] == "Training category" and rows[0][-1] == "Share lacking (%)"
    assert "'@SUM(A1) fire safety" in cells(rows)


@pytest.mark.parametrize("role", NOT_COUNCIL)
def test_the_councils_reports_are_refused_outside_the_council(request, client_for, market, role):
    heron, _willow = market
    client = client_for(request.getfixturevalue(role))
    urls = [*_both("records:provider-compliance", heron.pk)]
    for name in COUNCIL_REPORTS:
        urls += _both(name)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_the_councils_reports_ask_an_anonymous_visitor_to_sign_in(client_for, market):
    client = client_for(None)
    for url in _both("records:skills-gap"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"]


# A provider's training matrix.


@pytest.fixture
def team(provider):
    people = [StaffMemberFactory(organisation=provider, name=FORMULA, reference="+1+1")]
    people.append(StaffMemberFactory(organisation=provider, name="Ann Example", reference="-7"))
    record_for(people[0], 20, D(2026, 6, 1))
    record_for(people[1], 20, D(2023, 1, 10))
    return people


def test_the_matrix_csv_and_xlsx_are_the_same_table(client_for, provider, provider_admin, team):
    rows = same_table(client_for(provider_admin), *_both("records:matrix", provider.pk))
    assert rows[0][:4] == ["Name", "Reference", "Job role", "Location"]
    assert {"'" + FORMULA, "'+1+1", "Ann Example", "'-7"} <= cells(rows)
    assert FORMULA not in cells(rows)
    filtered = same_table(client_for(provider_admin), *_both("records:matrix", provider.pk), {"status": "expired"})
    assert [r[0] for r in filtered[1:]] == ["Ann Example"]


def test_the_matrix_downloads_are_refused_to_another_organisation(client_for, provider, other_admin, partner_member):
    for user in (other_admin, partner_member):
        for url in _both("records:matrix", provider.pk):
            assert client_for(user).get(url).status_code in (403, 404), url


# Queries: the same for few rows as for many.


def _grow(count: int, start: int = 0):
    for i in range(start, start + count):
        organisation = provider_in("home-care", area=f"Area {i % 3}", name=f"Provider {i:03d}")
        LocationFactory(organisation=organisation)
        person(organisation, SAFEGUARDING, D(2027, 1, 1))
        person(organisation, FIRE, None)


def test_the_council_downloads_make_as_many_queries_for_many_providers(client_for, council_officer, market):
    heron, _willow = market
    client = client_for(council_officer)
    urls = [*_both("records:provider-compliance", heron.pk)]
    for name in COUNCIL_REPORTS:
        urls += _both(name)
    queries = [(url, params) for url in urls for params in ({}, {"by": "provider"}, {"by": "area"})]
    few = [download_queries(client, url, params) for url, params in queries]
    _grow(20)
    many = [download_queries(client, url, params) for url, params in queries]
    assert many == few


def test_the_matrix_downloads_make_as_many_queries_for_many_people(client_for, provider, provider_admin, team):
    client = client_for(provider_admin)
    urls = _both("records:matrix", provider.pk)
    few = [download_queries(client, url) for url in urls]
    for i in range(30):
        record_for(StaffMemberFactory(organisation=provider, name=f"Person {i}"), 20, D(2025, 1, 1))
    many = [download_queries(client, url) for url in urls]
    assert many == few
