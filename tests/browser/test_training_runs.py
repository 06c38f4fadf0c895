"""Community buy-in in a real browser: a provider admin registers interest and watches the price fall when another
provider joins; a run short by two places is offered to a partner council, which takes them, and the run confirms;
the council's run form and decision page; naming delegates and cancelling. Every page is axe-checked in its empty,
error and populated states, and taking places works with JavaScript off."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from carenetwork.organisations.models import Role
from carenetwork.training import decisions, interests
from carenetwork.training.models import CourseRun, Interest
from tests.browser.pages import (
    assert_accessible,
    assert_error_summary_links_to_fields,
    expect,
    main_text,
    sign_in,
    submit,
    success_banner,
)
from tests.factories import OrganisationFactory, person_in, sector
from tests.records.factories import StaffMemberFactory
from tests.training.factories import course_for, run_for


def another_provider(name):
    organisation = OrganisationFactory(name=name, sectors=[sector("home-care")])
    return organisation, person_in(organisation, Role.ADMIN)


def test_provider_admin_registers_interest_and_watches_the_price_fall_when_another_provider_joins(
    page, mobile_page, provider, provider_admin, training_org
):
    run = run_for(course_for(training_org), fee="600", minimum=4, capacity=12)
    url = reverse("training:run-detail", args=[run.pk])

    sign_in(page, provider_admin)
    page.goto(url)
    expect(page.get_by_test_id("most-per-place")).to_have_text("£150.00")
    expect(page.get_by_test_id("still-needed")).to_contain_text("4 more places")
    assert_accessible(page, "Run page: nobody interested yet")

    page.get_by_label("How many places?").fill("0")
    submit(page, "Register interest")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Interest form: error")

    page.get_by_label("How many places?").fill("2")
    page.get_by_label("The most you will pay per place (optional)").fill("140")
    submit(page, "Save")
    expect(success_banner(page)).to_contain_text("interest in 2 places is registered")
    expect(page.get_by_test_id("my-places")).to_contain_text("2")
    expect(page.get_by_test_id("still-needed")).to_contain_text("2 more places")
    assert "Below today's price" in main_text(page), "a limit under £150 is flagged before the deadline"
    assert_accessible(page, "Run page: with our interest")
    page.get_by_role("link", name="Withdraw your interest").click()
    assert_accessible(page, "Withdraw the interest")
    page.get_by_role("link", name="Keep it").click()

    other, other_admin = another_provider("Heron Home Care")
    interests.interest_save(actor=other_admin, run=run, organisation=other, places=3)
    page.reload()
    expect(page.get_by_test_id("places-taken")).to_contain_text("5 of 12")
    expect(page.get_by_test_id("most-per-place")).to_have_text("£120.00")
    expect(page.get_by_test_id("still-needed")).to_contain_text("Enough places are taken")
    expect(page.get_by_test_id("price-steps")).to_contain_text("1 more place brings the price to £100.00")
    assert "Below today's price" not in main_text(page), "£140 now covers the price"

    # The same page on a phone, and the change of mind.
    sign_in(mobile_page, provider_admin)
    mobile_page.goto(url)
    assert mobile_page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    mobile_page.get_by_role("link", name="Change your interest").click()
    assert_accessible(mobile_page, "Change interest on a phone")
    mobile_page.get_by_label("How many places?").fill("3")
    submit(mobile_page, "Save")
    expect(mobile_page.get_by_test_id("most-per-place")).to_have_text("£100.00")


def test_a_run_short_by_two_is_offered_to_a_partner_council_which_takes_them_and_the_run_confirms(
    page, new_context, provider, provider_admin, training_org, partner_org, partner_member, council_officer
):
    run = run_for(course_for(training_org), tiers=[(1, "90"), (5, "70"), (10, "55")], minimum=5, partner_margin=2)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=3)
    run_url = reverse("training:run-detail", args=[run.pk])

    partner = new_context().new_page()
    sign_in(partner, partner_member)
    assert partner.goto(run_url).status == 404, "partners do not see the run before it is offered to them"

    with time_machine.travel(run.interest_deadline + timedelta(minutes=1), tick=False):
        decisions.decide_due()
    run.refresh_from_db()
    assert run.status == CourseRun.Status.PARTNERS

    partner.goto(reverse("training:catalogue"))
    partner.get_by_role("link", name=run.course.title).first.click()
    expect(partner.locator("main .govuk-tag").first).to_have_text("Offered to partners")
    expect(partner.get_by_test_id("still-needed")).to_contain_text("2 more places")
    assert_accessible(partner, "Run page: offered to partners")
    partner.get_by_label("How many places?").fill("2")
    submit(partner, "Register interest")
    expect(success_banner(partner)).to_contain_text("Westmere District Council")
    expect(partner.get_by_test_id("still-needed")).to_contain_text("Enough places are taken")

    with time_machine.travel(run.partner_deadline + timedelta(minutes=1), tick=False):
        decisions.decide_due()
    run.refresh_from_db()
    assert run.status == CourseRun.Status.CONFIRMED and run.was_rescued

    sign_in(page, council_officer)
    page.goto(run_url)
    expect(page.locator("main .govuk-tag").first).to_have_text("Confirmed")
    assert "£70.00 a place" in main_text(page)
    assert "Partner deadline" in main_text(page) and "Interest deadline" in main_text(page)
    assert_accessible(page, "Run page: confirmed, with its decisions")

    partner.goto(reverse("training:my-bookings"))
    assert "£140.00" in main_text(partner)
    assert_accessible(partner, "Your training places: a partner's booking")


def test_council_officer_adds_a_run_and_decides_it_by_override(
    page, council_officer, training_org, provider, provider_admin
):
    course = course_for(training_org)
    sign_in(page, council_officer)
    page.goto(reverse("training:run-add", args=[course.pk]))
    assert_accessible(page, "Run form: empty")
    page.get_by_label("A price per place for each band of places").check()
    page.locator("#id_tiers").fill("1: 70\n5: 90")
    submit(page, "Add the run")
    assert_error_summary_links_to_fields(page)
    assert "must not rise with more places" in main_text(page)
    assert_accessible(page, "Run form: errors")

    run = run_for(course, fee="400", minimum=5)
    interests.interest_save(actor=provider_admin, run=run, organisation=provider, places=2)
    page.goto(reverse("training:run-edit", args=[run.pk]))
    assert_accessible(page, "Run form: a run with interest")
    page.get_by_label("Maximum places").fill("1")
    submit(page, "Save the changes")
    assert_error_summary_links_to_fields(page)
    assert "2 places are taken already" in main_text(page)
    assert_accessible(page, "Run form: change errors")
    page.goto(reverse("training:run-decide", args=[run.pk]))
    assert_accessible(page, "Decide the run: empty")
    page.get_by_label("Confirm the run").check()
    submit(page, "Decide")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Decide the run: no reason")
    page.get_by_label("Reason").fill("Needed before the CQC inspection season")
    submit(page, "Decide")
    expect(page.locator("h1")).to_have_text("Are you sure you want to confirm the run?")
    assert "is going ahead" in main_text(page)  # the email each booked organisation will read
    assert_accessible(page, "Decide the run: check your answers")
    submit(page, "Yes, confirm the run")
    expect(success_banner(page)).to_contain_text("Confirmed")
    assert "Needed before the CQC inspection season" in main_text(page)


def test_provider_admin_names_who_goes_and_cancels_a_place_without_javascript(
    no_js_page, page, provider, provider_admin, training_org
):
    run = run_for(course_for(training_org), fee="300", minimum=1)
    ada = StaffMemberFactory(organisation=provider, name="Ada Lovell")
    ben = StaffMemberFactory(organisation=provider, name="Ben Carter")
    label = lambda person: f"{person.name} ({person.job_role.name}, {person.reference})"  # noqa: E731

    sign_in(page, provider_admin)
    page.goto(reverse("training:my-bookings"))
    assert "no training places yet" in main_text(page)
    assert_accessible(page, "Your training places: empty")

    sign_in(no_js_page, provider_admin)
    no_js_page.goto(reverse("training:run-detail", args=[run.pk]))
    no_js_page.get_by_label("How many places?").fill("2")
    submit(no_js_page, "Register interest")
    assert "interest in 2 places is registered" in main_text(no_js_page)
    decisions.run_decide(run=run)

    interest = Interest.objects.get(run=run, organisation=provider)
    page.goto(reverse("training:booking-detail", args=[interest.pk]))
    assert "£300.00" in main_text(page)
    assert_accessible(page, "Booking: nobody named")
    page.get_by_label("Place 1").select_option(label=label(ada))
    page.get_by_label("Place 2").select_option(label=label(ada))
    submit(page, "Save who goes")
    assert "Choose a different person for each place" in main_text(page)
    assert_accessible(page, "Booking: the same person twice")
    page.get_by_label("Place 2").select_option(label=label(ben))
    submit(page, "Save who goes")
    expect(success_banner(page)).to_contain_text("Who goes has been saved")
    assert_accessible(page, "Booking: people named")

    page.get_by_role("link", name="Cancel places").click()
    assert_accessible(page, "Cancel places")
    page.get_by_label("How many places do you want to cancel?").fill("1")
    submit(page, "Cancel the places")
    expect(page.locator("h1")).to_have_text("Are you sure you want to cancel 1 place?")
    assert_accessible(page, "Cancel places: confirm")
    submit(page, "Yes, cancel the place")
    expect(success_banner(page)).to_contain_text("cancelled")
    interest.refresh_from_db()
    assert interest.places == 1 and interest.delegates.count() == 1
