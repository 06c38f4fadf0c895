"""The fair cost of care's rules with the database: the assumption set in force on a day, a blank figure, the
assumption sets' history, saving and submitting a return, and the council's quartiles with the 5-provider rule."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenetwork.core.models import AuditEvent
from carenetwork.costofcare import calculators, selectors, services
from carenetwork.costofcare.calculators import ASSUMPTIONS_2025_26, ASSUMPTIONS_2026_27, HomeCareInputs
from carenetwork.costofcare.models import AssumptionSet, CostCalculation
from tests.costofcare.helpers import seed_sets, submitted_return
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_assumptions_on_picks_the_set_in_force_that_day():
    seed_sets()
    assert selectors.assumptions_on(date(2025, 4, 1)) == ASSUMPTIONS_2025_26
    assert selectors.assumptions_on(date(2026, 3, 31)) == ASSUMPTIONS_2025_26
    assert selectors.assumptions_on(date(2026, 4, 1)) == ASSUMPTIONS_2026_27
    assert selectors.assumptions_on(date(2030, 1, 1)) == ASSUMPTIONS_2026_27


def test_no_set_before_the_first_is_a_clear_error():
    seed_sets()
    with pytest.raises(selectors.AssumptionsMissing, match="No assumptions are in force on 31 March 2025"):
        selectors.assumptions_on(date(2025, 3, 31))


def test_a_blank_needed_figure_is_named_in_the_error():
    seed_sets()
    AssumptionSet.objects.filter(effective_from=date(2026, 4, 1)).update(national_living_wage=None, ni_rate=None)
    with pytest.raises(selectors.AssumptionsMissing) as caught:
        selectors.assumptions_on(date(2026, 6, 1))
    assert caught.value.missing == ["national_living_wage", "ni_rate"]
    assert "National Living Wage (£ an hour), Employer National Insurance rate" in caught.value.message
    assert selectors.assumptions_on(date(2025, 6, 1)) == ASSUMPTIONS_2025_26  # the earlier set is untouched


def test_an_unpublished_homecare_association_price_is_not_an_error():
    seed_sets()
    assert selectors.assumptions_on(date(2026, 4, 1)).homecare_association_price is None
    result = calculators.home_care_rate(HomeCareInputs(), selectors.assumptions_on(date(2026, 4, 1)))
    assert result.below_homecare_association_price is None


def test_a_new_dated_set_is_audited_and_only_council_admins_add_one(council_admin, provider_admin):
    seed_sets()
    data = {name: getattr(ASSUMPTIONS_2026_27, name) for name in services.FIGURES}
    data.update(effective_from=date(2027, 4, 1), label="2027/28", sources="Announced", national_living_wage=D("13.10"))
    with pytest.raises(PermissionDenied):
        services.assumption_set_create(actor=provider_admin, data=data)
    made = services.assumption_set_create(actor=council_admin, data=data)
    assert selectors.assumptions_on(date(2027, 4, 1)).national_living_wage == D("13.10")
    assert AuditEvent.objects.filter(action="assumption_set.created", object_id=str(made.pk)).exists()
    with pytest.raises(ValidationError) as caught:
        services.assumption_set_create(actor=council_admin, data=data)  # the same date again
    assert "effective_from" in caught.value.message_dict


def test_a_used_set_keeps_its_figures_but_a_blank_one_may_be_filled_in(council_admin, provider):
    seed_sets()
    submitted_return(provider, D("30.00"), as_at=date(2026, 5, 1), status=CostCalculation.Status.DRAFT)
    used = AssumptionSet.objects.get(effective_from=date(2026, 4, 1))
    with pytest.raises(ValidationError) as caught:
        services.assumption_set_update(actor=council_admin, assumption_set=used, data={"national_living_wage": D(13)})
    assert "national_living_wage" in caught.value.message_dict
    services.assumption_set_update(
        actor=council_admin, assumption_set=used, data={"homecare_association_price": D("33.00")}
    )
    used.refresh_from_db()
    assert used.homecare_association_price == D("33.00")
    event = AuditEvent.objects.get(action="assumption_set.updated")
    assert event.changes == {"homecare_association_price": [None, "33.00"]}


def test_saving_below_the_national_living_wage_is_refused(provider, provider_admin):
    seed_sets()
    with pytest.raises(ValidationError) as caught:
        services.calculation_save(
            actor=provider_admin,
            organisation=provider,
            as_at=date(2026, 4, 1),
            inputs=HomeCareInputs(pay_per_hour=D("12.50")),
        )
    assert caught.value.message_dict["pay_per_hour"] == [
        "Careworker pay of £12.50 an hour is below the National Living Wage of £12.71 in force from 1 April 2026."
    ]


def test_submitting_keeps_the_price_and_replaces_the_years_earlier_return(provider, provider_admin, other_admin):
    seed_sets()
    first = services.calculation_save(
        actor=provider_admin, organisation=provider, as_at=date(2026, 4, 1), inputs=HomeCareInputs()
    )
    second = services.calculation_save(
        actor=provider_admin,
        organisation=provider,
        as_at=date(2026, 9, 1),
        inputs=HomeCareInputs(pay_per_hour=D("13.50")),
    )
    with pytest.raises(PermissionDenied):
        services.calculation_submit(actor=other_admin, calculation=first)
    services.calculation_submit(actor=provider_admin, calculation=first)
    services.calculation_submit(actor=provider_admin, calculation=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CostCalculation.Status.REPLACED
    assert second.status == CostCalculation.Status.SUBMITTED and second.submitted_at is not None
    expected = calculators.home_care_rate(HomeCareInputs(pay_per_hour=D("13.50")), ASSUMPTIONS_2026_27)
    assert second.blended_price == expected.price_per_contact_hour
    with pytest.raises(ValidationError, match="Only a draft"):
        services.calculation_submit(actor=provider_admin, calculation=second)


def test_quartiles_are_the_inclusive_method_to_the_penny():
    # Inclusive quartiles of 10, 20, 30, 40, 50: positions 1 + (5 − 1) × 0.25 = 2, 3 and 4 → 20, 30, 40.
    assert selectors.quartiles([D(50), D(10), D(30), D(20), D(40)]) == (D("20.00"), D("30.00"), D("40.00"))
    # Of 10, 20, 30, 40: positions 1.75, 2.5, 3.25 → 10 + 0.75 × 10 = 17.50, 25.00, 30 + 0.25 × 10 = 32.50.
    assert selectors.quartiles([D(10), D(20), D(30), D(40)]) == (D("17.50"), D("25.00"), D("32.50"))


def test_quartiles_are_shown_only_from_five_providers(council_officer):
    seed_sets()
    prices = [D("28.00"), D("30.00"), D("32.00"), D("34.00"), D("36.00")]
    for price in prices[:4]:
        submitted_return(OrganisationFactory(), price)
    submitted_return(OrganisationFactory(), D("99.00"), status=CostCalculation.Status.DRAFT)  # drafts never count
    [summary] = selectors.cost_return_summary_for(user=council_officer)
    assert (summary.providers, summary.quartiles) == (4, None)
    submitted_return(OrganisationFactory(), prices[4])
    [summary] = selectors.cost_return_summary_for(user=council_officer)
    assert summary.providers == 5
    assert summary.quartiles == (D("30.00"), D("32.00"), D("34.00"))
    assert summary.assumption_set.label == "2025/26"


def test_only_council_staff_read_the_summary(provider_admin):
    with pytest.raises(PermissionDenied):
        selectors.cost_return_summary_for(user=provider_admin)
