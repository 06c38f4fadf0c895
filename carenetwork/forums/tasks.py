"""Background work for forums: the reminder the day before a meeting."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from carenetwork.core import audit
from carenetwork.core.models import AuditEvent
from carenetwork.forums import bookings
from carenetwork.forums.models import Booking

REMINDED = "booking.reminded"


@task()
def send_meeting_reminders() -> int:
    """Email each person with a place at a meeting starting in 24 to 48 hours, with the invitation, once."""
    now = timezone.now()
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        meeting__cancelled_at__isnull=True,
        meeting__starts_at__gte=now + timedelta(hours=24),
        meeting__starts_at__lt=now + timedelta(hours=48),
    ).values_list("pk", flat=True)
    sent = 0
    due = list(due)
    for pk in due:
        sent += _remind(pk)
    return sent


@transaction.atomic
def _remind(pk: int) -> int:
    # The booking row's lock makes two overlapping runs send one reminder: the second waits, then sees the first's
    # audit event. The audit trail is the record of what was sent (the models have no field for it).
    booking = (
        Booking.objects.select_for_update()
        .select_related("person", "organisation", "meeting__forum")
        .filter(pk=pk, status=Booking.Status.CONFIRMED, meeting__cancelled_at__isnull=True)
        .first()
    )
    if booking is None:
        return 0
    if AuditEvent.objects.filter(action=REMINDED, object_type="booking", object_id=str(booking.pk)).exists():
        return 0
    audit.record(actor=None, action=REMINDED, obj=booking, organisation=booking.organisation)
    bookings.booking_remind(booking=booking)
    return 1
