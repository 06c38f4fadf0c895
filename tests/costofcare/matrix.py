"""Authorisation matrix rows for the fair cost of care (see tests/test_authorisation_matrix.py).

A provider's admins and members run the calculators (home care and care home) and see only their own provider's
calculations of either kind (another provider's is a 404: they may not know it exists); council staff see the submitted
returns as quartiles; council administrators keep the dated assumption sets.
"""

from tests.matrix_roles import MISSING, REDIRECT, only

PROVIDER = ("provider_member", "provider_admin")
CALCULATORS = (*PROVIDER, "other_admin")
COUNCIL = ("council_officer", "council_admin")

COSTOFCARE_CASES = [
    ("costofcare:home-care", lambda w: [], "get", only(*CALCULATORS)),
    # An empty POST: the form's errors.
    ("costofcare:home-care", lambda w: [], "post", only(*CALCULATORS)),
    ("costofcare:care-home", lambda w: [], "get", only(*CALCULATORS)),
    ("costofcare:care-home", lambda w: [], "post", only(*CALCULATORS)),
    ("costofcare:calculation-list", lambda w: [], "get", only(*CALCULATORS)),
    # A care home's calculation: the same rules as home care's.
    (
        "costofcare:calculation-detail",
        lambda w: [care_home_calculation_for(w).pk],
        "get",
        only(*PROVIDER, other=MISSING),
    ),
    (
        "costofcare:calculation-submit",
        lambda w: [care_home_calculation_for(w).pk],
        "post",
        only(*PROVIDER, other=MISSING, status=REDIRECT),
    ),
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
    ("costofcare:fee-gaps", lambda w: [], "get", only(*COUNCIL)),
    ("costofcare:fee-gaps-csv", lambda w: [], "get", only(*COUNCIL)),
    ("costofcare:fee-gaps-xlsx", lambda w: [], "get", only(*COUNCIL)),
    ("costofcare:rate-list", lambda w: [], "get", only(*COUNCIL)),
    ("costofcare:rate-new", lambda w: [], "get", only("council_admin")),
    ("costofcare:rate-new", lambda w: [], "post", only("council_admin")),
    ("costofcare:rate-edit", lambda w: [council_rate_for(w).pk], "get", only("council_admin")),
    ("costofcare:rate-edit", lambda w: [council_rate_for(w).pk], "post", only("council_admin")),
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


def care_home_calculation_for(w):
    """A draft care home calculation of the provider, for nursing care (made once per world)."""
    if not hasattr(w, "care_home_calculation"):
        from datetime import date

        from carenetwork.costofcare.calculators import CareHomeInputs, Category
        from carenetwork.costofcare.inputs import care_home_to_json
        from carenetwork.costofcare.models import CostCalculation

        w.care_home_calculation = CostCalculation.objects.create(
            organisation=w.provider,
            kind=CostCalculation.Kind.CARE_HOME,
            as_at=date(2026, 5, 1),
            assumption_set=assumption_set_for(w),
            inputs=care_home_to_json(CareHomeInputs(), Category.NURSING),
        )
    return w.care_home_calculation


def council_rate_for(w):
    """One of the demo rates (made once per world)."""
    if not hasattr(w, "council_rate"):
        from carenetwork.costofcare.demo_rates import council_rates_seed
        from carenetwork.costofcare.models import CouncilRate

        council_rates_seed()
        w.council_rate = CouncilRate.objects.first()
    return w.council_rate
