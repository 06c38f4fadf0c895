"""The fair cost of care in a browser, on a phone (320 px): a home care manager works out a rate (first with pay
below the National Living Wage: the error), saves it and submits it as the cost return; a care home manager works out
a weekly fee (errors first), sees its chart below the table, saves and submits it; on a wide screen the chart sits
beside the table; a council officer sees the quartiles once five providers have submitted; a council administrator
adds a dated set (error, then saved). Each page state is checked with axe and for sideways scrolling."""

import re
from datetime import date
from decimal import Decimal as D

from carenetwork.costofcare.models import AssumptionSet, CostCalculation
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    assert_reflows_and_accessible,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
    success_banner,
)
from tests.costofcare.helpers import seed_sets, submitted_return
from tests.factories import OrganisationFactory


def test_home_care_manager_computes_saves_and_submits_a_rate_on_a_phone(mobile_page, provider, provider_admin):
    seed_sets()
    page = mobile_page
    sign_in(page, provider_admin)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()  # the service navigation is folded away on a phone
    page.get_by_role("link", name="Cost of care").click()
    expect(page.locator("h1")).to_have_text("Home care hourly rate")
    assert_reflows_and_accessible(page, "Calculator: empty")
    page.get_by_role("link", name="Your saved calculations").click()
    expect(page.locator("main")).to_contain_text("You have not saved a calculation yet")
    assert_reflows_and_accessible(page, "Saved calculations: none")
    page.get_by_role("link", name="Home care hourly rate calculator").click()

    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("5")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Careworker pay (£ an hour)").fill("12.50")
    submit(page, "Work out the rate")
    assert_error_summary_links_to_fields(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "below the National Living Wage of £12.71 in force from 1 April 2026"
    )
    assert_reflows_and_accessible(page, "Calculator: pay below the National Living Wage")

    page.get_by_label("Careworker pay (£ an hour)").fill("13.00")
    submit(page, "Work out the rate")
    expect(page.locator("#breakdown")).to_contain_text("Employer National Insurance")
    expect(page.locator("#by-visit-length tbody tr")).to_have_count(4)
    expect(page.locator("#assumptions-used")).to_contain_text("Not yet published")
    expect(page.locator("#assumptions-used")).to_contain_text("The 2026/27 assumptions")
    assert_reflows_and_accessible(page, "Calculator: result")

    submit(page, "Save as draft")
    expect(success_banner(page)).to_contain_text("saved as a draft")
    assert_reflows_and_accessible(page, "Saved calculation: draft")
    submit(page, "Submit as our cost return")
    expect(success_banner(page)).to_contain_text("Submitted as your cost return for 2026/27")
    expect(page.locator("#status")).to_have_text("Submitted")
    assert_reflows_and_accessible(page, "Saved calculation: submitted")
    calculation = CostCalculation.objects.get()
    assert calculation.status == "submitted" and calculation.organisation == provider

    page.goto("/cost-of-care/calculations/")
    expect(page.locator("main table")).to_contain_text("Submitted")
    assert_reflows_and_accessible(page, "Saved calculations")


