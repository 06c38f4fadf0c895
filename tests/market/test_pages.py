"""The market pages: supply and sustainability from the directory, what each role sees of them, the settings, the
downloads and the query counts."""

import csv
import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from carenetwork.core.models import AuditEvent
from carenetwork.market import supply as market_supply
from carenetwork.market.figures import market_figures_recount
from carenetwork.market.models import MarketSettings
from carenetwork.market.tables import supply_table
from carenetwork.organisations.models import Location, Organisation, ServiceType
from tests.factories import LocationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

RESIDENTIAL, NURSING, HOME_CARE = 2, 1, 8


def close_every_location():
    """Take the conftest's own locations out of the market (a bulk update, so the kept figures are recounted, as
    after any bulk load)."""
    Location.objects.update(is_active=False)
    market_figures_recount(repair=True)


def home(org, beds, *, area="Kingsmere", code=RESIDENTIAL, rating="Good", **fields):
    return LocationFactory(
        organisation=org,
        capacity=beds,
        area=area,
        service_type=ServiceType.objects.get(ascwds_code=code),
        cqc_rating=rating,
        **fields,
    )


@pytest.fixture
def market(provider, other_provider):
    """Kingsmere care homes: four providers (one with two homes), 60 of 120 beds with the largest. Saltcote care
    homes: one provider alone. Saltcote nursing: two providers. Oldbridge care homes: three providers."""
    close_every_location()  # the conftest's own locations are not part of this market
    third, fourth = OrganisationFactory(name="Third Care"), OrganisationFactory(name="Fourth Care")
    home(provider, 40, rating="Outstanding")
    home(provider, 20, rating="Requires improvement")
    home(other_provider, 30)
    home(third, 20, rating="")
    home(fourth, 10, rating="Inadequate")
    home(third, 15, area="Saltcote")
    home(third, 25, area="Saltcote", code=NURSING)
    home(fourth, 25, area="Saltcote", code=NURSING)
    home(fourth, 99, area="Saltcote", is_active=False)  # closed: not counted
    for org in (other_provider, third, fourth):
        home(org, 10, area="Oldbridge")
    return provider


@pytest.fixture
def as_role(request, client_for):
    """A client signed in as the conftest's person in that role."""
    return lambda role: client_for(request.getfixturevalue(role))


def by_key(markets):
    return {(m.service_type.ascwds_code, m.area): m for m in markets}


def test_sub_markets_count_each_provider_once_with_its_capacity(market):
    markets = by_key(market_supply.supply().sub_markets)
    kingsmere = markets[RESIDENTIAL, "Kingsmere"]
    assert (kingsmere.locations, kingsmere.providers, kingsmere.capacity) == (5, 4, 120)
    assert kingsmere.largest == market.pk and kingsmere.largest_share == 50
    assert kingsmere.hhi == 2500 + 625 + Fraction(10_000, 36) + Fraction(10_000, 144)  # shares 50, 25, 16⅔, 8⅓
    assert (kingsmere.good, kingsmere.poor, kingsmere.unrated) == (40, 40, 20)
    assert markets[RESIDENTIAL, "Saltcote"].capacity == 15  # the closed home is left out
    assert markets[NURSING, "Saltcote"].hhi == 5000


