"""The market pages in a browser: a council administrator sets the council's area (error, then saved), a council
officer reads predicted demand with its chart and the sustainability verdicts, a provider reads supply with small
sub-markets hidden; each page checked with axe, on a desktop and at 320 px, in its empty and populated states."""

from pathlib import Path

import pytest

from carenetwork.market.figures import market_figures_recount
from carenetwork.market.population import load_file
from carenetwork.organisations.models import Location, ServiceType
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import LocationFactory, OrganisationFactory

POPULATION = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "population"


def close_every_location():
    """Take the conftest's own locations out of the market (a bulk update, so the kept figures are recounted, as
    after any bulk load)."""
    Location.objects.update(is_active=False)
    market_figures_recount(repair=True)


def load_havering():
    if not POPULATION.is_dir():
        pytest.skip(f"The population data files are not at {POPULATION}")
    for name in ("ons_ltla_to_utla_lookup_dec2022.csv", "poppi_pansi_prevalence_assumptions_2022.csv"):
        load_file(actor=None, name=name, content=(POPULATION / name).read_bytes())
    path = POPULATION / "ons_snpp2016_persons_age60to90plus_by_lad_2016_2041.csv"
    load_file(actor=None, name=path.name, content=path.read_bytes(), areas={"E09000016"})


def care_homes(provider, other_provider):
    close_every_location()
    kind = ServiceType.objects.get(ascwds_code=2)
    third, fourth = OrganisationFactory(name="Third Care"), OrganisationFactory(name="Fourth Care")
    for org, beds in ((provider, 60), (other_provider, 30), (third, 20), (fourth, 10)):
        LocationFactory(organisation=org, capacity=beds, area="Kingsmere", service_type=kind, cqc_rating="Good")
    LocationFactory(organisation=third, capacity=15, area="Saltcote", service_type=kind)


def test_council_admin_sets_the_area_and_officer_reads_demand_and_sustainability(
    page, mobile_page, council_admin, council_officer, provider, other_provider
):
    sign_in(page, council_admin)
    page.goto("/market/")
    expect(page.locator("h1")).to_have_text("The care market")
    assert_accessible(page, "Market overview: nothing set up")
    page.goto("/market/demand/")
    expect(page.locator("main")).to_contain_text("No population projections by age have been loaded yet")
    assert_accessible(page, "Demand: nothing loaded")

    load_havering()
    page.goto("/market/settings/")
    page.get_by_label("the council's area (ONS codes)").fill("E0900001")
    submit(page, "Save the settings")
    assert_error_summary_links_to_fields(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("E0900001 is not a code in the ONS area lookup")
    assert_accessible(page, "Market settings: unknown area")
    page.get_by_label("the council's area (ONS codes)").fill("e09000016")
    submit(page, "Save the settings")
    expect(success_banner(page)).to_contain_text("The market settings have been saved")

    page.goto("/market/demand/")
    expect(page.locator("main")).to_contain_text("For Havering, from the ONS 2016-based")
    expect(page.locator("svg.app-chart")).to_be_visible()
    expect(page.locator("#demand-table tbody tr")).to_have_count(2040 - 2026 + 1)
    expect(page.locator("#demand-table")).to_contain_text("Dementia")
    assert_accessible(page, "Demand: Havering")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table as XLSX (Excel)").click()
    assert download.value.suggested_filename == "predicted-demand.xlsx"

    care_homes(provider, other_provider)
    sign_in(mobile_page, council_officer)
    for path, label in (("/market/demand/", "Demand"), ("/market/sustainability/", "Sustainability")):
        mobile_page.goto(path)
        assert horizontal_overflow(mobile_page) == 0, path
        assert_accessible(mobile_page, f"{label} at 320 px")
    expect(mobile_page.locator("#sustainability-table")).to_contain_text(provider.name)
    expect(mobile_page.locator("#sustainability-table .govuk-tag--red").first).to_be_visible()


def test_provider_reads_supply_without_small_sub_markets(page, provider, provider_admin, other_provider):
    sign_in(page, provider_admin)
    page.goto("/market/supply/")
    assert_accessible(page, "Supply: empty")
    care_homes(provider, other_provider)
    page.goto("/market/supply/")
    rows = page.locator("#supply-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("not shown: fewer than 3 providers")
    expect(page.locator("main")).not_to_contain_text(provider.name)
    assert_accessible(page, "Supply: populated")
    page.goto("/market/sustainability/")
    expect(page.locator("h1")).not_to_have_text("Market sustainability")


def test_care_home_admin_returns_three_homes_with_no_change_and_one_changed_figure(
    page, mobile_page, provider, provider_admin, council_officer
):
    from carenetwork.market.models import CapacityReturn
    from carenetwork.market.returns import month_before, this_month

    Location.objects.filter(organisation=provider).delete()
    kind = ServiceType.objects.get(ascwds_code=2)
    homes = [
        LocationFactory(organisation=provider, name=name, capacity=30, service_type=kind)
        for name in ("Ash House", "Birch House", "Cedar House")
    ]
    last = month_before(this_month())
    for home in homes:
        CapacityReturn.objects.create(location=home, month=last, beds=30, occupied=27, vacant_accepting=2)

    sign_in(page, provider_admin)
    page.goto("/market/returns/")
    assert_accessible(page, "Capacity returns: none made this month")
    page.get_by_role("button", name="No change since last month for Ash House").click()
    expect(success_banner(page)).to_contain_text("Ash House: no change since last month, saved")
    page.get_by_role("button", name="No change since last month for Birch House").click()
    page.get_by_role("link", name="Enter this month's figures for Cedar House").click()
    expect(page.get_by_label("Beds occupied")).to_have_value("27")
    page.get_by_label("Beds occupied").fill("31")
    submit(page, "Save the return")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Capacity return: more occupied than beds")
    page.get_by_label("Beds occupied").fill("28")
    page.get_by_label("Vacant beds accepting admissions").fill("1")
    submit(page, "Save the return")
    expect(success_banner(page)).to_contain_text("The return for Cedar House has been saved")
    expect(page.locator(".govuk-tag--green")).to_have_count(3)
    assert_accessible(page, "Capacity returns: all made")
    made = {r.location.name: (r.occupied, r.no_change) for r in CapacityReturn.objects.filter(month=this_month())}
    assert made == {"Ash House": (27, True), "Birch House": (27, True), "Cedar House": (28, False)}

    sign_in(mobile_page, council_officer)
    mobile_page.goto("/market/returns/completion/")
    expect(mobile_page.locator("#provider-table")).to_contain_text(provider.name)
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Capacity returns completion at 320 px")
