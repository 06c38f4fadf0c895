"""Meeting pages: details and booking, the lead's meeting form and attendee list, and calendars."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.csv import Rows, table_response
from carenetwork.core.email import absolute_url
from carenetwork.core.forms_errors import submitted
from carenetwork.forums import bookings, calendar, issue_log, permissions, selectors
from carenetwork.forums.forms_meetings import AttendanceForm, MeetingForm
from carenetwork.forums.models import Booking

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _meeting(request, slug, pk, *, lead=False):
    get_forum = selectors.forum_get_for_lead if lead else selectors.forum_get_for
    forum = get_forum(user=request.user, slug=slug)
    return forum, selectors.meeting_get_for(user=request.user, forum=forum, pk=pk)


def _to_meeting(forum, meeting):
    return redirect("forums:meeting-detail", slug=forum.slug, pk=meeting.pk)


@login_required
def meeting_detail(request, slug, pk):
    """A meeting: when and where, places left, the person's booking, and its agenda and papers."""
    forum, meeting = _meeting(request, slug, pk)
    return render(
        request,
        "forums/meeting_detail.html",
        {
            "forum": forum,
            "meeting": meeting,
            "is_lead": permissions.is_lead(request.user, forum),
            # For the agenda and papers, drawn by forums/includes/meeting_agenda.html (the agenda work's).
            "agenda_items": issue_log.agenda_for(user=request.user, meeting=meeting),
            **selectors.meeting_places_for(user=request.user, meeting=meeting),
        },
    )


@login_required
def meeting_edit(request, slug, pk=None):
    """A lead adds a meeting or changes one."""
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    meeting = selectors.meeting_get_for(user=request.user, forum=forum, pk=pk) if pk else None
    form = MeetingForm(request.POST or None, meeting=meeting)
    saved = submitted(
        request,
        form,
        lambda data: bookings.meeting_save(actor=request.user, forum=forum, meeting=meeting, data=data),
    )
    if saved:
        messages.success(request, _("The meeting has been saved"))
        return _to_meeting(forum, saved)
    return render(request, "forums/meeting_edit.html", {"form": form, "forum": forum, "meeting": meeting})


@login_required
def meeting_cancel(request, slug, pk):
    """A lead calls a meeting off, after confirming."""
    forum, meeting = _meeting(request, slug, pk, lead=True)
    if request.method == "POST":
        try:
            bookings.meeting_cancel(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _to_meeting(forum, meeting)
        messages.success(request, _("The meeting has been cancelled and everyone booked has been told"))
        return redirect("forums:forum-detail", slug=forum.slug)
    return render(request, "forums/meeting_cancel.html", {"forum": forum, "meeting": meeting})


@login_required
@require_POST
def booking_create(request, slug, pk):
    """The person books a place, or joins the waiting list."""
    forum, meeting = _meeting(request, slug, pk)
    try:
        booking = bookings.booking_create(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if booking.status == Booking.Status.CONFIRMED:
            messages.success(request, _("You have a place. We have emailed you the invitation."))
        else:
            messages.success(request, _("You are on the waiting list. We will email you if a place comes up."))
    return _to_meeting(forum, meeting)


@login_required
@require_POST
def booking_cancel(request, slug, pk, booking_pk):
    """The person, their organisation's admin or a lead cancels a booking; the place goes to the next waiting."""
    forum, meeting = _meeting(request, slug, pk)
    booking = selectors.booking_get_for(user=request.user, meeting=meeting, pk=booking_pk)
    try:
        bookings.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if booking.person_id == request.user.pk:
            messages.success(request, _("Your booking has been cancelled"))
        else:
            messages.success(request, _("The booking of %(person)s has been cancelled") % {"person": booking.person})
    if request.POST.get("from") == "attendees" and permissions.is_lead(request.user, forum):
        return redirect("forums:meeting-attendees", slug=forum.slug, pk=meeting.pk)
    return _to_meeting(forum, meeting)


@login_required
def meeting_attendees(request, slug, pk):
    """A lead's list of places and the waiting list, and who came."""
    forum, meeting = _meeting(request, slug, pk, lead=True)
    attendees = list(selectors.attendee_list_for(user=request.user, meeting=meeting))
    confirmed = [b for b in attendees if b.status == Booking.Status.CONFIRMED]
    form = None
    if meeting.has_started and confirmed and not meeting.cancelled_at:
        form = AttendanceForm(request.POST or None, bookings=confirmed)
        saved = submitted(
            request,
            form,
            lambda data: bookings.attendance_record(actor=request.user, meeting=meeting, attended_ids=data["attended"]),
        )
        if saved:
            messages.success(request, _("Attendance has been recorded"))
            return redirect("forums:meeting-attendees", slug=forum.slug, pk=meeting.pk)
    return render(
        request,
        "forums/meeting_attendees.html",
        {
            "forum": forum,
            "meeting": meeting,
            "attendees": attendees,
            "confirmed": confirmed,
            "waiting": [b for b in attendees if b.status == Booking.Status.WAITING],
            "form": form,
            "can_change": not meeting.has_started and not meeting.cancelled_at,
        },
    )


def _cell(value) -> str:
    # Spreadsheets run cells that start with these as formulas.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def meeting_attendees_csv(request, slug, pk, fmt="csv"):
    """The attendee list as a spreadsheet (CSV or XLSX), for a lead."""
    forum, meeting = _meeting(request, slug, pk, lead=True)
    attendees = selectors.attendee_list_for(user=request.user, meeting=meeting)
    basename = f"{forum.slug}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}-attendees"
    writer = Rows()
    writer.writerow([_("Name"), _("Email"), _("Organisation"), _("Status"), _("Booked at"), _("Attended")])
    attended = {True: _("Yes"), False: _("No"), None: ""}
    for b in attendees:
        writer.writerow(
            [
                _cell(b.person),
                _cell(b.person.email),
                _cell(b.organisation),
                b.get_status_display(),
                timezone.localtime(b.queued_at).strftime("%Y-%m-%d %H:%M"),
                attended[b.attended],
            ]
        )
    return table_response(writer, basename, fmt, sheet=_("Attendees"))


@login_required
def meeting_ics(request, slug, pk):
    """One meeting as an iCalendar file, for the forum's members and leads."""
    forum, meeting = _meeting(request, slug, pk)
    response = HttpResponse(calendar.meeting_ics(meeting), content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def calendar_page(request):
    """The person's secret calendar address, with how to subscribe, and their coming bookings."""
    feed = selectors.calendar_feed_for(user=request.user)
    feed_url = absolute_url(reverse("forums:calendar-feed", args=[feed.token])) if feed else None
    return render(
        request,
        "forums/calendar.html",
        {
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
            "bookings": selectors.booking_list_for(user=request.user),
        },
    )


@login_required
@require_POST
def calendar_reset(request):
    """Make the person a new calendar address; the old one stops working."""
    bookings.calendar_feed_reset(actor=request.user)
    messages.success(request, _("Your calendar address has been made. Any old address no longer works."))
    return redirect("forums:calendar")


def calendar_feed(request, token):
    """The calendar of a person's places, for calendar apps: the secret token stands in for signing in."""
    person, meetings = selectors.calendar_feed_meetings(token=token)
    name = _("Forum meetings – %(service)s") % {"service": settings.COUNCIL_SERVICE_NAME}
    response = HttpResponse(calendar.feed_ics(meetings, name=name), content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="forum-meetings.ics"'
    response["Cache-Control"] = "private, max-age=0, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
