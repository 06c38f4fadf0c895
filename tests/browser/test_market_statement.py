"""The market position statement in a browser: an officer drafts a section, inserts a live supply block, publishes
version 2 and compares it with version 1; a provider comments and sees the council's response; the public reads the
statement signed out, on a desktop and at 320 px. Every page is checked with axe."""

import pytest
from django.core import mail

from carenetwork.market.statement_services import draft_sections, statement_publish
from carenetwork.organisations.models import ServiceType
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
    success_banner,
)
from tests.browser.test_market import care_homes
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def version_one(council_officer, provider, other_provider):
    care_homes(provider, other_provider)
    draft_sections()
    return statement_publish(actor=council_officer, summary="Our first statement", notify=False)


def test_officer_inserts_a_supply_block_publishes_version_2_and_compares_it_with_version_1(
    page, mobile_page, council_officer, provider, version_one
):
    sign_in(page, council_officer)
    page.goto("/market/statement/draft/")
    assert_accessible(page, "Statement draft")
    page.get_by_role("link", name="Change What the council is doing and intends to commission").click()
    page.get_by_label("Text").fill("We will commission more dementia care in Kingsmere.")
    page.get_by_label("Live block to insert").select_option("supply")
    submit(page, "Insert the block")
    expect(page.get_by_label("Text")).to_have_value(
        "We will commission more dementia care in Kingsmere.\n\n[[supply]]\n"
    )
    assert_accessible(page, "Statement section: block inserted")
    page.get_by_label("Heading").fill("")
    submit(page, "Save the section")
    assert_error_summary_links_to_fields(page)
    page.get_by_label("Heading").fill("What we will commission")
    submit(page, "Save the section")
    expect(success_banner(page)).to_contain_text("'What we will commission' has been saved in the draft")

    # More beds arrive before version 2: its frozen figures differ from version 1's.
    LocationFactory(
        organisation=provider, capacity=12, area="Kingsmere", service_type=ServiceType.objects.get(ascwds_code=2)
    )
    submit(page, "Publish version 2")
    assert_error_summary_links_to_fields(page)
    page.get_by_label("What has changed in this version").fill("Our commissioning intentions, with live supply.")
    submit(page, "Publish version 2")
    expect(success_banner(page)).to_contain_text("Version 2 is published")
    expect(page.locator("#section-3-heading")).to_have_text("What we will commission")
    expect(page.locator("#section-3")).to_contain_text("Care home services without nursing")
    assert_accessible(page, "Statement version 2")

    page.get_by_role("link", name="Every version, and what changed between them").click()
    assert_accessible(page, "Statement history")
    submit(page, "Compare")
    expect(page.locator("h1")).to_have_text("What changed from version 1 to version 2")
    expect(page.locator("ins", has_text="dementia")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Figures that changed: Current supply")
    assert_accessible(page, "Statement comparison")

    mobile_page.goto("/market/statement/compare/?older=1&newer=2")  # public: signed out
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Statement comparison at 320 px")


def test_provider_comments_and_sees_the_councils_response(
    page, new_context, provider_admin, council_officer, version_one
):
    sign_in(page, provider_admin)
    page.goto("/market/statement/")
    page.locator("#section-2 summary").click()
    page.locator("#section-2").get_by_label("Your comment on this section").fill("Our new home opens in May.")
    page.locator("#section-2").get_by_role("button", name="Add your comment").click()
    expect(success_banner(page)).to_contain_text("Your comment has been added")
    expect(page.locator("#section-2")).to_contain_text("The council has not responded yet.")
    assert_accessible(page, "Statement with a comment")

    officer = new_context().new_page()
    sign_in(officer, council_officer)
    officer.goto("/")
    officer.get_by_role("link", name="1 comment on the market position statement to respond to").click()
    officer.get_by_role("link", name=f"Respond to the comment by {provider_admin.get_full_name()}").click()
    expect(officer.get_by_label("The council's response")).to_be_visible()
    assert_accessible(officer, "Respond to a comment")
    officer.get_by_label("The council's response").fill("Thank you: we will add it to the next version.")
    submit(officer, "Publish the response")
    expect(success_banner(officer)).to_contain_text("Your response has been published")

    page.reload()
    expect(page.locator("#section-2")).to_contain_text("Thank you: we will add it to the next version.")
    assert any(provider_admin.email in m.to for m in mail.outbox)


def test_the_public_reads_the_statement_signed_out(page, mobile_page, version_one, provider_admin):
    page.goto("/market/statement/")
    expect(page.locator("h1")).to_have_text("Market position statement")
    expect(page.locator("main")).to_contain_text("Predicted demand")
    expect(page.locator("main")).not_to_contain_text("Comment on this section")
    assert_accessible(page, "Public statement")
    mobile_page.goto("/market/statement/")
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Public statement at 320 px")
    # Printing leaves out the navigation and the links that only work on screen.
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header")).to_be_hidden()
    expect(page.locator("#contents-heading")).to_be_hidden()


def test_the_statements_other_pages_are_accessible(page, council_officer, provider, other_provider):
    page.goto("/market/statement/")
    expect(page.locator("h1")).to_have_text("Market position statement")
    assert_accessible(page, "Statement: nothing published yet")
    care_homes(provider, other_provider)
    sign_in(page, council_officer)
    page.goto("/market/statement/draft/preview/")
    expect(page.locator("main")).to_contain_text("Preview: not published")
    assert_accessible(page, "Statement preview with today's figures")
    page.goto("/market/statement/draft/")
    submit(page, "Publish version 1")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Publish: error")
    page.get_by_role("link", name="Add a section").click()
    submit(page, "Save the section")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add a section: error")
    page.goto("/market/statement/draft/")
    page.get_by_role("link", name="Change How to be involved").click()
    page.get_by_role("link", name="Take this section out of the draft").click()
    assert_accessible(page, "Take a section out: are you sure")
    page.goto("/market/statement/comments/")
    assert_accessible(page, "Comments: none")
    page.goto("/market/statement/versions/")
    assert_accessible(page, "Every version: none")
