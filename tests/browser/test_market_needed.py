"""Needed services in a browser: a signed-out visitor finds the list from the footer and reads a service (axe on a
desktop and at 320 px); a person with no organisation registers interest (an error first), an officer replies from
the service's page, and the person reads the reply."""

from carenetwork.market.models_statement import NeededService, ServiceInterest
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    horizontal_overflow,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import UserFactory

SERVICE = "Day opportunities for autistic adults"


def needs() -> NeededService:
    """One open service, one in discussion and one filled."""
    NeededService.objects.create(
        service="Extra care housing",
        client_group=NeededService.ClientGroup.OLDER,
        locality="Eastmarsh Central",
        evidence="A waiting list of over 40 people.",
        status=NeededService.Status.DISCUSSING,
    )
    NeededService.objects.create(
        service="Weekend breaks for carers",
        client_group=NeededService.ClientGroup.CARERS,
        locality="Oldbridge",
        evidence="The carers' survey.",
        status=NeededService.Status.FILLED,
    )
    return NeededService.objects.create(
        service=SERVICE,
        client_group=NeededService.ClientGroup.LEARNING,
        locality="Across the borough",
        evidence="Young autistic people leaving college have few options.",
        caveats="Small grants of up to £5,000 are available.",
    )


def test_a_signed_out_visitor_reads_the_needed_services(page, mobile_page):
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Services the council needs").click()
    expect(page.locator("h1")).to_have_text("Needed and desired services")
    expect(page.locator("main")).to_contain_text("The council is not looking for any services at the moment.")
    assert_accessible(page, "Needed services: empty")

    need = needs()
    page.reload()
    expect(page.locator(".govuk-summary-card")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("Weekend breaks for carers")
    assert_accessible(page, "Needed services: populated, signed out")
    page.get_by_role("link", name="See the services that have been filled or withdrawn").click()
    expect(page.locator("main")).to_contain_text("Weekend breaks for carers")
    page.get_by_role("link", name="Clear filters").click()

    page.get_by_role("link", name=SERVICE).click()
    expect(page.locator("h1")).to_have_text(SERVICE)
    expect(page.locator("main")).to_contain_text("Small grants of up to £5,000 are available.")
    expect(page.get_by_test_id("sign-in-to-register").get_by_role("link", name="Sign in")).to_have_attribute(
        "href", f"/accounts/login/?next=%2Fmarket%2Fneeded%2F{need.pk}%2F"
    )
    assert_accessible(page, "A needed service, signed out")

    for path, label in (("/market/needed/", "Needed services"), (f"/market/needed/{need.pk}/", "A needed service")):
        mobile_page.goto(path)
        assert horizontal_overflow(mobile_page) == 0, f"{label} scrolls sideways at 320 px"
        assert_accessible(mobile_page, f"{label} at 320 px")


def test_someone_with_no_organisation_registers_interest_and_reads_the_councils_reply(
    new_context, mobile_page, council_officer
):
    need = needs()
    person = UserFactory(full_name="Joy Mensah", email="joy@example.org")
    visitor = new_context().new_page()
    visitor.goto(f"/market/needed/{need.pk}/")
    visitor.get_by_test_id("sign-in-to-register").get_by_role("link", name="Sign in").click()
    visitor.fill("input[name=login]", person.email)
    visitor.fill("input[name=password]", "a-long-test-password")
    visitor.locator("main form button[type=submit], main form button:not([type])").first.click()
    visitor.wait_for_url(f"**/market/needed/{need.pk}/")

    expect(visitor.get_by_label("Your name")).to_have_value("Joy Mensah")
    assert_accessible(visitor, "Register your interest: empty")
    submit(visitor, "Register your interest")
    assert_error_summary_links_to_fields(visitor)
    assert_accessible(visitor, "Register your interest: error")
    visitor.get_by_label("About you and what you could offer").fill("I want to start a small community day group.")
    submit(visitor, "Register your interest")
    expect(success_banner(visitor)).to_contain_text("Your interest has been registered")
    expect(visitor.get_by_test_id("reply")).to_contain_text("No reply yet")
    expect(visitor.get_by_role("button", name="Register your interest")).to_have_count(0)
    assert_accessible(visitor, "Your interest: waiting for a reply")

    officer = new_context().new_page()
    sign_in(officer, council_officer)
    officer.goto("/")
    officer.get_by_role("link", name="1 interest in needed services awaiting a reply").click()
    officer.get_by_role("link", name=SERVICE).click()
    card = officer.locator(".govuk-summary-card", has_text="Joy Mensah")
    expect(card).to_contain_text("joy@example.org")
    expect(card).to_contain_text("Not part of an organisation yet")
    assert_accessible(officer, "A needed service with interest, council officer")
    submit(officer, "Send your reply to Joy Mensah")
    assert_error_summary_links_to_fields(officer)
    assert_accessible(officer, "Reply: error")
    officer.get_by_label("Your reply to Joy Mensah").fill("Thank you: we have small grants to help you start.")
    submit(officer, "Send your reply to Joy Mensah")
    expect(success_banner(officer)).to_contain_text("Your reply to Joy Mensah has been sent")
    assert ServiceInterest.objects.get().reply.startswith("Thank you")

    visitor.reload()
    expect(visitor.get_by_test_id("reply")).to_contain_text("we have small grants to help you start")
    sign_in(mobile_page, person)
    mobile_page.goto(f"/market/needed/{need.pk}/")
    assert horizontal_overflow(mobile_page) == 0
    assert_accessible(mobile_page, "Your interest with the reply at 320 px")
