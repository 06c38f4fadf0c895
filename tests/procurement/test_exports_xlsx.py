"""Payment on time's files as CSV and XLSX (issue 15): the payments compliance figures (notice UK17) and the
payments over £30,000. Each XLSX holds the CSV's header and rows, neutralises formulas as the CSV does, is refused
to whoever may not see the payments page, and makes as many queries for few payments as for many."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.core.exports import FORMULA, cells, download_queries, same_table
from tests.procurement.test_payments import contract_on, day, invoice

pytestmark = pytest.mark.django_db
PERIOD, QUARTER = {"period": "2026-04-01"}, {"quarter": "2026-04-01"}
NOT_COUNCIL = ["provider_admin", "provider_member", "other_admin", "training_admin", "partner_member"]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _both(name: str) -> tuple[str, str]:
    return reverse(f"{name}-csv"), reverse(f"{name}-xlsx")


def test_compliance_csv_and_xlsx_are_the_same_table(client_for, provider, council_officer):
    contract = contract_on(provider)
    invoice(contract, "A", day(2026, 5, 1), day(2026, 5, 31))
    invoice(contract, "B", day(2026, 5, 1), day(2026, 7, 1))
    rows = same_table(client_for(council_officer), *_both("procurement:payments-compliance"), PERIOD)
    figures = dict(rows)
    assert figures["Average number of days taken to pay"] == "45.5"
    assert figures["% paid within 30 days (day 1 to 30)"] == "50.0"


def test_large_payments_csv_and_xlsx_are_the_same_table(client_for, provider, council_officer):
    provider.name = "+Supplier Ltd"
    provider.save()
    contract = contract_on(provider)
    invoice(contract, FORMULA, day(2026, 5, 1), day(2026, 5, 20), amount="45000.00")
    invoice(contract, "@SUM(A1)", day(2026, 6, 1), day(2026, 6, 20), amount="30000.01")
    rows = same_table(client_for(council_officer), *_both("procurement:payments-large"), QUARTER)
    assert rows[0][:3] == ["Date paid", "Supplier", "Amount including VAT (£)"]
    assert {"'" + FORMULA, "'@SUM(A1)", "'+Supplier Ltd"} <= cells(rows)
    assert FORMULA not in cells(rows)


def test_a_refused_period_sends_the_xlsx_back_to_the_page_too(client_for, council_officer):
    response = client_for(council_officer).get(
        reverse("procurement:payments-compliance-xlsx"), {"period": "2025-07-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:payments") + "?period=2025-07-01"


@pytest.mark.parametrize("role", NOT_COUNCIL)
def test_the_payment_files_are_refused_outside_the_council(request, client_for, provider, role):
    invoice(contract_on(provider), "A", day(2026, 5, 1), day(2026, 5, 20), amount="45000.00")
    client = client_for(request.getfixturevalue(role))
    for name, params in (("procurement:payments-compliance", PERIOD), ("procurement:payments-large", QUARTER)):
        for url in _both(name):
            assert client.get(url, params).status_code == 403, url


def test_the_payment_files_make_as_many_queries_for_more_payments(client_for, provider, council_officer):
    client = client_for(council_officer)
    urls = [(url, PERIOD) for url in _both("procurement:payments-compliance")]
    urls += [(url, QUARTER) for url in _both("procurement:payments-large")]
    invoice(contract_on(provider), "FIRST", day(2026, 5, 1), day(2026, 5, 2), amount="40000")
    few = [download_queries(client, url, params) for url, params in urls]
    for n in range(5):
        contract = contract_on(provider)
        for i in range(4):
            invoice(contract, f"C{n}-{i}", day(2026, 5, 1), day(2026, 5, 1 + i), amount="40000")
    many = [download_queries(client, url, params) for url, params in urls]
    assert many == few
