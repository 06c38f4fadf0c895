"""Booking forum meetings: places, per-organisation limits, the waiting list, emails with invitations, reminders,
and the meeting pages that drive them."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from carenetwork.core.models import AuditEvent
from carenetwork.forums import bookings
from carenetwork.forums.calendar import meeting_uid
from carenetwork.forums.models import Booking, ForumMembership, Meeting
from carenetwork.forums.tasks import send_meeting_reminders
from carenetwork.organisations.models import Role
from tests.factories import OrganisationFactory, person_in, sector

pytestmark = pytest.mark.django_db

CONFIRMED, WAITING, CANCELLED = Booking.Status.CONFIRMED, Booking.Status.WAITING, Booking.Status.CANCELLED


def utc(value):
    return value.astimezone(UTC).replace(microsecond=0)


def member_organisation(forum):
    organisation = OrganisationFactory(sectors=[sector("residential-care")])
    ForumMembership.objects.create(forum=forum, organisation=organisation, status=ForumMembership.Status.ACTIVE)
    return organisation


def member(forum, organisation=None, role=Role.MEMBER):
    return person_in(organisation or member_organisation(forum), role)


def book(person, meeting):
    return bookings.booking_create(actor=person, meeting=meeting)


def fill(meeting, n=None):
    """Book the meeting's places with people of different organisations."""
    return [book(member(meeting.forum), meeting) for _ in range(n or meeting.capacity)]


def calendars_in(message) -> list[Calendar]:
    found = []
    for filename, content, mimetype in message.attachments:
        assert filename.endswith(".ics") and mimetype == "text/calendar"
        found.append(Calendar.from_ical(content))
    return found


def only_event(message):
    (calendar,) = calendars_in(message)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def emails_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


# Booking, the waiting list and limits


def test_booking_with_places_free_is_confirmed_and_emails_a_valid_invitation(
    meeting, provider_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(provider_member, meeting)
    assert booking.status == CONFIRMED
    assert booking.organisation == provider_member.memberships.get().organisation
    (message,) = emails_to(provider_member)
    assert meeting.title in message.subject
    calendar, event = only_event(message)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == meeting_uid(meeting)
    assert event.decoded("DTSTART") == utc(meeting.starts_at)
    assert event.decoded("DTSTART").tzinfo is not None and event["DTSTART"].to_ical().endswith(b"Z")
    assert event.decoded("DTEND") == utc(meeting.ends_at)
    assert str(event["LOCATION"]) == meeting.venue
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]).endswith(reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk]))
    assert AuditEvent.objects.filter(action="booking.created", object_id=str(booking.pk)).exists()


