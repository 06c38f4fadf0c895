"""The demo's cost of care: both assumption sets (the 2026/27 Homecare Association price not yet published) and
twelve submitted returns from providers other than the featured one, enough for the council's quartiles; idempotent.
Also the navigation entry: the calculator for providers, the fee gaps for council staff, nothing for the rest."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from carenetwork.costofcare import portal_registration
from carenetwork.costofcare.demo import build_costofcare_demo
from carenetwork.costofcare.models import AssumptionSet, CostCalculation
from carenetwork.costofcare.selectors import cost_return_summary_for
from carenetwork.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_both_sets_and_enough_returns_for_quartiles(council_officer):
    providers = [OrganisationFactory(kind=Organisation.Kind.PROVIDER) for _ in range(14)]
    borough = SimpleNamespace(providers=providers, featured=providers[0])
    build_costofcare_demo(borough)
    build_costofcare_demo(borough)
    sets = {s.label: s for s in AssumptionSet.objects.all()}
    assert set(sets) == {"2025/26", "2026/27"}
    assert sets["2026/27"].homecare_association_price is None and sets["2026/27"].effective_from == date(2026, 4, 1)
    assert "not yet published" in sets["2026/27"].sources
    submitted = CostCalculation.objects.filter(status=CostCalculation.Status.SUBMITTED)
    assert submitted.count() == 12 and not submitted.filter(organisation=providers[0]).exists()
    [summary] = cost_return_summary_for(user=council_officer)
    low, median, high = summary.quartiles
    assert low <= median <= high


def test_navigation_entry_by_role(provider_member, council_officer, training_admin, partner_member):
    assert portal_registration._href(provider_member) == reverse("costofcare:home-care")
    assert portal_registration._href(council_officer) == reverse("costofcare:fee-gaps")
    assert portal_registration._href(training_admin) is None
    assert portal_registration._href(partner_member) is None
