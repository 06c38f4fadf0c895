"""Every write of the fair cost of care: assumption sets (council administrators; audited), and a provider's
calculations (saved as drafts, submitted as its cost return)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.costofcare import calculators, permissions
from carenetwork.costofcare.inputs import care_home_to_json, home_care_to_json
from carenetwork.costofcare.models import AssumptionSet, CostCalculation
from carenetwork.costofcare.selectors import (
    OPTIONAL,
    REQUIRED,
    AssumptionsMissing,
    assumption_set_on,
    assumptions_for,
    work_out,
)

SET_FIELDS = ["effective_from", "label", *REQUIRED, "ssp_from_day_one", *OPTIONAL, "sources"]
FIGURES = [*REQUIRED, "ssp_from_day_one", *OPTIONAL]


def assumption_set_create(*, actor, data: dict) -> AssumptionSet:
    """Add the figures in force from a new date (the way figures change: earlier sets are kept as they were)."""
    require(actor is None or permissions.can_manage_assumptions(actor))
    obj = AssumptionSet(created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for name in SET_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    _check_set(obj)
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action="assumption_set.created", obj=obj, changes=audit.snapshot(obj, SET_FIELDS))
    return obj


@transaction.atomic
def assumption_set_update(*, actor, assumption_set: AssumptionSet, data: dict) -> AssumptionSet:
    """Correct a set. Once a saved calculation has used it, its figures stay as they were: only a blank ("not yet
    published") figure may be filled in, so that every saved calculation still says which figures it used."""
    require(permissions.can_manage_assumptions(actor))
    obj = AssumptionSet.objects.select_for_update().get(pk=assumption_set.pk)
    before = audit.snapshot(obj, SET_FIELDS)
    used = obj.calculations.exists()
    errors = {}
    for name in SET_FIELDS:
        if name not in data:
            continue
        old, new = getattr(obj, name), data[name]
        if used and old != new and (name == "effective_from" or (name in FIGURES and old is not None)):
            errors[name] = _(
                "Saved calculations have used this figure, so it cannot change: add a new dated set instead"
            )
        setattr(obj, name, new)
    if errors:
        raise ValidationError(errors)
    _check_set(obj)
    obj.full_clean()
    obj.save()
    changes = audit.diff(before, audit.snapshot(obj, SET_FIELDS))
    audit.record(actor=actor, action="assumption_set.updated", obj=obj, changes=changes)
    return obj


def _check_set(obj: AssumptionSet) -> None:
    errors = {}
    if obj.pension_band_low is not None and obj.pension_band_high is not None:
        if obj.pension_band_high <= obj.pension_band_low:
            errors["pension_band_high"] = _("The upper limit must be more than the lower limit")
    for name in ("ni_rate", "pension_rate", "ssp_earnings_share"):
        value = getattr(obj, name)
        if value is not None and not 0 <= value <= 1:
            errors[name] = _("Enter a share between 0 and 1, such as 0.15 for 15%")
    if errors:
        raise ValidationError(errors)


# Whose pay is below the National Living Wage (calculators.BelowNationalLivingWage.who): the form field it is in.
PAY_FIELDS = {
    "Careworker": "pay_per_hour",
    "Care worker": "care_worker_pay",
    "Nurse": "nurse_pay",
    "Support staff": "support_staff_pay",
    "Management": "management_pay",
}


def _set_and_result(as_at: date, calculate):
    """The set in force on the day and `calculate(assumptions)` with it; the calculators' errors as
    ValidationErrors (on the date, or on the pay field below the National Living Wage)."""
    assumption_set = assumption_set_on(as_at)
    try:
        if assumption_set is None:
            raise AssumptionsMissing(_("No assumptions are in force on that date"))
        result = calculate(assumptions_for(assumption_set))
    except AssumptionsMissing as error:
        raise ValidationError({"as_at": error.message}) from error
    except calculators.BelowNationalLivingWage as error:
        raise ValidationError({PAY_FIELDS.get(error.who, "pay_per_hour"): str(error)}) from error
    except calculators.CostInputError as error:
        raise ValidationError(str(error)) from error
    return assumption_set, result


def home_care_calculate(*, as_at: date, inputs: calculators.HomeCareInputs):
    """The price per contact hour as at a date, and the set it used (nothing is saved)."""
    return _set_and_result(as_at, lambda assumptions: calculators.home_care_rate(inputs, assumptions))


def care_home_calculate(*, as_at: date, inputs: calculators.CareHomeInputs):
    """The weekly fee of each care home category as at a date, and the set it used (nothing is saved)."""
    return _set_and_result(as_at, lambda assumptions: calculators.care_home_fee(inputs, assumptions))


def calculation_save(
    *,
    actor,
    organisation,
    as_at: date,
    inputs: calculators.HomeCareInputs | calculators.CareHomeInputs,
    kind: str = CostCalculation.Kind.HOME_CARE,
    category: calculators.Category | None = None,
) -> CostCalculation:
    """Save a provider's calculation as a draft (private to the provider): home care, or a care home's with the
    category whose weekly fee is its price."""
    require(any(org.pk == organisation.pk for org in permissions.calculating_organisations(actor)))
    if kind == CostCalculation.Kind.CARE_HOME:
        if not isinstance(inputs, calculators.CareHomeInputs) or category is None:
            raise ValueError("A care home calculation takes CareHomeInputs and a category.")
        data = care_home_to_json(inputs, category)
    elif kind == CostCalculation.Kind.HOME_CARE and isinstance(inputs, calculators.HomeCareInputs):
        data = home_care_to_json(inputs)
    else:
        raise ValueError(f"A {kind} calculation cannot take {type(inputs).__name__}.")
    assumption_set, (_result, price) = _set_and_result(as_at, lambda assumptions: work_out(kind, data, assumptions))
    obj = CostCalculation(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        as_at=as_at,
        assumption_set=assumption_set,
        inputs=data,
        blended_price=price,
    )
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def calculation_submit(*, actor, calculation: CostCalculation) -> CostCalculation:
    """Submit a draft as the provider's cost return for its year (the assumption set's); a return already submitted
    for that year (of the same kind) is marked replaced. The price is worked again and kept: home care's price per
    contact hour, or a care home's weekly fee of its chosen category."""
    require(permissions.can_view_calculation(actor, calculation))
    obj = CostCalculation.objects.select_for_update().get(pk=calculation.pk)
    if obj.status != CostCalculation.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted"))
    # Lock the provider's returns of that year too, so that two submissions cannot both stand.
    earlier = list(
        CostCalculation.objects.select_for_update().filter(
            organisation_id=obj.organisation_id,
            kind=obj.kind,
            assumption_set_id=obj.assumption_set_id,
            status=CostCalculation.Status.SUBMITTED,
        )
    )
    try:
        _result, price = work_out(obj.kind, obj.inputs, assumptions_for(obj.assumption_set))
    except AssumptionsMissing as error:
        raise ValidationError(error.message) from error
    except calculators.CostInputError as error:
        raise ValidationError(str(error)) from error
    for old in earlier:
        old.status = CostCalculation.Status.REPLACED
        old.save(update_fields=["status", "modified_at"])
    obj.status = CostCalculation.Status.SUBMITTED
    obj.submitted_at = timezone.now()
    obj.blended_price = price
    obj.save(update_fields=["status", "submitted_at", "blended_price", "modified_at"])
    # Council administrators read the audit trail: an event naming the provider, beside the quartiles moving at
    # five returns, would show its figure. So the event says that a return came in, not whose.
    audit.record(actor=None, action="cost_return.submitted", obj=obj, label=_("A provider's cost return"))
    return obj


def assumption_sets_seed(*, actor=None) -> list[AssumptionSet]:
    """The 2025/26 and 2026/27 sets from the calculators' published figures, where missing (the demo)."""
    made = []
    for a, label, sources in SEEDS:
        if AssumptionSet.objects.filter(effective_from=a.effective_from).exists():
            continue
        data = {name: getattr(a, name) for name in FIGURES}
        data.update(effective_from=a.effective_from, label=label, sources=sources)
        made.append(assumption_set_create(actor=actor, data=data))
    return made


_COMMON = (
    "Employer National Insurance: HMRC, rates and thresholds for employers (15% above £5,000 a year from April "
    "2025). Pension: The Pensions Regulator, automatic enrolment employer minimum 3% on qualifying earnings "
    "£6,240–£50,270. Holiday: 5.6 weeks, Working Time Regulations 1998."
)
SEEDS = [
    (
        calculators.ASSUMPTIONS_2025_26,
        "2025/26",
        "National Living Wage £12.21 from 1 April 2025: GOV.UK, National Minimum Wage and National Living Wage "
        f"rates. {_COMMON} Statutory Sick Pay £118.75 a week after 3 waiting days, lower earnings limit £125: "
        "GOV.UK, Statutory Sick Pay. Homecare Association minimum price for homecare 2025/26: £32.14 an hour.",
    ),
    (
        calculators.ASSUMPTIONS_2026_27,
        "2026/27",
        "National Living Wage £12.71 from 1 April 2026: GOV.UK, National Minimum Wage and National Living Wage "
        f"rates. {_COMMON} Statutory Sick Pay £123.25 a week from day one, at most 80% of weekly pay: Employment "
        "Rights Act 2025. Homecare Association minimum price for 2026/27: not yet published.",
    ),
]