def test_full_meeting_puts_booking_on_waiting_list(meeting, provider_member, django_capture_on_commit_callbacks):
    fill(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(provider_member, meeting)
    assert booking.status == WAITING
    assert booking.queued_at is not None
    (message,) = emails_to(provider_member)
    assert "waiting list" in message.subject
    assert not message.attachments


def test_organisation_at_its_limit_puts_booking_on_waiting_list(meeting, provider):
    colleagues = [person_in(provider, Role.MEMBER) for _ in range(3)]
    statuses = [book(p, meeting).status for p in colleagues]
    assert statuses == [CONFIRMED, CONFIRMED, WAITING]
    assert meeting.bookings.filter(status=CONFIRMED).count() == 2 < meeting.capacity


def test_second_booking_by_the_same_person_is_refused(meeting, provider_member):
    book(provider_member, meeting)
    with pytest.raises(ValidationError, match="already have a place"):
        book(provider_member, meeting)
    fill(meeting, 2)
    other = member(meeting.forum)
    book(other, meeting)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        book(other, meeting)


def test_a_cancelled_person_may_book_again(meeting, provider_member):
    booking = book(provider_member, meeting)
    bookings.booking_cancel(actor=provider_member, booking=booking)
    assert book(provider_member, meeting).status == CONFIRMED


def test_people_outside_the_forum_and_leads_cannot_book(meeting, other_admin, council_officer, council_admin):
    for person in (other_admin, council_officer, council_admin):
        with pytest.raises(PermissionDenied):
            book(person, meeting)
    assert not meeting.bookings.exists()


def test_booking_after_the_deadline_is_refused(meeting, provider_member):
    with time_machine.travel(meeting.booking_deadline + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="Booking closed"):
            book(provider_member, meeting)


def test_booking_a_started_or_cancelled_meeting_is_refused(meeting, provider_member, council_officer):
    with time_machine.travel(meeting.starts_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="already started"):
            book(provider_member, meeting)
    bookings.meeting_cancel(actor=council_officer, meeting=meeting)
    with pytest.raises(ValidationError, match="cancelled"):
        book(provider_member, meeting)


# Cancelling and promotion


def test_cancelling_a_place_promotes_the_first_person_waiting(
    meeting, provider_member, django_capture_on_commit_callbacks
):
    places = fill(meeting)
    first, second = member(meeting.forum), member(meeting.forum)
    book(first, meeting)
    book(second, meeting)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.booking_cancel(actor=places[0].person, booking=places[0])
    statuses = dict(meeting.bookings.values_list("person_id", "status"))
    assert statuses[places[0].person_id] == CANCELLED
    assert statuses[first.pk] == CONFIRMED
    assert statuses[second.pk] == WAITING
    (message,) = emails_to(first)
    assert "place has come up" in message.subject
    calendar, event = only_event(message)
    assert str(event["UID"]) == meeting_uid(meeting)
    assert not emails_to(second)
    cancelled = AuditEvent.objects.get(action="booking.cancelled", object_id=str(places[0].pk))
    assert (cancelled.actor, cancelled.organisation) == (places[0].person, places[0].organisation)
    assert cancelled.changes == {"status": ["confirmed", "cancelled"]}
    assert AuditEvent.objects.filter(action="booking.promoted").count() == 1


def test_leaving_the_waiting_list_is_recorded_and_gives_nobody_a_place(meeting, provider_member):
    places = fill(meeting)
    waiting = book(provider_member, meeting)
    assert waiting.status == WAITING
    bookings.booking_cancel(actor=provider_member, booking=waiting)
    left = AuditEvent.objects.get(action="booking.cancelled", object_id=str(waiting.pk))
    assert (left.actor, left.changes) == (provider_member, {"status": ["waiting", "cancelled"]})
    assert not AuditEvent.objects.filter(action="booking.promoted").exists()
    assert meeting.bookings.filter(status=CONFIRMED).count() == len(places)


def test_promotion_passes_over_people_whose_organisation_is_at_its_limit(meeting, provider, provider_member):
    # The provider holds two places (its limit) and has a third person waiting, ahead of someone else.
    own = [book(provider_member, meeting), book(person_in(provider, Role.MEMBER), meeting)]
    outsider_place = book(member(meeting.forum), meeting)
    colleague = person_in(provider, Role.MEMBER)
    assert book(colleague, meeting).status == WAITING
    later = member(meeting.forum)
    assert book(later, meeting).status == WAITING
    bookings.booking_cancel(actor=outsider_place.person, booking=outsider_place)
    assert meeting.bookings.get(person=colleague).status == WAITING
    assert meeting.bookings.get(person=later).status == CONFIRMED
    # When one of the provider's places frees, the colleague moves up.
    bookings.booking_cancel(actor=provider_member, booking=own[0])
    assert meeting.bookings.get(person=colleague).status == CONFIRMED


def test_nobody_is_promoted_after_the_meeting_has_started(meeting, provider_member):
    places = fill(meeting)
    book(provider_member, meeting)
    # A place freed without the service (e.g. by an administrator) once the meeting has begun.
    Booking.objects.filter(pk=places[0].pk).update(status=CANCELLED)
    with time_machine.travel(meeting.starts_at + timedelta(minutes=5)):
        assert bookings.waiting_list_promote(meeting=meeting) == []
        with pytest.raises(ValidationError, match="already started"):
            bookings.booking_cancel(actor=places[1].person, booking=places[1])
    assert meeting.bookings.get(person=provider_member).status == WAITING
    # Before it starts, the same call fills the place.
    assert [b.person for b in bookings.waiting_list_promote(meeting=meeting)] == [provider_member]


def test_booking_may_be_cancelled_by_the_organisation_admin_or_a_lead_but_not_others(
    meeting, provider_member, provider_admin, council_officer
):
    stranger = member(meeting.forum)
    booking = book(provider_member, meeting)
    with pytest.raises(PermissionDenied):
        bookings.booking_cancel(actor=stranger, booking=booking)
    bookings.booking_cancel(actor=provider_admin, booking=booking)
    booking = book(provider_member, meeting)
    bookings.booking_cancel(actor=council_officer, booking=booking)
    with pytest.raises(ValidationError, match="already been cancelled"):
        bookings.booking_cancel(actor=council_officer, booking=booking)


# Meetings: saving, more places, cancelling, attendance


def meeting_data(meeting, **changes):
    data = {f: getattr(meeting, f) for f in bookings.MEETING_FIELDS}
    return data | changes


def test_more_places_promote_people_from_the_waiting_list(meeting, council_officer):
    fill(meeting)
    waiting = [member(meeting.forum) for _ in range(3)]
    for person in waiting:
        book(person, meeting)
    bookings.meeting_save(
        actor=council_officer, forum=meeting.forum, meeting=meeting, data=meeting_data(meeting, capacity=5)
    )
    assert [meeting.bookings.get(person=p).status for p in waiting] == [CONFIRMED, CONFIRMED, WAITING]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "starts_at"}, "ends_at"),
        ({"booking_deadline": "after"}, "booking_deadline"),
        ({"agenda_deadline": "after"}, "agenda_deadline"),
        ({"capacity": 0}, "capacity"),
        ({"per_organisation_limit": 0}, "per_organisation_limit"),
        ({"venue": "", "online_link": ""}, "venue"),
    ],
)
def test_meeting_rules(meeting, council_officer, changes, field):
    values = {
        k: meeting.starts_at if v == "starts_at" else meeting.starts_at + timedelta(minutes=1) if v == "after" else v
        for k, v in changes.items()
    }
    with pytest.raises(ValidationError) as error:
        bookings.meeting_save(
            actor=council_officer, forum=meeting.forum, meeting=None, data=meeting_data(meeting, **values)
        )
    assert field in error.value.message_dict


