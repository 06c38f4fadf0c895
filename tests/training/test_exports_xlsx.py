"""The brokerage's reports as CSV and XLSX (issue 15): the commissioning priorities, the programme report and a
run's bookings. Each XLSX holds the CSV's header and rows, neutralises formulas as the CSV does, is refused to
whoever may not see its page, and makes as many queries for few rows as for many."""

from decimal import Decimal

import pytest
from django.urls import reverse

from carenetwork.organisations.models import Role
from carenetwork.records.models import TrainingCategory
from carenetwork.training import demand
from tests.core.exports import FORMULA, cells, download_queries, same_table
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory, category
from tests.training import test_demand, test_report
from tests.training.delivery_factories import delivered_run
from tests.training.factories import course_for

pytestmark = pytest.mark.django_db

# The neighbouring tests' worlds: a market with survey demand and a skills gap; a programme over a financial year.
market = test_demand.market
programme = test_report.programme
NOT_COUNCIL = ["provider_admin", "provider_member", "other_admin", "training_admin", "partner_member"]


def _both(name: str, *args) -> tuple[str, str]:
    return reverse(f"{name}-csv", args=args), reverse(f"{name}-xlsx", args=args)


@pytest.mark.parametrize("query", [{}, {"sector": "home-care"}])
def test_priorities_csv_and_xlsx_are_the_same_table(client_for, council_officer, market, query):
    TrainingCategory.objects.filter(pk=category(test_demand.FIRE).pk).update(name="+Fire safety")
    rows = same_table(client_for(council_officer), *_both("training:priorities"), query)
    assert rows[0][:2] == ["Rank", "Training category"]
    assert "'+Fire safety" in cells(rows) and "+Fire safety" not in cells(rows)


def test_programme_report_csv_and_xlsx_are_the_same_table(client_for, council_officer, programme):
    rows = same_table(client_for(council_officer), *_both("training:programme-report"), {"year": test_report.YEAR})
    assert len(rows) == 6  # the header, four quarters and the year
    assert rows[1][:4] == ["April 2025 to March 2026", "Q1", "2025-04-01", "2025-06-30"]


@pytest.mark.parametrize("role", NOT_COUNCIL)
def test_the_council_reports_are_refused_outside_the_council(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    for name in ("training:priorities", "training:programme-report"):
        for url in _both(name):
            assert client.get(url).status_code == 403, url


def test_the_council_reports_make_as_many_queries_as_data_grows(client_for, council_officer, market, training_org):
    client = client_for(council_officer)
    urls = [*_both("training:priorities"), *_both("training:programme-report")]
    few = [download_queries(client, url) for url in urls]
    for i in range(5):
        org = OrganisationFactory(sectors=[sector("home-care")])
        demand.demand_save(
            actor=person_in(org, Role.ADMIN), organisation=org, answers={category(test_demand.FIRE).pk: i + 1}
        )
        course_for(training_org, codes=(test_demand.MEDICATION,))
    many = [download_queries(client, url) for url in urls]
    assert many == few


# A run's bookings.


@pytest.fixture
def course(training_org):
    return course_for(training_org, codes=(20,))


@pytest.fixture
def delivered(course, provider, council_officer):
    provider.name = FORMULA
    provider.save()
    team = [StaffMemberFactory(organisation=provider, name=name) for name in ("@Ada Lovell", "Ben Carter")]
    run, _bookings = delivered_run(course, {provider: team}, officer=council_officer)
    return run


def test_bookings_csv_and_xlsx_are_the_same_table(client_for, delivered, training_admin, council_officer):
    rows = same_table(client_for(training_admin), *_both("training:run-bookings", delivered.pk))
    assert rows[0][:3] == ["Organisation", "Status", "Places"]
    assert rows[1][0] == "'" + FORMULA
    assert rows[1][3] == "'@Ada Lovell; Ben Carter"
    assert rows[2][0] == "Total" and Decimal(rows[2][5]) == Decimal("800")
    # Council staff get the same table with a count of delegates, not their names.
    council_rows = same_table(client_for(council_officer), *_both("training:run-bookings", delivered.pk))
    assert council_rows[1][3] == "2"


def test_bookings_downloads_are_refused_as_the_page_is(
    client_for, delivered, provider_admin, provider_member, other_admin, partner_member, training_org
):
    rival = person_in(OrganisationFactory(name="Rival Training", kind=training_org.kind), Role.ADMIN)
    for person, status in [
        (provider_admin, 403),
        (provider_member, 403),
        (other_admin, 403),
        (rival, 404),  # another training provider does not see the run at all
        (partner_member, 404),
    ]:
        for url in _both("training:run-bookings", delivered.pk):
            assert client_for(person).get(url).status_code == status, (person, url)


def test_bookings_downloads_make_as_many_queries_as_bookings_grow(client_for, course, provider, training_admin):
    def queries_for(organisations):
        places = {provider: [StaffMemberFactory(organisation=provider)]}
        for n in range(organisations):
            org = OrganisationFactory(name=f"Care home {n}", sectors=[sector("residential-care")])
            person_in(org, Role.ADMIN)
            places[org] = [StaffMemberFactory(organisation=org) for _ in range(3)]
        run, _ = delivered_run(course, places, officer=person_in(OrganisationFactory(kind="council"), Role.OFFICER))
        client = client_for(training_admin)
        return [download_queries(client, url) for url in _both("training:run-bookings", run.pk)]

    assert queries_for(0) == queries_for(3)
