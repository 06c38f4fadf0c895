"""Procurement journeys in a browser (issue 14, "Quality"), each person in their own context, every page state checked
with axe and at 320 px for sideways scrolling:

- a provider asks a clarification question; the officer follows the home page to it and answers it to all; another
  provider that registered interest reads the answer and is emailed it, and never learns who asked;
- two providers find each other in the consortium finder: the message goes to the organisation, never through (or
  to) a person's own email address;
- the officer records each lot's bidders after the tender deadline, marks the successful bids and sends written
  feedback, which the unsuccessful bidder reads;
- the officer records an invoice and sees the days to pay and the payments compliance (UK17) figures, with CSV links;
- the opportunity form with the keyboard alone, its rule advice a live region;
- an anonymous visitor reads the board and an open opportunity.
"""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal as D

from django.core import mail
from django.utils import timezone

from carenetwork.core.access import PAGE_SIZE
from carenetwork.procurement import payments
from carenetwork.procurement.models import Bid, ConsortiumMessage, Contract, Interest, Invoice, Opportunity, Question
from tests.browser.conftest import MOBILE
from tests.browser.pages import (
    assert_error_summary_links_to_fields,
    assert_reflows_and_accessible,
    expect,
    focused_element,
    link_in_last_email,
    main_text,
    sign_in,
    submit,
    success_banner,
    tab_to,
)
from tests.procurement.factories import contract_for, opportunity_for


def _phone(new_context):
    """A page 320 CSS pixels wide, on a touch screen, in its own context (its own cookies)."""
    return new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()


def _fill_date(scope, legend: str, day) -> None:
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _emails_to(address: str, subject_start: str) -> list:
    return [m for m in mail.outbox if address in m.to and m.subject.startswith(subject_start)]


def test_a_question_is_answered_to_all_without_saying_who_asked(
    new_context, live_server, council_officer, provider, provider_admin, other_provider, other_admin
):
    opportunity = opportunity_for()

    # Another provider registers interest first, so that it is sent every answer.
    other = _phone(new_context)
    sign_in(other, other_admin)
    other.goto(f"/procurement/{opportunity.pk}/")
    submit(other, f"Register interest for {other_provider.name}")
    expect(success_banner(other)).to_contain_text("registered as interested")
    expect(other.locator("main")).to_contain_text("No questions have been answered yet.")
    assert_reflows_and_accessible(other, "An opportunity, interest registered")

    asker = _phone(new_context)
    sign_in(asker, provider_admin)
    asker.goto(f"/procurement/{opportunity.pk}/")
    assert_reflows_and_accessible(asker, "An opportunity, as the provider that will ask")
    asker.get_by_role("link", name="Ask the council a question").click()
    expect(asker.get_by_role("heading", level=1)).to_have_text("Ask the council a question")
    assert_reflows_and_accessible(asker, "Ask a question")
    submit(asker, "Send your question")
    assert_error_summary_links_to_fields(asker)
    assert_reflows_and_accessible(asker, "Ask a question: errors")
    asker.get_by_label("Your question").fill("Will the council pay for travel time between visits in the rural lot?")
    submit(asker, "Send your question")
    expect(success_banner(asker)).to_contain_text("Your question has been sent to the council")
    expect(asker.locator("#waiting")).to_be_visible()
    assert_reflows_and_accessible(asker, "Ask a question: the question waits")

    officer = _phone(new_context)
    sign_in(officer, council_officer)
    officer.goto("/")
    assert_reflows_and_accessible(officer, "Home page with a question to answer")
    panel = officer.locator("main h3:text-is('Procurement') + ul")  # the home page's panel of things to do
    panel.get_by_role("link", name="1 clarification question to answer").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Questions waiting for an answer")
    expect(officer.get_by_test_id("asked-by")).to_have_text(provider.name)  # only council staff learn who asked
    assert_reflows_and_accessible(officer, "Questions waiting for an answer")
    officer.get_by_role("link", name="Answer the question").click()
    assert_reflows_and_accessible(officer, "Answer a question")
    officer.get_by_label("The question, as it will be published").fill(
        "Will the council pay for travel time between visits?"
    )
    officer.get_by_label("Your answer").fill("Yes: the hourly rate includes travel time, paid per visit.")
    submit(officer, "Publish the answer")
    expect(success_banner(officer)).to_contain_text("Your answer has been published")
    expect(officer.locator("main")).to_contain_text("No question is waiting for an answer.")
    assert_reflows_and_accessible(officer, "Questions waiting for an answer: none left")
    question = Question.objects.get()
    assert question.answered_at is not None

    # The other provider is emailed the answer and reads it on the opportunity's page: nothing says who asked.
    emails = _emails_to(other_admin.email, "Answer to a question about")
    assert len(emails) == 1
    assert "Yes: the hourly rate includes travel time" in emails[0].body
    assert provider.name not in emails[0].subject + emails[0].body
    assert provider_admin.email not in emails[0].to + emails[0].reply_to + emails[0].cc
    other.goto(f"/procurement/{opportunity.pk}/")
    card = other.locator(f"#question-{question.pk}")
    expect(card).to_contain_text("Will the council pay for travel time between visits?")
    expect(card).to_contain_text("Yes: the hourly rate includes travel time, paid per visit.")
    assert_reflows_and_accessible(other, "An opportunity with an answer, as another provider")
    assert provider.name not in other.content()
    assert provider_admin.full_name not in other.content()
    other.goto(link_in_last_email(other_admin.email, live_server.url))
    expect(other.locator(f"#question-{question.pk}")).to_contain_text("paid per visit")
    assert_reflows_and_accessible(other, "Questions and answers, from the email")
    assert provider.name not in other.content()