def test_places_cannot_drop_below_those_booked(meeting, council_officer):
    fill(meeting)
    with pytest.raises(ValidationError, match="3 places are booked"):
        bookings.meeting_save(
            actor=council_officer, forum=meeting.forum, meeting=meeting, data=meeting_data(meeting, capacity=2)
        )


def test_only_leads_add_meetings(meeting, provider_admin, council_admin, council_officer):
    for person in (provider_admin, council_admin):
        with pytest.raises(PermissionDenied):
            bookings.meeting_save(actor=person, forum=meeting.forum, meeting=None, data=meeting_data(meeting))
    created = bookings.meeting_save(
        actor=council_officer, forum=meeting.forum, meeting=None, data=meeting_data(meeting, title="Spring")
    )
    assert created.pk != meeting.pk and created.title == "Spring"
    assert AuditEvent.objects.filter(action="meeting.created", object_id=str(created.pk)).exists()


def test_changing_the_time_sends_booked_people_an_updated_invitation(
    meeting, council_officer, provider_member, django_capture_on_commit_callbacks
):
    first = calendars_in(_booking_email(meeting, provider_member, django_capture_on_commit_callbacks))[0]
    later = meeting.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        bookings.meeting_save(
            actor=council_officer,
            forum=meeting.forum,
            meeting=meeting,
            data=meeting_data(meeting, starts_at=later, ends_at=later + timedelta(hours=2)),
        )
    (message,) = [m for m in emails_to(provider_member) if m.subject.startswith("Changed")]
    _, event = only_event(message)
    before = first.walk("VEVENT")[0]
    assert event["UID"] == before["UID"]
    assert int(event["SEQUENCE"]) >= int(before["SEQUENCE"])
    assert event.decoded("DTSTART") == utc(later)


def _booking_email(meeting, person, capture):
    with capture(execute=True):
        book(person, meeting)
    return emails_to(person)[-1]


