"""Supply and sustainability on the real CQC files: Devon, Somerset, Plymouth and Torbay care homes, and Oldham."""

import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from carenetwork.market import supply
from carenetwork.market.figures import market_figures_recount
from carenetwork.organisations import cqc
from carenetwork.organisations.models import Location

pytestmark = pytest.mark.django_db

CQC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cqc"
DEVON = CQC / "devon_somerset_care_homes_2021.json"
OLDHAM = CQC / "oldham"
AUTHORITIES = {"Devon", "Somerset", "Plymouth", "Torbay"}
CARE_HOMES = {"Care home services with nursing", "Care home services without nursing"}


@pytest.fixture(autouse=True)
def _needs_cqc_data():
    if not CQC.is_dir():
        pytest.skip(f"The CQC data files are not at {CQC}")


def close_every_location():
    """Take the conftest's own locations out of the market (a bulk update, so the kept figures are recounted, as
    after any bulk load)."""
    Location.objects.update(is_active=False)
    market_figures_recount(repair=True)


def test_devon_and_somerset_sustainability_for_every_authority_and_care_home_type(client_for, council_officer):
    close_every_location()
    cqc.import_file(actor=None, name=DEVON.name, content=DEVON.read_bytes(), data_date=datetime.date(2021, 4, 30))
    records = json.loads(DEVON.read_bytes())

    result = supply.supply()
    assert result.by == supply.BY_AUTHORITY
    markets = {(m.service_type.name, m.area): m for m in result.sub_markets}
    assert set(markets) == {(t, a) for t in CARE_HOMES for a in AUTHORITIES}
    # Every home and bed of the file is in one sub-market (README: 728 locations, 19,124 beds).
    assert sum(m.locations for m in markets.values()) == len(records) == 728
    assert sum(m.capacity for m in markets.values()) == sum(r.get("numberOfBeds") or 0 for r in records) == 19_124
    for authority in AUTHORITIES:
        # A provider is the CQC provider: each of the file's provider IDs in the authority is one organisation.
        in_file = {r["providerId"] for r in records if r["localAuthority"] == authority}
        ours = Location.objects.filter(is_active=True, local_authority=authority).values("organisation").distinct()
        assert ours.count() == len(in_file)
        assert max(m.providers for (_kind, area), m in markets.items() if area == authority) <= len(in_file)
    for m in markets.values():
        assert 10_000 / m.providers <= m.hhi <= 10_000
    somerset = markets["Care home services without nursing", "Somerset"]
    assert (somerset.locations, somerset.providers, somerset.capacity) == (162, 86, 3143)
    # The kept figures equal a recount from the locations themselves.
    assert market_figures_recount() == []

    response = client_for(council_officer).get(reverse("market:sustainability"))
    assert response.status_code == 200 and len(response.context["table"].rows) == 8


def test_oldham_sub_markets_take_every_registered_service_type():
    close_every_location()
    files = sorted(OLDHAM.rglob("*.json"), key=lambda p: ("provider" not in p.name, p.name))
    cqc.import_files(actor=None, files=[(p.name, p.read_bytes()) for p in files], data_date=datetime.date(2025, 3, 21))
    result = supply.supply(by=supply.BY_AUTHORITY)
    active = Location.objects.filter(is_active=True, service_type__isnull=False)
    assert sum(m.locations for m in result.sub_markets) == active.count() > 0
    assert {m.area for m in result.sub_markets} == {"Oldham"}
    assert {m.service_type.name for m in result.sub_markets} >= {"Domiciliary care services"}
