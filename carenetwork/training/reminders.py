"""Reminders before a course: each organisation with booked places is reminded once, with the invitation."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from carenetwork.training import notify
from carenetwork.training.models import BrokerageSettings, CourseRun, Interest


def course_reminders_send(*, now=None) -> int:
    """Email each organisation booked on a confirmed run starting within the reminder period, once."""
    now = now or timezone.now()
    days = BrokerageSettings.current().reminder_days
    due = Interest.objects.filter(
        status=Interest.Status.BOOKED,
        reminded_at__isnull=True,
        run__status=CourseRun.Status.CONFIRMED,
        run__starts_at__gt=now,
        run__starts_at__lte=now + timedelta(days=days),
    ).values_list("pk", flat=True)
    return sum(_remind(pk, now) for pk in list(due))


@transaction.atomic
def _remind(pk: int, now) -> int:
    # The row lock makes two overlapping runs of the job send one reminder: the second sees reminded_at set.
    interest = (
        Interest.objects.select_for_update(of=("self",))
        .select_related("run__course__provider", "organisation")
        .get(pk=pk)
    )
    if interest.reminded_at or interest.status != Interest.Status.BOOKED:
        return 0
    interest.reminded_at = now
    interest.save(update_fields=["reminded_at", "modified_at"])
    notify.course_reminder(interest)
    return 1