def test_cancelling_a_meeting_emails_everyone_booked_or_waiting(
    meeting, council_officer, provider_member, django_capture_on_commit_callbacks
):
    places = fill(meeting)
    book(provider_member, meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bookings.meeting_cancel(actor=council_officer, meeting=meeting)
    told = {tuple(m.to) for m in mail.outbox}
    assert told == {(b.person.email,) for b in places} | {(provider_member.email,)}
    for message in mail.outbox:
        assert message.subject.startswith("Cancelled")
    calendar, event = only_event(emails_to(places[0].person)[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting_uid(meeting)
    assert not emails_to(provider_member)[0].attachments  # nothing in their calendar to remove
    with pytest.raises(ValidationError):
        bookings.meeting_cancel(actor=council_officer, meeting=meeting)


def test_attendance_is_recorded_by_leads_once_the_meeting_has_started(meeting, council_officer, provider_member):
    came, missed = fill(meeting, 2)
    with pytest.raises(ValidationError, match="once the meeting has started"):
        bookings.attendance_record(actor=council_officer, meeting=meeting, attended_ids=[came.pk])
    with time_machine.travel(meeting.starts_at + timedelta(minutes=30)):
        with pytest.raises(PermissionDenied):
            bookings.attendance_record(actor=provider_member, meeting=meeting, attended_ids=[came.pk])
        bookings.attendance_record(actor=council_officer, meeting=meeting, attended_ids=[str(came.pk)])
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, missed.attended) == (True, False)


# Reminders


def test_reminder_task_sends_once_with_an_invitation(meeting, provider_member, django_capture_on_commit_callbacks):
    soon = timezone.now() + timedelta(hours=30)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=soon, ends_at=soon + timedelta(hours=2), booking_deadline=soon - timedelta(hours=1)
    )
    meeting.refresh_from_db()
    far_away = Meeting.objects.get(pk=meeting.pk)
    far_away.pk = None
    far_away.starts_at += timedelta(days=5)
    far_away.ends_at += timedelta(days=5)
    far_away.save()
    book(provider_member, meeting)
    book(provider_member, far_away)
    waiting_person = member(meeting.forum)
    Booking.objects.create(
        meeting=meeting,
        person=waiting_person,
        organisation=waiting_person.memberships.get().organisation,
        status=WAITING,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_reminders.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        send_meeting_reminders.enqueue()
    (message,) = mail.outbox
    assert message.to == [provider_member.email]
    assert message.subject.startswith("Reminder")
    _, event = only_event(message)
    assert str(event["UID"]) == meeting_uid(meeting)
    assert AuditEvent.objects.filter(action="booking.reminded").count() == 1


def test_reminder_command_queues_the_task(meeting, provider_member, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_meeting_reminders")
    assert "Queued" in capsys.readouterr().out


# Pages


def test_member_books_and_cancels_from_the_meeting_page(client, meeting, provider_member):
    client.force_login(provider_member)
    url = reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk])
    page = client.get(url).content.decode()
    assert "Book a place" in page and "3 of 3" in page
    response = client.post(reverse("forums:booking-create", args=[meeting.forum.slug, meeting.pk]), follow=True)
    page = response.content.decode()
    assert "You have a place" in page and "Booked" in page and "Cancel your place" in page
    booking = meeting.bookings.get()
    response = client.post(
        reverse("forums:booking-cancel", args=[meeting.forum.slug, meeting.pk, booking.pk]), follow=True
    )
    assert "Your booking has been cancelled" in response.content.decode()
    assert meeting.bookings.get().status == CANCELLED


def test_full_meeting_page_offers_the_waiting_list_and_shows_the_position(client, meeting, provider_member):
    fill(meeting)
    book(member(meeting.forum), meeting)
    client.force_login(provider_member)
    url = reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk])
    assert "Join the waiting list" in client.get(url).content.decode()
    client.post(reverse("forums:booking-create", args=[meeting.forum.slug, meeting.pk]))
    page = client.get(url).content.decode()
    assert "You are number 2 on the waiting list" in page and "Leave the waiting list" in page


def test_organisation_admin_sees_and_cancels_colleagues_bookings(client, meeting, provider_member, provider_admin):
    booking = book(provider_member, meeting)
    client.force_login(provider_admin)
    page = client.get(reverse("forums:meeting-detail", args=[meeting.forum.slug, meeting.pk])).content.decode()
    assert "Your colleagues" in page and provider_member.full_name in page
    client.post(reverse("forums:booking-cancel", args=[meeting.forum.slug, meeting.pk, booking.pk]))
    booking.refresh_from_db()
    assert booking.status == CANCELLED