def test_two_providers_find_each_other_as_consortium_partners(
    new_context, provider, provider_admin, other_provider, other_admin
):
    opportunity = opportunity_for()

    poster = _phone(new_context)
    sign_in(poster, provider_admin)
    poster.goto(f"/procurement/{opportunity.pk}/")
    poster.get_by_role("link", name="Find partners to bid with (consortium finder)").click()
    expect(poster.locator("main")).to_contain_text("No organisation has posted yet.")
    assert_reflows_and_accessible(poster, "Consortium finder, empty")
    poster.get_by_role("link", name="Say what your organisation offers").click()
    assert_reflows_and_accessible(poster, "Say what your organisation offers")
    submit(poster, "Post it")
    assert_error_summary_links_to_fields(poster)
    assert_reflows_and_accessible(poster, "Say what your organisation offers: errors")
    poster.get_by_label("What your organisation offers").fill("Home care and night sits in the south of the borough")
    poster.get_by_label("The partner you are looking for").fill("A provider that covers the north and can take lot 1")
    poster.get_by_label("Lot 1: Area 1").check()
    poster.get_by_label("Lot 2: Area 2").check()
    poster.get_by_label("Area (optional)", exact=True).fill("Eastmarsh South")
    submit(poster, "Post it")
    expect(success_banner(poster)).to_contain_text("Your post is on the consortium finder")
    assert_reflows_and_accessible(poster, "Consortium finder with the organisation's post")

    finder = _phone(new_context)
    sign_in(finder, other_admin)
    finder.goto(f"/procurement/{opportunity.pk}/consortium/")
    post = finder.locator(".govuk-summary-card", has_text=provider.name)
    expect(post).to_contain_text("night sits in the south")
    expect(post).to_contain_text("Lot 2: Area 2")
    assert_reflows_and_accessible(finder, "Consortium finder, as another provider")
    assert provider_admin.email not in finder.content()
    post.get_by_role("link", name=f"Send a message to {provider.name}").click()
    assert_reflows_and_accessible(finder, "Send a message")
    submit(finder, "Send the message")
    assert_error_summary_links_to_fields(finder)
    assert_reflows_and_accessible(finder, "Send a message: errors")
    finder.get_by_label("Your message").fill(
        "We cover Northbrook and could take lot 1 with you. Could we talk next week?"
    )
    submit(finder, "Send the message")
    expect(success_banner(finder)).to_contain_text(f"Your message has been sent to {provider.name}")
    assert ConsortiumMessage.objects.get().organisation == other_provider

    # To the post's organisation (its admins and shared mailbox); replies to the sender organisation's mailbox.
    (message,) = [m for m in mail.outbox if "would like to talk about a consortium" in m.subject]
    assert sorted(message.to) == sorted([provider_admin.email, provider.contact_email])
    assert message.reply_to == [other_provider.contact_email]
    assert "could take lot 1 with you" in message.body
    everything = " ".join([message.subject, message.body, *message.to, *message.cc, *message.bcc, *message.reply_to])
    assert other_admin.email not in everything

    # The poster reads the message on the finder, with the sender organisation's mailbox to reply to.
    poster.goto(f"/procurement/{opportunity.pk}/consortium/")
    received = poster.locator("#messages ~ .govuk-summary-card", has_text=f"From {other_provider.name}")
    expect(received).to_contain_text("could take lot 1 with you")
    expect(received.get_by_role("link", name=other_provider.contact_email)).to_be_visible()
    assert other_admin.email not in poster.content()
    assert_reflows_and_accessible(poster, "Consortium finder with a message received")


