"""Test helpers for the fair cost of care: the seeded assumption sets, and the calculator form's POST data."""

from datetime import date

from carenetwork.costofcare.calculators import CareHomeInputs, Category, HomeCareInputs
from carenetwork.costofcare.forms import CareHomeForm, HomeCareForm
from carenetwork.costofcare.inputs import care_home_to_json, home_care_to_json
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


def care_home_form_data(as_at=date(2026, 5, 1), inputs=None, category=Category.RESIDENTIAL, **changes) -> dict:
    """What the care home calculator's form posts for these inputs (the calculator's defaults), with `changes`."""
    initial = CareHomeForm.initial_from(inputs or CareHomeInputs(), as_at, category or Category.RESIDENTIAL)
    day = initial.pop("as_at")
    data = {name: str(value) for name, value in initial.items()}
    data["category"] = str(category)  # "" for none chosen
    data.update(as_at_0=str(day.day), as_at_1=str(day.month), as_at_2=str(day.year))
    data.update({k: str(v) for k, v in changes.items()})
    return data


def submitted_care_home_return(
    organisation, fee, category, *, as_at=date(2025, 10, 1), status=CostCalculation.Status.SUBMITTED
):
    """A saved care home calculation of the organisation for a category, with a given weekly fee."""
    return CostCalculation.objects.create(
        organisation=organisation,
        kind=CostCalculation.Kind.CARE_HOME,
        as_at=as_at,
        assumption_set=assumption_set_on(as_at),
        inputs=care_home_to_json(CareHomeInputs(), category),
        status=status,
        blended_price=fee,
    )