def test_a_provider_sees_aggregates_but_no_sub_market_of_fewer_than_three_providers(as_role, market):
    response = as_role("provider_admin").get(reverse("market:supply"))
    rows = {tuple(r[:2]): r for r in response.context["table"].rows}
    hidden = dict(
        zip([tuple(r[:2]) for r in response.context["table"].rows], response.context["table"].hidden, strict=True)
    )
    assert not any(hidden["Care home services without nursing", "Kingsmere"])
    assert rows["Care home services without nursing", "Kingsmere"][2:5] == [5, 4, 120]
    assert all(hidden["Care home services without nursing", "Saltcote"][2:])
    # Oldbridge is hidden too: the care homes' total (the local authority's row) less Kingsmere would give Saltcote.
    assert all(hidden["Care home services without nursing", "Oldbridge"][2:])
    assert all(hidden["Care home services with nursing", "Saltcote"][2:])
    body = response.content.decode()
    assert "fewer than 3 providers" in body

    download = as_role("provider_admin").get(reverse("market:supply") + "?download=csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    saltcote = [r for r in csv.reader(io.StringIO(text)) if r[1] == "Saltcote"]
    assert saltcote and all(r[4] == "not shown: fewer than 3 providers" for r in saltcote)


def test_council_staff_see_every_sub_market(as_role, market):
    response = as_role("council_officer").get(reverse("market:supply"))
    assert not any(any(h) for h in response.context["table"].hidden)


def test_a_service_type_with_one_small_sub_market_hides_another_so_the_total_cannot_give_it_away(provider):
    close_every_location()
    others = [OrganisationFactory() for _ in range(5)]
    for org in [provider, *others[:3]]:
        home(org, 10, area="Kingsmere")
    for org in others[3:] + [provider]:
        home(org, 10, area="Oldbridge")
    home(others[0], 10, area="Saltcote")
    markets = market_supply.supply().sub_markets
    hidden = [h[2] for h in supply_table(markets, every_figure=False).hidden]
    # Saltcote (1 provider) is hidden, and so is the smallest other (Oldbridge or Kingsmere): 3 or more together.
    assert hidden.count(True) == 2


def test_sustainability_names_the_largest_provider_and_gives_a_verdict(as_role, market):
    response = as_role("council_officer").get(reverse("market:sustainability"))
    rows = {tuple(r[:2]): r for r in response.context["table"].rows}
    kingsmere = rows["Care home services without nursing", "Kingsmere"]
    assert kingsmere[4] == market.name and kingsmere[5] == Decimal("50.0")
    assert kingsmere[6] == Decimal("3472")  # 50² + 25² + 16⅔² + 8⅓²
    assert kingsmere[7] == "not known" and kingsmere[8] == "red"
    assert "at or above 1,800" in kingsmere[9] and "50.0% of capacity" in kingsmere[9]
    alone = rows["Care home services without nursing", "Saltcote"]
    assert alone[7] == 15 and alone[8] == "red" and "15 places short" in alone[9]
    assert b"How the verdict is reached" in response.content


def test_the_councils_thresholds_change_the_verdict(as_role, market):
    MarketSettings.objects.update_or_create(pk=1, defaults={"hhi_amber": 9000, "hhi_red": 9500, "share_amber": 90})
    MarketSettings.objects.filter(pk=1).update(share_red=95)
    response = as_role("council_officer").get(reverse("market:sustainability"))
    rows = {tuple(r[:2]): r for r in response.context["table"].rows}
    assert rows["Care home services without nursing", "Kingsmere"][8] == "green"


def test_market_oversight_flags_a_provider_with_2000_beds_or_1000_in_16_authorities(provider, other_provider):
    close_every_location()
    for i in range(4):
        home(provider, 500, local_authority=f"Authority {i}")
    for i in range(16):
        home(other_provider, 70, local_authority=f"Authority {i}")
    small = OrganisationFactory()
    for i in range(16):
        home(small, 60, local_authority=f"Authority {i}")  # 960 beds: below 1,000
    agency = OrganisationFactory()
    LocationFactory(
        organisation=agency,
        capacity=30_000,
        capacity_unit=Location.CapacityUnit.WEEKLY_HOURS,
        service_type=ServiceType.objects.get(ascwds_code=HOME_CARE),
    )
    flagged = {f["id"]: f["reasons"] for f in market_supply.market_oversight()}
    assert set(flagged) == {provider.pk, other_provider.pk, agency.pk}
    assert flagged[provider.pk] == ["2,000 care home beds (2,000 or more)"]
    assert "in 16 local authorities" in flagged[other_provider.pk][0]


def test_sub_markets_are_by_local_authority_when_the_market_holds_several(provider, other_provider):
    close_every_location()
    home(provider, 10, local_authority="Devon")
    home(other_provider, 10, local_authority="Torbay")
    assert market_supply.area_key() == market_supply.BY_AUTHORITY
    assert {m.area for m in market_supply.supply().sub_markets} == {"Devon", "Torbay"}
    assert {m.area for m in market_supply.supply(by=market_supply.BY_LOCALITY).sub_markets} == {"Kingsmere"}
    Location.objects.filter(local_authority="Torbay").update(is_active=False)
    market_figures_recount(repair=True)
    home(other_provider, 10, local_authority="Devon", name="Another Devon home")  # one authority, named twice
    assert market_supply.area_key() == market_supply.BY_LOCALITY


def test_downloads_carry_the_page_rows(as_role, market):
    client = as_role("council_officer")
    response = client.get(reverse("market:sustainability") + "?download=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Service type" and len(rows) == 1 + 4
    assert client.get(reverse("market:supply") + "?download=pdf").status_code == 404


def test_settings_refuse_an_unknown_area_and_amber_above_red(as_role):
    client = as_role("council_admin")
    response = client.post(
        reverse("market:settings"),
        {
            "area_codes": "E99999999",
            "hhi_amber": 2000,
            "hhi_red": 1000,
            "share_amber": 25,
            "share_red": 40,
            "return_opens": 8,
            "return_closes": 14,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "not a code in the ONS area lookup" in errors["area_codes"][0]
    assert errors["hhi_red"] == ["Red must start at or above amber"]
    assert MarketSettings.current().hhi_amber == 1000


def test_settings_saved_are_audited(as_role):
    client = as_role("council_admin")
    response = client.post(
        reverse("market:settings"),
        {
            "area_codes": "",
            "hhi_amber": 1200,
            "hhi_red": 2000,
            "share_amber": 30,
            "share_red": 50,
            "return_opens": 8,
            "return_closes": 14,
        },
    )
    assert response.status_code == 302
    assert MarketSettings.current().hhi_red == 2000
    event = AuditEvent.objects.get(action="market_settings.updated")
    assert event.changes["hhi_red"] == [1800, 2000]


@pytest.mark.parametrize(
    ("role", "name"), [("provider_admin", "market:supply"), ("council_officer", "market:sustainability")]
)
def test_market_pages_take_the_same_queries_however_many_locations(as_role, provider, role, name):
    client = as_role(role)
    home(provider, 10)
    client.get(reverse(name))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    for i in range(30):
        org = OrganisationFactory(kind=Organisation.Kind.PROVIDER)
        home(org, 10 + i, area=["Kingsmere", "Saltcote", "Oldbridge"][i % 3], code=[RESIDENTIAL, NURSING][i % 2])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name)).status_code == 200
    assert len(many) == len(few)


def test_the_demand_page_says_what_is_missing(as_role):
    response = as_role("council_admin").get(reverse("market:demand"))
    assert b"No population projections by age have been loaded yet" in response.content
    assert b"import_population" in response.content
    assert b"import_population" not in as_role("provider_admin").get(reverse("market:demand")).content
