"""Test helpers for the fair cost of care: the seeded assumption sets, and the calculator form's POST data."""

from datetime import date

from carenetwork.costofcare.calculators import HomeCareInputs
from carenetwork.costofcare.forms import HomeCareForm
from carenetwork.costofcare.inputs import home_care_to_json
from carenetwork.costofcare.models import CostCalculation
from carenetwork.costofcare.selectors import assumption_set_on
from carenetwork.costofcare.services import assumption_sets_seed


def seed_sets():
    """The 2025/26 and 2026/27 sets (2026/27 without the Homecare Association's price)."""
    return assumption_sets_seed(actor=None)


def form_data(as_at=date(2026, 5, 1), inputs=None, **changes) -> dict:
    """What the calculator's form posts for these inputs (the calculator's defaults), with `changes` on top."""
    initial = HomeCareForm.initial_from(inputs or HomeCareInputs(), as_at)
    day = initial.pop("as_at")
    data = {name: str(value) for name, value in initial.items()}
    data.update(as_at_0=str(day.day), as_at_1=str(day.month), as_at_2=str(day.year))
    data.update({k: str(v) for k, v in changes.items()})
    return data


def submitted_return(organisation, price, *, as_at=date(2025, 10, 1), status=CostCalculation.Status.SUBMITTED):
    """A saved calculation of the organisation with a given blended price (the inputs are the defaults)."""
    return CostCalculation.objects.create(
        organisation=organisation,
        as_at=as_at,
        assumption_set=assumption_set_on(as_at),
        inputs=home_care_to_json(HomeCareInputs()),
        status=status,
        blended_price=price,
    )
