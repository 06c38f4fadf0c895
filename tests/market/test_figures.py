"""The sub-markets' kept figures follow every change to the directory and the returns, and equal a recount."""

import datetime

import pytest

from carenetwork.market.figures import market_figures_recount
from carenetwork.market.models import SubMarketFigures, SubMarketMonth
from carenetwork.market.returns import capacity_return_save, this_month
from carenetwork.organisations import services
from carenetwork.organisations.models import ServiceType
from tests.factories import LocationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def kept(by="area"):
    return {(r.service_type_id, r.area): (r.providers, r.capacity) for r in SubMarketFigures.objects.filter(by=by)}


def test_locations_added_moved_and_deleted_keep_their_sub_markets_figures(provider, other_provider):
    home = provider.locations.get()
    assert kept()[home.service_type_id, "Eastmarsh Central"] == (1, 40)
    second = LocationFactory(organisation=other_provider, capacity=10)
    assert kept()[home.service_type_id, "Eastmarsh Central"] == (2, 50)

    services.location_save(
        actor=None, organisation=other_provider, location=second, data={"area": "Saltcote"}, check=False
    )
    assert kept()[home.service_type_id, "Eastmarsh Central"] == (1, 40)
    assert kept()[home.service_type_id, "Saltcote"] == (1, 10)

    second.service_type = ServiceType.objects.get(ascwds_code=1)
    second.save()
    assert (home.service_type_id, "Saltcote") not in kept() and kept()[second.service_type_id, "Saltcote"] == (1, 10)
    second.delete()
    assert (second.service_type_id, "Saltcote") not in kept()
    assert market_figures_recount() == []


def test_a_provider_closing_takes_its_locations_out_and_reopening_brings_them_back(provider):
    home = provider.locations.get()
    provider.is_active = False
    provider.save()
    assert (home.service_type_id, home.area) not in kept()
    provider.is_active = True
    provider.save(update_fields=["is_active"])
    assert kept()[home.service_type_id, home.area] == (1, 40)
    assert market_figures_recount() == []


def test_a_return_saved_updates_its_months_figures(provider, provider_admin):
    home = provider.locations.get()
    data = {"beds": 40, "occupied": 30, "vacant_accepting": 6, "care_direct": 20, "care_agency": 5}
    capacity_return_save(actor=provider_admin, location=home, data=data)
    row = SubMarketMonth.objects.get(by="area", service_type=home.service_type, area=home.area, month=this_month())
    assert (row.returned_providers, row.returned_occupied, row.vacant, row.staff, row.agency) == (1, 30, 6, 25, 5)
    assert (row.largest_returned, row.largest_occupied) == (1, 30)
    assert market_figures_recount() == []


def test_the_recount_reports_a_wrong_figure_and_repairs_it(provider):
    home = provider.locations.get()
    SubMarketFigures.objects.filter(by="local_authority").update(capacity=999)
    SubMarketMonth.objects.create(
        by="area", service_type=home.service_type, area="Nowhere", month=datetime.date(2020, 1, 1), staff=3
    )
    differences = market_figures_recount(repair=True)
    assert {d.table for d in differences} == {"market sub-markets", "market sub-market months"}
    assert len(differences) == 2
    assert market_figures_recount() == []
    assert SubMarketFigures.objects.get(by="local_authority").capacity == 40


def test_a_location_without_a_service_type_is_in_no_sub_market(provider):
    before = kept()
    office = LocationFactory(organisation=OrganisationFactory(), service_type=None, capacity=99)
    assert kept() == before
    office.delete()
    assert market_figures_recount() == []
