"""Booking forum meetings in a real browser: the waiting list and promotion, the lead's meeting form and the
calendar page, each page checked with axe-core (WCAG 2.x A and AA) in its empty, error and populated states."""

from django.core import mail

from carenetwork.forums import bookings
from carenetwork.forums.models import Booking, ForumMembership
from carenetwork.organisations.models import Role
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


def member_of(forum, name):
    organisation = OrganisationFactory(name=name, sectors=[sector("residential-care")])
    ForumMembership.objects.create(forum=forum, organisation=organisation, status=ForumMembership.Status.ACTIVE)
    return person_in(organisation, Role.MEMBER)


def meeting_path(meeting):
    return f"/forums/{meeting.forum.slug}/meetings/{meeting.pk}/"


def test_member_joins_the_waiting_list_of_a_full_meeting_and_is_promoted_when_someone_cancels(
    page, new_context, meeting, provider_member
):
    sign_in(page, provider_member)
    page.goto(meeting_path(meeting))
    expect(page.locator("h1")).to_have_text(meeting.title)
    expect(page.get_by_role("button", name="Book a place")).to_be_visible()
    assert_accessible(page, "Meeting page: no bookings")

    others = [member_of(meeting.forum, f"Care home {n}") for n in range(meeting.capacity)]
    for person in others:
        bookings.booking_create(actor=person, meeting=meeting)
    page.reload()
    assert "None: the meeting is full" in main_text(page)
    assert_accessible(page, "Meeting page: full")

    submit(page, "Join the waiting list")
    expect(success_banner(page)).to_contain_text("You are on the waiting list")
    assert "You are number 1 on the waiting list" in main_text(page)
    assert_accessible(page, "Meeting page: on the waiting list")

    leaver = new_context().new_page()
    sign_in(leaver, others[0])
    leaver.goto(meeting_path(meeting))
    submit(leaver, "Cancel your place")
    expect(success_banner(leaver)).to_contain_text("Your booking has been cancelled")

    page.reload()
    expect(page.locator("#main-content .govuk-tag").first).to_have_text("Booked")
    assert "You have a place at this meeting" in main_text(page)
    assert_accessible(page, "Meeting page: booked")
    assert Booking.objects.get(meeting=meeting, person=provider_member).status == Booking.Status.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == [provider_member.email]]
    assert promoted and promoted[-1].attachments, "the promoted member was not emailed an invitation"


def test_booking_works_with_javascript_off(no_js_page, meeting, provider_member):
    sign_in(no_js_page, provider_member)
    no_js_page.goto(meeting_path(meeting))
    submit(no_js_page, "Book a place")
    assert "You have a place" in main_text(no_js_page)
    assert Booking.objects.get(meeting=meeting, person=provider_member).status == Booking.Status.CONFIRMED


def test_lead_adds_a_meeting_and_the_form_is_accessible_empty_and_with_errors(page, forum, council_officer):
    sign_in(page, council_officer)
    page.goto(f"/forums/{forum.slug}/meetings/add/")
    assert_accessible(page, "Add a meeting")
    submit(page, "Add the meeting")
    assert_error_summary_links_to_fields(page)
    assert_accessible(page, "Add a meeting: errors")

    page.get_by_label("Title").fill("Spring meeting")
    for prefix, day in (("starts_on", "14"), ("booking_deadline_on", "7"), ("agenda_deadline_on", "1")):
        page.locator(f"#id_{prefix}_0").fill(day)
        page.locator(f"#id_{prefix}_1").fill("3")
        page.locator(f"#id_{prefix}_2").fill("2030")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("09:00")
    page.get_by_label("Time booking closes").fill("17:00")
    page.get_by_label("Time of the deadline for agenda items").fill("17:00")
    page.get_by_label("Venue (optional)").fill("Town Hall")
    page.get_by_label("Number of places").fill("20")
    submit(page, "Add the meeting")
    assert_error_summary_links_to_fields(page)
    assert "The meeting must end after it starts" in main_text(page)
    assert_accessible(page, "Add a meeting: the meeting ends before it starts")

    page.get_by_label("End time").fill("12:00")
    submit(page, "Add the meeting")
    expect(success_banner(page)).to_contain_text("The meeting has been saved")
    expect(page.locator("h1")).to_have_text("Spring meeting")
    assert "Thursday 14 March 2030" in main_text(page)
    assert_accessible(page, "Meeting page: as its lead")


def test_calendar_page_is_accessible_before_and_after_making_an_address(page, meeting, provider_member):
    bookings.booking_create(actor=provider_member, meeting=meeting)
    sign_in(page, provider_member)
    page.goto("/forums/calendar/")
    assert_accessible(page, "Calendar page: no address yet")
    submit(page, "Create your calendar address")
    expect(success_banner(page)).to_contain_text("Your calendar address has been made")
    address = page.get_by_label("Your calendar address").input_value()
    assert "/forums/calendar/" in address and address.endswith(".ics")
    assert meeting.title in main_text(page)
    assert_accessible(page, "Calendar page: with an address")
