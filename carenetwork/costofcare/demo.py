"""The demo borough's cost of care: the 2025/26 and 2026/27 assumption sets (the Homecare Association's 2026/27 price
not yet published), and twelve home care providers' submitted 2025/26 returns, so the council sees quartiles."""

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.utils import timezone

from carenetwork.costofcare.calculators import HomeCareInputs, home_care_rate
from carenetwork.costofcare.inputs import home_care_to_json
from carenetwork.costofcare.models import CostCalculation
from carenetwork.costofcare.selectors import assumption_set_on, assumptions_for
from carenetwork.costofcare.services import assumption_sets_seed

AS_AT = date(2025, 10, 1)
RETURNS = 12


def build_costofcare_demo(borough) -> None:
    """Idempotent: the sets once, and the returns once."""
    assumption_sets_seed(actor=None)
    if CostCalculation.objects.exists():
        return
    rng = random.Random("costofcare-demo")
    home_care = [org for org in borough.providers if "Home Care" in org.name and org.pk != borough.featured.pk]
    others = [org for org in borough.providers if org not in home_care and org.pk != borough.featured.pk]
    assumption_set = assumption_set_on(AS_AT)
    assumptions = assumptions_for(assumption_set)
    now = timezone.now()
    rows = []
    for org in (home_care + others)[:RETURNS]:
        inputs = replace(
            HomeCareInputs(),
            pay_per_hour=Decimal("12.21") + Decimal(rng.randint(0, 180)) / 100,
            travel_minutes_per_visit=Decimal(rng.randint(6, 15)),
            miles_per_visit=Decimal(rng.randint(2, 6)),
            surplus_rate=Decimal(rng.randint(2, 5)) / 100,
        )
        price = home_care_rate(inputs, assumptions).price_per_contact_hour
        rows.append(
            CostCalculation(
                organisation=org,
                kind=CostCalculation.Kind.HOME_CARE,
                as_at=AS_AT,
                assumption_set=assumption_set,
                inputs=home_care_to_json(inputs),
                status=CostCalculation.Status.SUBMITTED,
                submitted_at=now,
                blended_price=price,
            )
        )
    CostCalculation.objects.bulk_create(rows)
