"""The demo borough's cost of care: the 2025/26 and 2026/27 assumption sets (the Homecare Association's 2026/27 price
not yet published), twelve home care providers' submitted 2025/26 returns, so the council sees quartiles, and care
homes' and nursing homes' submitted 2025/26 weekly fee returns: six residential and five nursing (quartiles for
both) and one residential enhanced (too few to show)."""

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.utils import timezone

from carenetwork.costofcare.calculators import CareHomeInputs, Category, HomeCareInputs, care_home_fee, home_care_rate
from carenetwork.costofcare.inputs import care_home_to_json, home_care_to_json
from carenetwork.costofcare.models import CostCalculation
from carenetwork.costofcare.selectors import assumption_set_on, assumptions_for
from carenetwork.costofcare.services import assumption_sets_seed

AS_AT = date(2025, 10, 1)
RETURNS = 12
# The care home returns: (which homes, by the demo's names, and the category of each one's return)
CARE_HOME_RETURNS = [
    ("Care Home", [Category.RESIDENTIAL] * 6 + [Category.RESIDENTIAL_ENHANCED]),
    ("Nursing Home", [Category.NURSING] * 5),
]


def build_costofcare_demo(borough) -> None:
    """Idempotent: the sets once, and each kind's returns once."""
    assumption_sets_seed(actor=None)
    if not CostCalculation.objects.filter(kind=CostCalculation.Kind.HOME_CARE).exists():
        _home_care_returns(borough)
    if not CostCalculation.objects.filter(kind=CostCalculation.Kind.CARE_HOME).exists():
        _care_home_returns(borough)


def _home_care_returns(borough) -> None:
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


def _care_home_returns(borough) -> None:
    """Care homes' and nursing homes' returns (not the featured provider's), each for its home's category."""
    rng = random.Random("costofcare-demo-care-homes")
    assumption_set = assumption_set_on(AS_AT)
    assumptions = assumptions_for(assumption_set)
    now = timezone.now()
    rows = []
    for stem, categories in CARE_HOME_RETURNS:
        homes = [org for org in borough.providers if stem in org.name and org.pk != borough.featured.pk]
        for org, category in zip(homes, categories, strict=False):
            pay = Decimal("12.21") + Decimal(rng.randint(0, 120)) / 100
            inputs = replace(
                CareHomeInputs(),
                care_worker_pay=pay,
                support_staff_pay=Decimal("12.21") + Decimal(rng.randint(0, 60)) / 100,
                nurse_pay=Decimal(rng.randint(2150, 2500)) / 100,
                property_value_per_bed=Decimal(rng.randint(70, 110) * 1000),
                occupancy=Decimal(rng.randint(85, 95)) / 100,
                return_on_operations=Decimal(rng.randint(3, 6)) / 100,
            )
            fee = care_home_fee(inputs, assumptions).weekly_fee[category]
            rows.append(
                CostCalculation(
                    organisation=org,
                    kind=CostCalculation.Kind.CARE_HOME,
                    as_at=AS_AT,
                    assumption_set=assumption_set,
                    inputs=care_home_to_json(inputs, category),
                    status=CostCalculation.Status.SUBMITTED,
                    submitted_at=now,
                    blended_price=fee,
                )
            )
    CostCalculation.objects.bulk_create(rows)