def test_care_home_manager_computes_a_weekly_fee_with_its_chart_and_saves_it_on_a_phone(
    mobile_page, provider, provider_admin
):
    seed_sets()
    page = mobile_page
    sign_in(page, provider_admin)
    page.goto("/cost-of-care/home-care/")
    page.get_by_role("link", name="Care home weekly fee calculator").click()
    expect(page.locator("h1")).to_have_text("Care home weekly fee")
    assert_reflows_and_accessible(page, "Care home calculator: empty")

    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("5")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Nursing", exact=True).check()
    page.get_by_label("Occupancy (% of beds filled)").fill("120")
    submit(page, "Work out the fee")
    assert_error_summary_links_to_fields(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter 100 or less")
    assert_reflows_and_accessible(page, "Care home calculator: occupancy over 100%")
    page.get_by_label("Occupancy (% of beds filled)").fill("92")
    page.get_by_label("Nurse pay (£ an hour)").fill("12.00")
    submit(page, "Work out the fee")
    assert_error_summary_links_to_fields(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nurse pay of £12.00 an hour is below")
    assert_reflows_and_accessible(page, "Care home calculator: pay below the National Living Wage")

    page.get_by_label("Nurse pay (£ an hour)").fill("24.00")
    submit(page, "Work out the fee")
    expect(page.locator("#result")).to_contain_text("a week")
    expect(page.locator("#weekly-fees tbody tr")).to_have_count(4)
    expect(page.locator("#breakdown-nursing")).to_contain_text("Nurses' pay")
    bars = page.locator("#breakdown-nursing-chart .app-bar-chart__row")
    expect(bars).to_have_count(page.locator("#breakdown-nursing tbody tr").count() - 1)  # not the total's row
    expect(page.locator("#breakdown-nursing-chart figcaption")).to_contain_text("The table has the same figures")
    assert bars.first.locator(".app-bar-chart__bar").bounding_box()["width"] > 0
    # On a phone the chart stacks below the table.
    table_box = page.locator("#breakdown-nursing").bounding_box()
    chart_box = page.locator("#breakdown-nursing-chart").bounding_box()
    assert chart_box["y"] >= table_box["y"] + table_box["height"]
    page.get_by_text("How the residential fee of").click()
    expect(page.locator("#breakdown-residential-chart")).to_be_visible()
    assert_reflows_and_accessible(page, "Care home calculator: result")

    submit(page, "Save as draft")
    expect(success_banner(page)).to_contain_text("saved as a draft")
    expect(page.locator("#breakdown-nursing-chart")).to_be_visible()
    assert_reflows_and_accessible(page, "Saved care home calculation: draft")
    calculation = CostCalculation.objects.get()
    assert (calculation.kind, calculation.inputs["category"], calculation.organisation) == (
        "care_home",
        "nursing",
        provider,
    )
    submit(page, "Submit as our cost return")
    expect(page.locator("#status")).to_have_text("Submitted")
    assert_reflows_and_accessible(page, "Saved care home calculation: submitted")
    page.goto("/cost-of-care/calculations/")
    expect(page.locator("main table")).to_contain_text("Care home weekly fee as at 1 May 2026")
    assert_reflows_and_accessible(page, "Saved calculations: a care home's")


def test_the_chart_sits_beside_the_table_on_a_wide_screen(page, provider_member):
    seed_sets()
    sign_in(page, provider_member)
    page.goto("/cost-of-care/home-care/")
    submit(page, "Work out the rate")
    table_box = page.locator("#breakdown").bounding_box()
    chart_box = page.locator("#breakdown-chart").bounding_box()
    assert chart_box["x"] >= table_box["x"] + table_box["width"]
    assert chart_box["y"] < table_box["y"] + table_box["height"]
    expect(page.locator("#breakdown-chart .app-bar-chart__row")).to_have_count(
        page.locator("#breakdown tbody tr").count() - 1
    )
    assert horizontal_overflow(page) == 0
    assert_accessible(page, "Home care calculator: result, wide")


def test_council_sees_quartiles_and_adds_a_dated_set(mobile_page, council_officer, council_admin):
    seed_sets()
    page = mobile_page
    sign_in(page, council_officer)
    page.goto("/cost-of-care/returns/")
    expect(page.locator("main")).to_contain_text("No provider has submitted a return yet")
    assert_reflows_and_accessible(page, "Returns: none")
    for price in ("28.00", "30.00", "32.00", "34.00"):
        submitted_return(OrganisationFactory(), D(price))
    page.reload()
    expect(page.locator("#returns")).to_contain_text("Not shown until 5 providers have submitted (4 so far)")
    assert_reflows_and_accessible(page, "Returns: four providers")
    submitted_return(OrganisationFactory(), D("36.00"))
    page.reload()
    expect(page.locator("#returns")).to_contain_text("£32.00")
    assert_reflows_and_accessible(page, "Returns: quartiles")

    page.context.clear_cookies()
    sign_in(page, council_admin)
    page.goto("/cost-of-care/assumptions/")
    assert_reflows_and_accessible(page, "Assumptions")
    page.get_by_role("link", name="Add a new dated set").click()
    expect(page).to_have_url(re.compile(r"/cost-of-care/assumptions/new/$"))
    assert_reflows_and_accessible(page, "New assumptions: empty")
    submit(page, "Save the assumptions")
    assert_error_summary_links_to_fields(page)
    assert_reflows_and_accessible(page, "New assumptions: errors")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_label("Label", exact=True).fill("2027/28")
    page.get_by_label("National Living Wage (£ an hour)").fill("13.10")
    submit(page, "Save the assumptions")
    expect(success_banner(page)).to_contain_text("The 2027/28 assumptions have been added")
    page.goto(f"/cost-of-care/assumptions/{AssumptionSet.objects.get(label='2026/27').pk}/edit/")
    assert_reflows_and_accessible(page, "Correct a set")
    assert AssumptionSet.objects.filter(effective_from=date(2027, 4, 1), national_living_wage=D("13.10")).exists()


def test_the_journey_works_with_javascript_off(no_js_page, provider_member):
    seed_sets()
    page = no_js_page
    sign_in(page, provider_member)
    page.goto("/cost-of-care/home-care/")
    submit(page, "Work out the rate")
    expect(page.locator("#breakdown")).to_contain_text("Workplace pension")
    submit(page, "Save as draft")
    submit(page, "Submit as our cost return")
    expect(page.locator("#status")).to_have_text("Submitted")