def test_officer_awards_each_lot_and_the_unsuccessful_bidder_reads_its_feedback(
    new_context, live_server, council_officer, provider, other_provider, other_admin
):
    today = timezone.localdate()
    opportunity = opportunity_for(
        lots=2, tender_deadline=today - timedelta(days=1), questions_deadline=today - timedelta(days=10)
    )
    lot_1, lot_2 = opportunity.lots.order_by("number")

    officer = _phone(new_context)
    sign_in(officer, council_officer)
    officer.goto(f"/procurement/{opportunity.pk}/")
    expect(officer.locator("main")).to_contain_text("Closed")  # open, but past its tender deadline
    assert_reflows_and_accessible(officer, "An opportunity past its tender deadline, as the officer")
    officer.get_by_role("link", name="Record the outcome and feedback").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Record the award")
    assert_reflows_and_accessible(officer, "Record the award")

    # A successful bid with no score and no contract value: errors first.
    row = officer.locator(f"#lot-{lot_1.pk}-0")
    row.get_by_label("Bidder").select_option(label=provider.name)
    row.get_by_label("Successful", exact=True).check()
    submit(officer, "Save the bids")
    assert_error_summary_links_to_fields(officer)
    expect(officer.locator(".govuk-error-summary")).to_contain_text("Enter the bid's score")
    expect(officer.locator(".govuk-error-summary")).to_contain_text("Enter the contract value for a successful bid")
    assert_reflows_and_accessible(officer, "Record the award: errors")

    row = officer.locator(f"#lot-{lot_1.pk}-0")
    row.get_by_label("Score (%)").fill("78.5")
    row.get_by_label("Contract value, including VAT").fill("200000")
    row = officer.locator(f"#lot-{lot_1.pk}-1")
    row.get_by_label("Bidder").select_option(label=other_provider.name)
    row.get_by_label("Score (%)").fill("64")
    row.get_by_label("Unsuccessful", exact=True).check()
    row = officer.locator(f"#lot-{lot_2.pk}-0")
    row.get_by_label("Bidder").select_option(label=other_provider.name)
    row.get_by_label("Score (%)").fill("81")
    row.get_by_label("Successful", exact=True).check()
    row.get_by_label("Contract value, including VAT").fill("190000")
    submit(officer, "Save the bids")
    expect(success_banner(officer)).to_contain_text("Every lot is decided: the opportunity is now awarded")
    expect(officer.locator("#status")).to_have_text("Awarded")
    expect(officer.locator(f"#lot-{lot_1.pk}-bids")).to_contain_text("£200,000.00")
    assert_reflows_and_accessible(officer, "Record the award: every lot decided")
    assert Opportunity.objects.get(pk=opportunity.pk).status == Opportunity.Status.AWARDED
    assert Contract.objects.filter(lot__opportunity=opportunity).count() == 2
    losing = Bid.objects.get(lot=lot_1, organisation=other_provider)

    officer.locator(f"#lot-{lot_1.pk}-bids").get_by_role(
        "link", name=f"Write feedback for {other_provider.name}"
    ).click()
    expect(officer.locator("#bid-summary")).to_contain_text("78.5%")  # the winning score, beside the bid's 64%
    assert_reflows_and_accessible(officer, "Feedback for a bidder")
    submit(officer, "Send the feedback")  # the outline, unchanged
    assert_error_summary_links_to_fields(officer)
    assert_reflows_and_accessible(officer, "Feedback for a bidder: errors")
    officer.get_by_label("Feedback").fill(
        "Quality (60%)\nStrengths: a clear plan for recruiting carers locally.\n"
        "Weaknesses: little on how visits would be covered in bad weather.\n\n"
        "How to improve a future bid: show your rota for rural rounds."
    )
    submit(officer, "Send the feedback")
    expect(success_banner(officer)).to_contain_text(f"The feedback has been sent to {other_provider.name}")
    expect(officer.locator(f"#lot-{lot_1.pk}-bids")).to_contain_text("Sent")
    assert_reflows_and_accessible(officer, "Record the award: feedback sent")

    # The unsuccessful bidder follows its email to the feedback.
    emails = _emails_to(other_admin.email, "Feedback on your bid")
    assert len(emails) == 1 and "show your rota for rural rounds" in emails[0].body
    bidder = _phone(new_context)
    sign_in(bidder, other_admin)
    bidder.goto(link_in_last_email(other_admin.email, live_server.url))
    assert bidder.url.endswith(f"/procurement/bids/{losing.pk}/feedback/")
    expect(bidder.get_by_role("heading", level=1)).to_have_text("Feedback on your bid")
    expect(bidder.locator("#bid-summary")).to_contain_text("Unsuccessful")
    expect(bidder.locator("#feedback")).to_contain_text("show your rota for rural rounds")
    expect(bidder.locator("main")).to_contain_text("your organisation keeps its place in the forums and the directory")
    assert_reflows_and_accessible(bidder, "Feedback on your bid, as the bidder")


