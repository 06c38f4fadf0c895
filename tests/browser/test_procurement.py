"""Procurement in a browser. An officer drafts a £400,000 home care contract, sees the below-threshold advice change
live as the value changes, reserves it for SMEs, adds three lots and the criteria, and publishes; a provider finds it on
the board and registers interest. Each page state is checked with axe and at 320 px."""

from datetime import timedelta

from django.utils import timezone

from carenetwork.procurement.models import Opportunity
from tests.browser.conftest import MOBILE
from tests.browser.pages import (
    assert_error_summary_links_to_fields,
    assert_reflows_and_accessible,
    expect,
    sign_in,
    submit,
    success_banner,
)
from tests.procurement.factories import opportunity_for


def _fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_officer_drafts_checks_the_advice_and_publishes_a_contract_in_three_lots(
    new_context, council_officer, provider_admin
):
    page = new_context().new_page()
    today = timezone.localdate()
    sign_in(page, council_officer)
    page.goto("/procurement/")
    page.get_by_role("link", name="Draft an opportunity").click()
    submit(page, "Save the draft")
    assert_error_summary_links_to_fields(page)
    assert_reflows_and_accessible(page, "Draft an opportunity: errors")

    page.get_by_label("Title").fill("Home care in three areas")
    page.get_by_label("Description").fill("Home care for older people, in three lots by area.")
    page.get_by_label("Estimated total value, including VAT").fill("700000")
    _fill_date(page, "When does (or did) the procurement start?", today)
    advice = page.locator("#advice-panel")
    expect(advice).to_contain_text("At or above the threshold")  # £700,000 is above the light touch threshold
    page.get_by_label("Estimated total value, including VAT").fill("400000")
    page.get_by_label("Contract length in months").fill("36")
    expect(advice).to_contain_text("Below the threshold")
    expect(advice).to_contain_text("s85")  # below threshold: no pre-qualification step
    _fill_date(page, "Tender notice published", today)
    _fill_date(page, "Tender deadline", today + timedelta(days=14))
    expect(advice).to_contain_text("The tender period is short")  # 14 days: no time to form consortia
    _fill_date(page, "Tender deadline", today + timedelta(days=42))
    page.get_by_label("Reserved for SMEs and VCSEs").check()
    assert_reflows_and_accessible(page, "Draft an opportunity with advice")
    submit(page, "Save the draft")
    expect(success_banner(page)).to_contain_text("Home care in three areas has been saved")
    expect(page.locator("main")).to_contain_text("Before you can publish it")
    assert_reflows_and_accessible(page, "A draft opportunity")

    for area in ("North", "Central", "South"):
        page.get_by_role("link", name="Add a lot").click()
        page.get_by_label("Title").fill(f"{area} Eastmarsh")
        page.get_by_label("Value including VAT").fill("133000")
        submit(page, "Save")
    for kind, name, weight in (
        ("Quality", "Quality of care", "60"),
        ("Price", "Price", "30"),
        ("Social value", "Local jobs", "10"),
    ):
        page.get_by_role("link", name="Add a criterion").click()
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("What is assessed").fill(name)
        page.get_by_label("Weight (%)").fill(weight)
        submit(page, "Save")
    expect(page.locator("main")).to_contain_text("Lot 3: South Eastmarsh")
    expect(page.locator("main")).to_contain_text("Ready to publish")
    submit(page, "Publish")
    expect(success_banner(page)).to_contain_text("is on the board")
    opportunity = Opportunity.objects.get(title="Home care in three areas")
    assert opportunity.status == Opportunity.Status.OPEN and opportunity.lots.count() == 3
    assert opportunity.reserved_sme_vcse

    provider_page = new_context().new_page()
    sign_in(provider_page, provider_admin)
    provider_page.goto("/procurement/?sme=on")
    assert_reflows_and_accessible(provider_page, "The board, filtered")
    provider_page.get_by_role("link", name="Home care in three areas").click()
    submit(provider_page, f"Register interest for {provider_admin.memberships.first().organisation.name}")
    expect(success_banner(provider_page)).to_contain_text("registered as interested")
    assert_reflows_and_accessible(provider_page, "An opportunity, as a provider")


def test_the_advice_is_checked_without_javascript(new_context, council_officer):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, council_officer)
    page.goto("/procurement/new/")
    page.get_by_label("Title").fill("Day opportunities")
    page.get_by_label("Description").fill("Day opportunities for people with a learning disability.")
    page.get_by_label("Estimated total value, including VAT").fill("900000")
    _fill_date(page, "When does (or did) the procurement start?", timezone.localdate())
    submit(page, "Check the advice")
    expect(page.locator("#advice-panel")).to_contain_text("At or above the threshold")
    assert not Opportunity.objects.exists()


def test_officer_cancels_an_opportunity_saying_why(new_context, council_officer):
    opportunity = opportunity_for(title="Day opportunities in Kingsmere")
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, council_officer)
    page.goto(f"/procurement/{opportunity.pk}/")
    page.get_by_role("link", name="Cancel the opportunity").click()
    submit(page, "Cancel the opportunity")
    assert_error_summary_links_to_fields(page)
    assert_reflows_and_accessible(page, "Cancel the opportunity: errors")
    page.get_by_label("Why is it cancelled?").fill("The service is being brought in house.")
    submit(page, "Cancel the opportunity")
    expect(success_banner(page)).to_contain_text("Day opportunities in Kingsmere has been cancelled")
    expect(page.locator("main")).to_contain_text("Cancelled")
    assert_reflows_and_accessible(page, "A cancelled opportunity")


def test_officer_deletes_a_draft_after_confirming(new_context, council_officer):
    draft = opportunity_for(title="A draft to drop", status=Opportunity.Status.DRAFT)
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, council_officer)
    page.goto(f"/procurement/{draft.pk}/")
    page.get_by_role("link", name="Delete the draft").click()
    assert_reflows_and_accessible(page, "Delete the draft")
    submit(page, "Delete the draft")
    expect(success_banner(page)).to_contain_text("The draft A draft to drop has been deleted")
    assert not Opportunity.objects.filter(pk=draft.pk).exists()
