"""Emails about places on course runs, sent to each organisation's admins and its contact mailbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone

from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.selectors import organisation_recipients
from carenetwork.training import calendar
from carenetwork.training.models import CourseRun, Interest


def recipients(organisation: Organisation) -> list[str]:
    """An organisation's admins (every member, for a partner) and its contact mailbox."""
    return organisation_recipients(organisation)


def _context(run: CourseRun, **extra) -> dict:
    return {
        "run": run,
        "course": run.course,
        "when": formats.date_format(timezone.localtime(run.starts_at), "l j F Y, H:i"),
        "url": absolute_url(reverse("training:run-detail", args=[run.pk])),
        **extra,
    }


def _send(interest: Interest, template: str, *, attach: bool = False, cancelled: bool = False, **extra) -> None:
    run = interest.run
    send_templated(
        to=recipients(interest.organisation),
        template=f"training/email/{template}",
        context=_context(run, interest=interest, organisation=interest.organisation, **extra),
        attachments=[calendar.run_attachment(run, cancelled=cancelled)] if attach else None,
    )


def run_confirmed(interest: Interest) -> None:
    _send(interest, "run_confirmed", attach=True)


def run_offered_to_partners(interest: Interest, *, shortfall: int) -> None:
    _send(interest, "run_partners", shortfall=shortfall)


def run_cancelled(interest: Interest, *, was_booked: bool) -> None:
    _send(interest, "run_cancelled", attach=was_booked, cancelled=True)


def interest_dropped(interest: Interest, *, price) -> None:
    _send(interest, "interest_dropped", price=price)


def places_promoted(interest: Interest, *, given: int) -> None:
    _send(interest, "places_promoted", given=given, attach=interest.status == Interest.Status.BOOKED)


def booking_cancelled(interest: Interest, *, places: int, charged: bool, whole: bool) -> None:
    _send(interest, "booking_cancelled", places=places, charged=charged, attach=whole, cancelled=whole)


def price_changed(interest: Interest) -> None:
    _send(interest, "price_changed")


def run_changed(interest: Interest) -> None:
    _send(interest, "run_changed", attach=True)


def course_reminder(interest: Interest) -> None:
    _send(interest, "course_reminder", attach=True)


def partners_invited(run: CourseRun, partner: Organisation, *, shortfall: int) -> None:
    """Tell a partner organisation that places on the run are offered to it."""
    send_templated(
        to=recipients(partner),
        template="training/email/partners_invited",
        context=_context(run, organisation=partner, shortfall=shortfall),
    )


def preview(template: str, *, run: CourseRun, organisation: Organisation, **extra) -> dict:
    """The email `template` as it would go to the organisation, without sending it: subject, body and recipients."""
    context = {
        "service_name": settings.COUNCIL_SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        **_context(run, organisation=organisation, **extra),
    }
    return {
        "subject": " ".join(render_to_string(f"training/email/{template}_subject.txt", context).split()),
        "body": render_to_string(f"training/email/{template}_body.txt", context).strip(),
        "organisation": organisation,
        "recipients": len(recipients(organisation)),
    }
