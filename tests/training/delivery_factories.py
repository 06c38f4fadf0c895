"""Runs that have been confirmed and have started, with named delegates: the states delivery works on."""

from datetime import timedelta

from django.utils import timezone

from carenetwork.organisations.models import Membership, Organisation, Role
from carenetwork.training import decisions, interests
from carenetwork.training.models import CourseRun, Delegate, Interest
from tests.factories import OrganisationFactory, person_in
from tests.training.factories import run_for


def council_officer_for_tests():
    """A council officer (creating the council when the test has none)."""
    council = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).first() or OrganisationFactory(
        name="Eastmarsh Borough Council", kind=Organisation.Kind.COUNCIL
    )
    return person_in(council, Role.OFFICER)


def admin_of(organisation):
    """One of the organisation's admins (creating one when it has none)."""
    membership = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).select_related("user").first()
    return membership.user if membership else person_in(organisation, Role.ADMIN)


def start(run: CourseRun, *, hours_ago: int = 3) -> CourseRun:
    """Move the run into the past: it started `hours_ago` hours ago and ended a minute ago."""
    now = timezone.now()
    CourseRun.objects.filter(pk=run.pk).update(
        starts_at=now - timedelta(hours=hours_ago), ends_at=now - timedelta(minutes=1)
    )
    run.refresh_from_db()
    return run


def confirm(run: CourseRun, *, officer=None) -> CourseRun:
    """Confirm the run through a council officer's override (it applies the ceiling rule and books interests)."""
    decisions.run_override(
        actor=officer or council_officer_for_tests(), run=run, outcome="confirmed", reason="Enough interest"
    )
    run.refresh_from_db()
    return run


def delivered_run(course, places: dict, *, started: bool = True, officer=None, **run_fields):
    """A confirmed run of the course with {organisation: [staff members]} booked and named; started unless told.

    Returns the run and {organisation: its booking}."""
    run = run_for(course, minimum=1, **run_fields)
    for organisation, staff in places.items():
        interests.interest_save(actor=admin_of(organisation), run=run, organisation=organisation, places=len(staff))
    confirm(run, officer=officer)
    bookings = {}
    for organisation, staff in places.items():
        interest = Interest.objects.get(run=run, organisation=organisation, status=Interest.Status.BOOKED)
        for person in staff:
            Delegate.objects.create(interest=interest, staff=person)
        bookings[organisation] = interest
    if started:
        start(run)
    return run, bookings
