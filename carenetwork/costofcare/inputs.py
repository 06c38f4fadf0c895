"""A provider's home care figures as stored (JSON of strings, so no float ever touches money) and back."""

from dataclasses import fields
from decimal import Decimal, InvalidOperation

from carenetwork.costofcare.calculators import CostInputError, HomeCareInputs

MIX = "visit_mix"
RUNNING = "running_costs_per_year"


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