def test_officer_records_an_invoice_and_sees_the_payments_compliance_figures(new_context, council_officer, provider):
    today = timezone.localdate()
    period = payments.last_complete_period(today)
    assert period is not None, "the test needs a finished payments compliance reporting period"
    opportunity = opportunity_for(status=Opportunity.Status.AWARDED, procurement_start=payments.LARGE_PAYMENTS_FROM)
    contract = contract_for(provider, opportunity=opportunity, awarded_on=period.start - timedelta(days=30))
    # One invoice paid late already: 45 days.
    received_late = period.start + timedelta(days=10)
    Invoice.objects.create(
        contract=contract,
        reference="WCH-001",
        amount=D("41250.00"),
        received_on=received_late,
        undisputed_on=received_late,
        paid_on=received_late + timedelta(days=45),
    )

    officer = _phone(new_context)
    sign_in(officer, council_officer)
    officer.goto(f"/procurement/contracts/{contract.pk}/")
    assert_reflows_and_accessible(officer, "A contract with one invoice")
    officer.get_by_role("link", name="Record an invoice").click()
    assert_reflows_and_accessible(officer, "Record an invoice")

    received = period.end - timedelta(days=40)
    officer.get_by_label("Invoice number").fill("WCH-002")
    officer.get_by_label("Amount, including VAT").fill("38500")
    _fill_date(officer, "Received", received)
    _fill_date(officer, "Paid", received - timedelta(days=2))  # paid before it was received
    submit(officer, "Save the invoice")
    assert_error_summary_links_to_fields(officer)
    expect(officer.locator(".govuk-error-summary")).to_contain_text(
        "The day it was paid must be on or after the day it was received"
    )
    assert_reflows_and_accessible(officer, "Record an invoice: errors")
    _fill_date(officer, "Paid", received + timedelta(days=25))
    submit(officer, "Save the invoice")
    expect(success_banner(officer)).to_contain_text("Invoice WCH-002 has been saved")

    invoices = officer.get_by_role("region", name="Payment on time")
    expect(invoices.locator("tr", has_text="WCH-001")).to_contain_text("45")
    expect(invoices.locator("tr", has_text="WCH-001")).to_contain_text("Paid late")
    expect(invoices.locator("tr", has_text="WCH-002")).to_contain_text("25")
    expect(invoices.locator("tr", has_text="WCH-002")).to_contain_text("Paid on time")
    summary = officer.locator("#payment-summary")
    expect(summary).to_contain_text("35.0")  # (45 + 25) / 2
    expect(summary).to_contain_text("50.0% of the paid invoices")
    assert_reflows_and_accessible(officer, "A contract with two invoices")

    officer.get_by_role("link", name="Back to payment on time").click()
    expect(officer.locator("main")).to_contain_text(f"for {period.label}")
    compliance = officer.locator("#compliance")
    expect(compliance.locator(".govuk-summary-list__row", has_text="Payments made")).to_contain_text("2")
    expect(compliance.locator(".govuk-summary-list__row", has_text="Average days to pay")).to_contain_text("35.0")
    expect(compliance.locator(".govuk-summary-list__row", has_text="Paid within 30 days")).to_contain_text("50.0%")
    expect(compliance.locator(".govuk-summary-list__row", has_text="Paid in 31 to 60 days")).to_contain_text("50.0%")
    expect(compliance.locator(".govuk-summary-list__row", has_text="Paid in 61 days or more")).to_contain_text("0.0%")
    expect(officer.locator("#contracts")).to_contain_text(opportunity.title)
    assert_reflows_and_accessible(officer, "Payment on time")

    # The downloads are links (not buttons or forms), each as CSV and as XLSX, and they answer with CSV or XLSX.
    downloads = officer.locator("main a[download]")
    expect(downloads).to_have_count(4)
    compliance_link = officer.get_by_role("link", name=f"Download the figures for {period.label} (CSV)")
    response = officer.request.get(compliance_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    assert rows["Payments made in the period"] == "2"
    assert rows["Average number of days taken to pay"] == "35.0"
    assert rows["% paid within 30 days (day 1 to 30)"] == "50.0"
    large_link = officer.get_by_role("link", name=re.compile(r"^Download the payments over £30,000 .*\(CSV\)$"))
    response = officer.request.get(large_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/csv")
    large_xlsx = officer.get_by_role("link", name=re.compile(r"^Download the payments over £30,000 .* as XLSX"))
    response = officer.request.get(large_xlsx.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_opportunity_form_works_with_the_keyboard_and_announces_the_advice(new_context, council_officer):
    page = _phone(new_context)
    sign_in(page, council_officer)
    page.goto("/procurement/new/")
    advice = page.locator("#advice-panel")
    expect(advice).to_have_attribute("aria-live", "polite")
    expect(advice).to_contain_text("Enter the estimated value")
    expect(advice).not_to_contain_text("Below the threshold")
    start = timezone.localdate() + timedelta(days=7)

    tab_to(page, "#id_title", limit=80)
    page.keyboard.type("Extra care in Ashby Fen")
    tab_to(page, "#id_description")
    page.keyboard.type("Extra care housing support for older people.")
    tab_to(page, "#id_value")
    page.keyboard.type("400000")
    # The panel follows what was typed, without a page load, and focus stays where it was.
    expect(advice).to_contain_text("Below the threshold")
    expect(advice).not_to_contain_text("Enter the estimated value")
    assert page.evaluate("document.activeElement.id") == "id_value", focused_element(page)
    tab_to(page, "#id_procurement_start_0")
    for part in (start.day, start.month, start.year):
        page.keyboard.type(str(part))
        page.keyboard.press("Tab")
    expect(advice).to_contain_text(f"This procurement starts on {start.day} {start:%B %Y}")
    assert_reflows_and_accessible(page, "Draft an opportunity, with the advice typed for")

    presses = tab_to(page, "#opportunity-form button:not([name])", limit=60)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Save the draft", focused_element(page)
    assert presses > 1
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(success_banner(page)).to_contain_text("Extra care in Ashby Fen has been saved")
    assert Opportunity.objects.filter(title="Extra care in Ashby Fen", status=Opportunity.Status.DRAFT).exists()
    assert_reflows_and_accessible(page, "A draft saved with the keyboard")


def test_anonymous_visitor_reads_the_board_and_an_open_opportunity(mobile_page):
    opportunity = opportunity_for(reserved_sme_vcse=True)
    opportunity_for(title="Day opportunities in Northbrook", lots=1)
    page = mobile_page
    page.goto("/procurement/")
    expect(page.get_by_role("heading", level=2, name="2 open opportunities")).to_be_visible()
    assert_reflows_and_accessible(page, "The board, anonymous")
    page.get_by_role("link", name=opportunity.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(opportunity.title)
    sign_in_link = page.get_by_role("link", name="Sign in to read the questions and answers")
    expect(sign_in_link).to_be_visible()
    expect(sign_in_link).to_have_attribute("href", f"/accounts/login/?next=/procurement/{opportunity.pk}/")
    expect(page.get_by_role("button", name="Register interest")).to_have_count(0)
    assert "Ask the council a question" not in main_text(page)
    assert_reflows_and_accessible(page, "An open opportunity, anonymous")
    assert not Interest.objects.exists()


def test_many_answered_questions_show_the_latest_and_page_through_the_rest(new_context, provider, provider_admin):
    opportunity = opportunity_for()
    for n in range(1, PAGE_SIZE + 6):
        Question.objects.create(
            opportunity=opportunity,
            organisation=provider,
            text=f"Asked {n:02d}?",
            answer="Yes.",
            answered_at=timezone.now() + timedelta(seconds=n),
        )
    total = PAGE_SIZE + 5
    phone = _phone(new_context)
    sign_in(phone, provider_admin)
    phone.goto(f"/procurement/{opportunity.pk}/")
    expect(phone.locator("main")).to_contain_text(f"These are the latest 5 of {total} answered questions")
    assert_reflows_and_accessible(phone, "An opportunity with many answered questions")

    phone.get_by_role("link", name=f"Read all {total} questions and answers").click()
    expect(phone.locator("main")).to_contain_text("Asked 01?")
    assert_reflows_and_accessible(phone, "Questions and answers: page 1")
    phone.get_by_role("link", name="Next").click()
    expect(phone.locator("main")).to_contain_text(f"Asked {total:02d}?")
    expect(phone.locator("main")).not_to_contain_text("Asked 01?")
    assert_reflows_and_accessible(phone, "Questions and answers: page 2")
