"""The demo borough's market: Eastmarsh is fictional, so its predicted demand uses Havering's ONS figures (the
council the product began with), loaded from the shared data folder when it is beside the project."""

import random
from collections import Counter

from django.conf import settings

from carenetwork.market.demo_needed import build_needed_demo
from carenetwork.market.demo_statement import build_statement_demo
from carenetwork.market.figures import market_figures_recount
from carenetwork.market.models import CapacityReturn, MarketSettings, PopulationRelease
from carenetwork.market.population import load_file
from carenetwork.market.volume import figures, months_back
from carenetwork.organisations.models import Location

DEMO_AREA = "E09000016"  # Havering
POPULATION = settings.BASE_DIR.parent / "shared" / "data" / "population"
FILES = [
    "ons_ltla_to_utla_lookup_dec2022.csv",
    "poppi_pansi_prevalence_assumptions_2022.csv",
    "ons_snpp2016_persons_age60to90plus_by_lad_2016_2041.csv",
]


def build_market_demo(borough) -> None:
    """Load the demand files (once), set the council's area, and give the providers a year of capacity returns.
    Idempotent."""
    _returns(borough)
    build_needed_demo(borough)
    _population()
    build_statement_demo(borough)


def _population() -> None:
    """The demand files for the demo council's area (when the data pack is beside the project), and its area."""
    if not PopulationRelease.objects.filter(by_age=True).exists():
        for name in FILES:
            path = POPULATION / name
            if not path.is_file():
                return
            load_file(actor=None, name=name, content=path.read_bytes(), areas={DEMO_AREA})
    market = MarketSettings.current()
    if not market.area_codes:
        market.area_codes = DEMO_AREA
        market.save(update_fields=["area_codes"])


def _returns(borough) -> None:
    """Twelve months of returns for every demo service, this month's too except the featured provider's (its admin
    has them to make); the care homes of the sub-market with most providers full, so that it is fragile."""
    if CapacityReturn.objects.exists():
        return
    rng = random.Random("market-demo")
    locations = list(
        Location.objects.filter(organisation__in=borough.providers, service_type__isnull=False, is_active=True)
        .select_related("service_type")
        .order_by("pk")
    )
    homes = Counter((loc.service_type_id, loc.area) for loc in locations if loc.service_type.is_residential)
    fragile = max(homes, key=lambda key: (homes[key], key)) if homes else None
    months = months_back(13)
    rows = []
    for location in locations:
        for month in months:
            if month == months[0] and location.organisation_id == borough.featured.pk:
                continue
            data = figures(location, location.service_type.is_residential, rng)
            if (location.service_type_id, location.area) == fragile:
                data.update(occupied=data["beds"], vacant_accepting=0, vacant_reserved=0)
            rows.append(CapacityReturn(location=location, month=month, **data))
    CapacityReturn.objects.bulk_create(rows)
    market_figures_recount(repair=True)
