"""The fee gaps table as CSV and XLSX (issue 15): the rates in force on the day asked beside the minimum. The XLSX
holds the CSV's header and rows, the files follow the page's day, are refused to whoever may not see the page, and
make as many queries for few rates as for many. The table holds no free text (services and kinds of rate are
choices), so nothing in it can start like a formula."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from carenetwork.costofcare.demo_rates import council_rates_seed
from carenetwork.costofcare.models import CouncilRate
from carenetwork.costofcare.rates import council_rate_save
from tests.core.exports import download_queries, same_table
from tests.costofcare.helpers import seed_sets
from tests.costofcare.test_fee_gaps import on, set_2040

pytestmark = pytest.mark.django_db
URLS = (reverse("costofcare:fee-gaps-csv"), reverse("costofcare:fee-gaps-xlsx"))
HEADER = [
    "Service",
    "Kind of rate",
    "In force from",
    "Rate (£)",
    "Rate per",
    "Volume a week",
    "Minimum (£)",
    "Gap (£)",
    "Gap a year (£)",
    "Homecare Association price (£)",
    "Below the Homecare Association price by (£)",
    "Status",
]


@pytest.fixture
def rates(db):
    seed_sets()
    council_rates_seed()


def test_fee_gaps_csv_and_xlsx_are_the_same_table(client_for, council_officer, rates):
    rows = same_table(client_for(council_officer), *URLS, on(date(2026, 6, 1)))
    assert rows[0] == HEADER
    statuses = [r[-1] for r in rows[1:]]
    assert statuses.count("Below the minimum") == 1 and statuses.count("At or above") == 4
    below = next(r for r in rows if r[-1] == "Below the minimum")
    assert below[4] == "an hour" and D(below[8]) == D("1628640.00")  # as the page's headline says
    assert below[9] == ""  # the Homecare Association's 2026/27 price is not yet published


def test_the_files_follow_the_day_asked(client_for, council_officer, rates):
    rows = same_table(client_for(council_officer), *URLS, on(date(2025, 6, 1)))
    home_care = next(r for r in rows if r[4] == "an hour")
    assert D(home_care[9]) == D("32.14") and D(home_care[10]) == D("4.94")
    response = client_for(council_officer).get(URLS[0], on(date(2025, 6, 1)))
    assert 'filename="fee-gaps-2025-06-01.csv"' in response["Content-Disposition"]


def test_without_rates_the_files_hold_the_header_only(client_for, council_officer):
    seed_sets()
    assert same_table(client_for(council_officer), *URLS) == [HEADER]


@pytest.mark.parametrize("who", ["provider_admin", "provider_member", "other_admin", "training_admin"])
def test_providers_do_not_get_the_fee_gap_files(client_for, rates, who, request):
    for url in URLS:
        assert client_for(request.getfixturevalue(who)).get(url).status_code == 403


def test_the_fee_gap_files_make_as_many_queries_for_more_rates(client_for, council_officer, rates):
    client = client_for(council_officer)
    few = [download_queries(client, url) for url in URLS]
    set_2040()
    for year in range(2027, 2032):
        council_rate_save(
            actor=None,
            data={
                "service_type": CouncilRate.ServiceType.NURSING,
                "effective_from": date(year, 1, 1),
                "rate": D(2000),
                "weekly_volume": D(1),
            },
        )
    many = [download_queries(client, url) for url in URLS]
    assert many == few
