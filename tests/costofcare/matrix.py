"""Authorisation matrix rows for the fair cost of care (see tests/test_authorisation_matrix.py).

A provider's admins and members run the calculator and see only their own provider's calculations (another
provider's is a 404: they may not know it exists); council staff see the submitted returns as quartiles; council
administrators keep the dated assumption sets.
"""

from tests.matrix_roles import MISSING, REDIRECT, only

PROVIDER = ("provider_member", "provider_admin")
CALCULATORS = (*PROVIDER, "other_admin")
COUNCIL = ("council_officer", "council_admin")

COSTOFCARE_CASES = [
    ("costofcare:home-care", lambda w: [], "get", only(*CALCULATORS)),
    # An empty POST: the form's errors.
    ("costofcare:home-care", lambda w: [], "post", only(*CALCULATORS)),
    ("costofcare:calculation-list", lambda w: [], "get", only(*CALCULATORS)),
    ("costofcare:calculation-detail", lambda w: [calculation_for(w).pk], "get", only(*PROVIDER, other=MISSING)),
    (
        "costofcare:calculation-submit",
        lambda w: [calculation_for(w).pk],
        "post",
        only(*PROVIDER, other=MISSING, status=REDIRECT),
    ),
    ("costofcare:returns", lambda w: [], "get", only(*COUNCIL)),
    ("costofcare:assumption-list", lambda w: [], "get", only("council_admin")),
    ("costofcare:assumption-new", lambda w: [], "get", only("council_admin")),
    ("costofcare:assumption-new", lambda w: [], "post", only("council_admin")),
    ("costofcare:assumption-edit", lambda w: [assumption_set_for(w).pk], "get", only("council_admin")),
    ("costofcare:assumption-edit", lambda w: [assumption_set_for(w).pk], "post", only("council_admin")),
]


def assumption_set_for(w):
    """The 2026/27 set (the two seeded sets made once per world)."""
    if not hasattr(w, "assumption_set"):
        from datetime import date

        from carenetwork.costofcare.models import AssumptionSet
        from tests.costofcare.helpers import seed_sets

        seed_sets()
        w.assumption_set = AssumptionSet.objects.get(effective_from=date(2026, 4, 1))
    return w.assumption_set


def calculation_for(w):
    """A draft calculation of the provider (made once per world)."""
    if not hasattr(w, "calculation"):
        from datetime import date

        from carenetwork.costofcare.calculators import HomeCareInputs
        from carenetwork.costofcare.inputs import home_care_to_json
        from carenetwork.costofcare.models import CostCalculation

        w.calculation = CostCalculation.objects.create(
            organisation=w.provider,
            as_at=date(2026, 5, 1),
            assumption_set=assumption_set_for(w),
            inputs=home_care_to_json(HomeCareInputs()),
        )
    return w.calculation
