"""The demo borough's market: Eastmarsh is fictional, so its predicted demand uses Havering's ONS figures (the
council the product began with), loaded from the shared data folder when it is beside the project."""

from django.conf import settings

from carenetwork.market.models import MarketSettings, PopulationRelease
from carenetwork.market.population import load_file

DEMO_AREA = "E09000016"  # Havering
POPULATION = settings.BASE_DIR.parent / "shared" / "data" / "population"
FILES = [
    "ons_ltla_to_utla_lookup_dec2022.csv",
    "poppi_pansi_prevalence_assumptions_2022.csv",
    "ons_snpp2016_persons_age60to90plus_by_lad_2016_2041.csv",
]


def build_market_demo(borough) -> None:
    """Load the demand files (once) and set the council's area. Idempotent."""
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
