"""iCalendar for course runs: the invitation sent with a confirmed place, its cancellation, and the download."""

from django.urls import reverse

from carenetwork.core import calendar as ical
from carenetwork.core.email import absolute_url
from carenetwork.training.models import CourseRun

PRODID = "-//Care Network//Training courses//EN"


def run_ics(run: CourseRun, *, cancelled: bool = False) -> str:
    """A whole iCalendar file for one run."""
    cancelled = cancelled or run.status == CourseRun.Status.CANCELLED
    event = ical.event(
        uid=f"course-run-{run.pk}@{ical.host()}",
        seq=ical.sequence(run),
        starts_at=run.starts_at,
        ends_at=run.ends_at,
        summary=f"{run.course.title} ({run.course.provider.name})",
        url=absolute_url(reverse("training:run-detail", args=[run.pk])),
        location=run.venue or run.online_link,
        description=[d for d in (run.dates_note, run.online_link if run.venue else "") if d],
        cancelled=cancelled,
    )
    return ical.single_event_ics(PRODID, event, cancelled=cancelled)


def run_attachment(run: CourseRun, *, cancelled: bool = False) -> tuple[str, str, str]:
    """(filename, content, mimetype) for send_templated's attachments."""
    return (f"course-{run.pk}.ics", run_ics(run, cancelled=cancelled), ical.MIMETYPE)
