"""The market's tables as CSV and XLSX (issue 15): supply and sustainability (?download=csv or xlsx on their
pages) and the capacity returns page's three tables. Each XLSX holds the CSV's header and rows, neutralises
formulas as the CSV does, is refused to whoever may not see its page, and makes as many queries for few rows as
for many."""

import pytest
import time_machine
from django.urls import reverse

from carenetwork.organisations.models import Organisation
from tests.core.exports import FORMULA, cells, download_queries, same_page_table, same_table
from tests.factories import LocationFactory, OrganisationFactory
from tests.market import test_pages
from tests.market.test_returns import NOVEMBER, OCTOBER, returned

pytestmark = pytest.mark.django_db

# The supply pages' market: care homes in Kingsmere, Saltcote and Oldbridge.
market = test_pages.market
TABLES = ["months", "sectors", "providers"]
NOT_COUNCIL = ["provider_admin", "provider_member", "other_admin", "training_admin", "partner_member"]


@pytest.fixture
def as_role(request, client_for):
    return lambda role: client_for(request.getfixturevalue(role))


def test_supply_and_sustainability_downloads_are_the_same_table(as_role, market, provider):
    Organisation.objects.filter(pk=provider.pk).update(name=FORMULA)
    for role in ("council_officer", "provider_admin"):
        rows = same_page_table(as_role(role), reverse("market:supply"))
        assert rows[0][0] == "Service type" and len(rows) > 1
    rows = same_page_table(as_role("council_officer"), reverse("market:sustainability"))
    assert rows[0][0] == "Service type" and len(rows) == 1 + 4
    assert "'" + FORMULA in cells(rows) and FORMULA not in cells(rows)  # Kingsmere's largest provider


def test_an_unknown_format_of_a_market_page_is_not_found(as_role, market):
    assert as_role("council_officer").get(reverse("market:supply"), {"download": "pdf"}).status_code == 404


# The capacity returns page.


@pytest.fixture
def returns_made(provider):
    """November 2026, in the return window: a provider whose name is a formula, with two homes, one returned."""
    with time_machine.travel("2026-11-10 12:00 +0000", tick=False):
        Organisation.objects.filter(pk=provider.pk).update(name=FORMULA)
        home = provider.locations.get()
        second = LocationFactory(organisation=provider)
        returned(home, OCTOBER, occupied=30)
        returned(second, OCTOBER, occupied=40)
        returned(home, NOVEMBER, care_agency=14)
        yield home


def _both(table: str) -> tuple[str, str]:
    return (
        reverse("market:returns-completion-csv", args=[table]),
        reverse("market:returns-completion-xlsx", args=[table]),
    )


@pytest.mark.parametrize("table", TABLES)
def test_each_returns_table_downloads_as_the_same_csv_and_xlsx(as_role, returns_made, table):
    rows = same_table(as_role("council_officer"), *_both(table))
    first = {"months": "Month", "sectors": "Sector", "providers": "Provider"}[table]
    assert rows[0][0] == first
    if table == "months":
        assert rows[1:] == [
            ["2026-10", "2", "80", "70", "88", "6", "17"],
            ["2026-11", "1", "40", "35", "88", "3", "32"],
        ]
    if table == "providers":
        assert ["'" + FORMULA, "1", "2", "50"] in rows


def test_an_unknown_returns_table_is_not_found(as_role, returns_made):
    client = as_role("council_officer")
    assert client.get(reverse("market:returns-completion-csv", args=["everything"])).status_code == 404
    assert client.get(reverse("market:returns-completion-xlsx", args=["everything"])).status_code == 404


@pytest.mark.parametrize("role", NOT_COUNCIL)
def test_the_returns_tables_are_refused_outside_the_council(as_role, returns_made, role):
    client = as_role(role)
    for table in TABLES:
        for url in _both(table):
            assert client.get(url).status_code == 403, url


def test_the_returns_downloads_make_as_many_queries_however_many_providers(as_role, returns_made):
    with time_machine.travel("2026-11-10 12:00 +0000", tick=False):
        client = as_role("council_officer")
        urls = [url for table in TABLES for url in _both(table)]
        few = [download_queries(client, url) for url in urls]
        for _i in range(4):
            location = LocationFactory(organisation=OrganisationFactory())
            returned(location, OCTOBER)
            returned(location, NOVEMBER)
        many = [download_queries(client, url) for url in urls]
    assert many == few
