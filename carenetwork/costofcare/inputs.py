"""A provider's figures as stored (JSON of strings, so no float ever touches money) and back: home care, and a care
home's with the category its return is for."""

from dataclasses import fields
from decimal import Decimal, InvalidOperation

from carenetwork.costofcare.calculators import CareHomeInputs, Category, CostInputError, HomeCareInputs

MIX = "visit_mix"
RUNNING = "running_costs_per_year"
PER_CATEGORY = ("care_hours", "nursing_hours")  # {category: hours}
NON_STAFF = "non_staff_costs"
CATEGORY = "category"  # the care home category a return is for (not a calculator input: it picks one fee)


def home_care_to_json(inputs: HomeCareInputs) -> dict:
    """Every field as a string; the visit mix and running costs as lists of [minutes or label, string]."""
    data = {}
    for f in fields(inputs):
        value = getattr(inputs, f.name)
        if f.name in (MIX, RUNNING):
            data[f.name] = [[key, str(amount)] for key, amount in value]
        else:
            data[f.name] = str(value)
    return data


def home_care_from_json(data: dict) -> HomeCareInputs:
    """The inputs stored by `home_care_to_json`; a field missing takes the calculator's default."""
    values = {}
    try:
        for f in fields(HomeCareInputs):
            if f.name not in data:
                continue
            if f.name == MIX:
                values[f.name] = tuple((int(m), Decimal(s)) for m, s in data[f.name])
            elif f.name == RUNNING:
                values[f.name] = tuple((str(label), Decimal(s)) for label, s in data[f.name])
            else:
                values[f.name] = Decimal(data[f.name])
    except (InvalidOperation, TypeError, ValueError) as error:
        raise CostInputError(f"The saved figures cannot be read ({error}).") from error
    return HomeCareInputs(**values)


def care_home_to_json(inputs: CareHomeInputs, category: Category) -> dict:
    """Every field as a string; hours by category as {category: string}; non-staff costs as [label, string]; and
    the category whose weekly fee is the calculation's price (its return's)."""
    data = {}
    for f in fields(inputs):
        value = getattr(inputs, f.name)
        if f.name in PER_CATEGORY:
            data[f.name] = {str(Category(c)): str(hours) for c, hours in value.items()}
        elif f.name == NON_STAFF:
            data[f.name] = [[label, str(amount)] for label, amount in value]
        else:
            data[f.name] = str(value)
    data[CATEGORY] = str(Category(category))
    return data


def care_home_from_json(data: dict) -> CareHomeInputs:
    """The inputs stored by `care_home_to_json`; a field missing takes the calculator's default."""
    values = {}
    try:
        for f in fields(CareHomeInputs):
            if f.name not in data:
                continue
            if f.name in PER_CATEGORY:
                values[f.name] = {Category(c): Decimal(hours) for c, hours in data[f.name].items()}
            elif f.name == NON_STAFF:
                values[f.name] = tuple((str(label), Decimal(s)) for label, s in data[f.name])
            else:
                values[f.name] = Decimal(data[f.name])
    except (InvalidOperation, TypeError, ValueError, AttributeError) as error:
        raise CostInputError(f"The saved figures cannot be read ({error}).") from error
    return CareHomeInputs(**values)


def care_home_category(data: dict) -> Category:
    """The category a saved care home calculation is for (residential when none was stored)."""
    try:
        return Category(data.get(CATEGORY, Category.RESIDENTIAL))
    except ValueError as error:
        raise CostInputError(f"The saved category cannot be read ({error}).") from error
