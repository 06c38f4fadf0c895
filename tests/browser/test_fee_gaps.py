"""Fee gaps in a browser: a council administrator follows the home page to the fee gaps (home care below the
minimum), adds a rate (errors first), enters a new National Living Wage from April 2027 and sees the uplift every
rate then needs. Each page state is checked with axe, and at 320 px for sideways scrolling."""

from datetime import date
from decimal import Decimal as D

from carenetwork.costofcare.demo_rates import council_rates_seed
from carenetwork.costofcare.models import CouncilRate
from tests.browser.pages import (
    assert_error_summary_links_to_fields,
    assert_reflows_and_accessible,
    expect,
    sign_in,
    submit,
    success_banner,
)
from tests.costofcare.helpers import seed_sets


def test_council_admin_enters_a_new_wage_and_sees_which_rates_fall_below(mobile_page, council_admin):
    seed_sets()
    council_rates_seed()
    page = mobile_page
    sign_in(page, council_admin)
    page.goto("/")
    page.get_by_role("link", name="1 council rate below the cost of care minimum").click()
    expect(page.locator("#headline")).to_contain_text("1 rate is below the cost of care minimum")
    expect(page.locator("#fee-gaps")).to_contain_text("Below the minimum")
    assert_reflows_and_accessible(page, "Fee gaps")

    page.get_by_role("link", name="Add a rate").first.click()
    submit(page, "Save the rate")
    assert_error_summary_links_to_fields(page)
    assert_reflows_and_accessible(page, "Add a rate: errors")
    page.get_by_label("Home care").check()
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("10")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Rate", exact=True).fill("29.10")
    page.get_by_label("Volume the council buys each week").fill("18000")
    submit(page, "Save the rate")
    expect(success_banner(page)).to_contain_text("The rate for Home care from 1 October 2026 has been saved")
    assert CouncilRate.objects.filter(effective_from=date(2026, 10, 1), rate=D("29.10")).exists()

    page.goto("/cost-of-care/assumptions/new/")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_label("Label", exact=True).fill("2027/28")
    page.get_by_label("National Living Wage (£ an hour)").fill("13.40")
    submit(page, "Save the assumptions")
    page.goto("/cost-of-care/fee-gaps/")
    uplift = page.locator("#uplift-2027-04-01")
    expect(uplift).to_have_text("Uplift needed from 1 April 2027")
    expect(page.locator("main")).to_contain_text("The National Living Wage is £13.40 an hour from this date")
    expect(page.locator("main")).to_contain_text("5 rates in force on that date need an uplift")
    table = page.get_by_role("region", name="Uplift needed from 1 April 2027")
    expect(table).to_contain_text("Residential care")
    expect(table).to_contain_text("£4.22")  # £789.22 − £785.00 a week
    assert_reflows_and_accessible(page, "Fee gaps with a new wage")

    page.get_by_role("link", name="Every rate recorded").click()
    assert_reflows_and_accessible(page, "The council's rates")
