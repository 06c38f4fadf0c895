"""The demo borough's own rates for 2025/26 and 2026/27, with the volume it buys. Home care is below the calculated
minimum in both years (and below the Homecare Association's 2025/26 price); the care home rates are above it, until
a council administrator adds a higher National Living Wage from April 2027 and the fee gaps show what follows."""

from datetime import date
from decimal import Decimal as D

from carenetwork.costofcare.models import CouncilRate
from carenetwork.costofcare.rates import council_rate_save

T = CouncilRate.ServiceType
RATES = [  # (type of service, volume a week, 2025/26 rate, 2026/27 rate)
    (T.HOME_CARE, D(18_000), D("27.20"), D("28.40")),
    (T.RESIDENTIAL, D(520), D("750.00"), D("785.00")),
    (T.RESIDENTIAL_ENHANCED, D(140), D("835.00"), D("870.00")),
    (T.NURSING, D(230), D("1030.00"), D("1065.00")),
    (T.NURSING_ENHANCED, D(75), D("1140.00"), D("1180.00")),
]


def council_rates_seed() -> None:
    """Idempotent: the rates once."""
    if CouncilRate.objects.exists():
        return
    for service_type, volume, *yearly in RATES:
        for day, rate in zip((date(2025, 4, 1), date(2026, 4, 1)), yearly, strict=True):
            data = {"service_type": service_type, "effective_from": day, "rate": rate, "weekly_volume": volume}
            council_rate_save(actor=None, data=data)