def test_lead_adds_a_meeting_with_date_and_time_inputs(client, forum, council_officer):
    client.force_login(council_officer)
    url = reverse("forums:meeting-add", args=[forum.slug])
    page = client.get(url).content.decode()
    assert 'class="govuk-date-input"' in page and "id_starts_on_0" in page
    day = (timezone.localdate() + timedelta(days=30)).timetuple()
    deadline = (timezone.localdate() + timedelta(days=20)).timetuple()
    data = {
        "title": "Spring meeting",
        "starts_on_0": day.tm_mday,
        "starts_on_1": day.tm_mon,
        "starts_on_2": day.tm_year,
        "starts_at": "10:00",
        "ends_at": "12.30",
        "venue": "Town Hall",
        "online_link": "",
        "capacity": "20",
        "per_organisation_limit": "2",
        "booking_deadline_on_0": deadline.tm_mday,
        "booking_deadline_on_1": deadline.tm_mon,
        "booking_deadline_on_2": deadline.tm_year,
        "booking_deadline": "17:00",
        "agenda_deadline_on_0": deadline.tm_mday,
        "agenda_deadline_on_1": deadline.tm_mon,
        "agenda_deadline_on_2": deadline.tm_year,
        "agenda_deadline": "17:00",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    created = forum.meetings.get(title="Spring meeting")
    local = timezone.localtime(created.starts_at)
    assert (local.hour, local.minute) == (10, 0)
    assert timezone.localtime(created.ends_at).strftime("%H:%M") == "12:30"
    edit = client.get(reverse("forums:meeting-edit", args=[forum.slug, created.pk])).content.decode()
    assert 'value="10:00"' in edit and f'value="{day.tm_year}"' in edit
    # The service's rules come back onto the form's fields.
    response = client.post(url, data | {"ends_at": "09:00", "starts_on_1": "13"})
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_starts_on_0"' in page
    response = client.post(url, data | {"ends_at": "09:00"})
    page = response.content.decode()
    assert 'href="#id_ends_at"' in page and "must end after it starts" in page


def _form_data(start, deadline, **changes):
    return {
        "title": "Spring meeting",
        "starts_on_0": start.day,
        "starts_on_1": start.month,
        "starts_on_2": start.year,
        "starts_at": "10:00",
        "ends_at": "12:00",
        "venue": "Town Hall",
        "online_link": "",
        "capacity": "20",
        "per_organisation_limit": "2",
        "booking_deadline_on_0": deadline.day,
        "booking_deadline_on_1": deadline.month,
        "booking_deadline_on_2": deadline.year,
        "booking_deadline": "17:00",
        "agenda_deadline_on_0": deadline.day,
        "agenda_deadline_on_1": deadline.month,
        "agenda_deadline_on_2": deadline.year,
        "agenda_deadline": "17:00",
    } | changes


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": "2147483648"}, "Enter 1000 or fewer"),
        ({"capacity": "1001"}, "Enter 1000 or fewer"),
        ({"per_organisation_limit": "99999999999999999999"}, "Enter 1000 or fewer"),
        ({"capacity": "5", "per_organisation_limit": "6"}, "no more than the number of places (5)"),
        ("past meeting", "Enter a meeting date and time in the future"),
        ("past deadlines", "Enter a time for booking to close that is in the future"),
        ("past deadlines", "Enter a deadline for agenda items that is in the future"),
    ],
)
def test_meeting_form_refuses_nonsense_in_plain_english(client, forum, council_officer, changes, message):
    client.force_login(council_officer)
    start = timezone.localdate() + timedelta(days=30)
    deadline = timezone.localdate() + timedelta(days=20)
    yesterday = timezone.localdate() - timedelta(days=1)
    if changes == "past meeting":
        data = _form_data(yesterday, yesterday - timedelta(days=1))
    elif changes == "past deadlines":
        data = _form_data(start, yesterday)
    else:
        data = _form_data(start, deadline, **changes)
    response = client.post(reverse("forums:meeting-add", args=[forum.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert not forum.meetings.exists()


def test_a_meeting_whose_deadlines_have_passed_can_still_be_changed(meeting, council_officer):
    """Past moments are refused only when they are new: correcting the venue after booking closed still works."""
    Meeting.objects.filter(pk=meeting.pk).update(
        booking_deadline=timezone.now() - timedelta(hours=1), agenda_deadline=timezone.now() - timedelta(days=1)
    )
    meeting.refresh_from_db()
    saved = bookings.meeting_save(
        actor=council_officer, forum=meeting.forum, meeting=meeting, data=meeting_data(meeting, venue="Library")
    )
    assert saved.venue == "Library"
    with pytest.raises(ValidationError) as error:
        bookings.meeting_save(
            actor=council_officer,
            forum=meeting.forum,
            meeting=meeting,
            data=meeting_data(meeting, starts_at=timezone.now() - timedelta(days=1)),
        )
    assert "starts_at" in error.value.message_dict


def test_lead_cancels_a_meeting_after_confirming(client, meeting, council_officer):
    client.force_login(council_officer)
    url = reverse("forums:meeting-cancel", args=[meeting.forum.slug, meeting.pk])
    assert "You cannot undo this" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is not None


def test_attendee_list_and_csv_for_leads(client, meeting, council_officer, provider_member):
    places = fill(meeting)
    book(provider_member, meeting)
    Booking.objects.filter(pk=places[0].pk).update(
        person=person_in(places[0].organisation, Role.MEMBER, full_name="=cmd()")
    )
    client.force_login(council_officer)
    page = client.get(reverse("forums:meeting-attendees", args=[meeting.forum.slug, meeting.pk])).content.decode()
    assert provider_member.full_name in page and "On the waiting list" in page
    response = client.get(reverse("forums:meeting-attendees-csv", args=[meeting.forum.slug, meeting.pk]))
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name,Email,Organisation,Status")
    assert len(lines) == 1 + 4
    assert lines[1].startswith("'=cmd()")


def test_attendance_form_after_the_meeting_starts(client, meeting, council_officer):
    came, missed = fill(meeting, 2)
    client.force_login(council_officer)
    url = reverse("forums:meeting-attendees", args=[meeting.forum.slug, meeting.pk])
    assert "Save attendance" not in client.get(url).content.decode()
    with time_machine.travel(meeting.starts_at + timedelta(hours=1)):
        client.force_login(council_officer)
        assert "Save attendance" in client.get(url).content.decode()
        assert client.post(url, {"attended": [str(came.pk)]}).status_code == 302
    assert list(meeting.bookings.order_by("pk").values_list("attended", flat=True)) == [True, False]


def test_meeting_ics_download(client, meeting, provider_member):
    client.force_login(provider_member)
    response = client.get(reverse("forums:meeting-ics", args=[meeting.forum.slug, meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == meeting_uid(meeting)


def test_meetings_panel_lists_coming_and_past_meetings_with_the_persons_booking(meeting, provider_member):
    past_start = timezone.now() - timedelta(days=30)
    Meeting.objects.create(
        forum=meeting.forum,
        title="Autumn review",
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=1),
        venue="Online",
        capacity=5,
        booking_deadline=past_start,
        agenda_deadline=past_start,
    )
    book(provider_member, meeting)
    context = bookings.meetings_for_forum(user=provider_member, forum=meeting.forum)
    (upcoming,) = context["upcoming_meetings"]
    assert (upcoming.confirmed_count, upcoming.places_left, upcoming.my_booking_status) == (1, 2, CONFIRMED)
    assert [m.title for m in context["past_meetings"]] == ["Autumn review"]
    html = render_to_string(
        "forums/includes/meetings_panel.html", {"forum": meeting.forum, "is_lead": False, **context}
    )
    assert "Winter pressures" in html and "Autumn review" in html and "Booked" in html
    assert "Add a meeting" not in html


# Query counts


def queries_for(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def grow(meeting, n):
    meeting.capacity = n + 50
    meeting.per_organisation_limit = n + 50
    meeting.save()
    organisation = meeting.forum.memberships.first().organisation
    for _ in range(n):
        book(person_in(organisation, Role.MEMBER), meeting)


@pytest.mark.parametrize(
    ("url_name", "role"),
    [
        ("forums:meeting-detail", "provider_admin"),
        ("forums:meeting-detail", "council_officer"),
        ("forums:meeting-attendees", "council_officer"),
    ],
)
def test_meeting_pages_queries_do_not_grow_with_bookings(request, client, meeting, url_name, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse(url_name, args=[meeting.forum.slug, meeting.pk])
    grow(meeting, 3)
    few = queries_for(client, url)
    grow(meeting, 27)
    assert queries_for(client, url) == few
