"""Reading courses, runs and places, always for a given person."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carenetwork.organisations.models import Organisation
from carenetwork.training import permissions
from carenetwork.training.models import Course, CourseRun, Delegate, Interest


def course_get_for(*, user, pk: int) -> Course:
    """A course the person may see; 404 for the rest (a course under review is its provider's and the council's)."""
    course = get_object_or_404(Course.objects.select_related("provider"), pk=pk)
    if not permissions.can_view_course(user, course):
        raise Http404
    return course


def run_get_for(*, user, pk: int) -> CourseRun:
    """A run the person may see; 404 for the rest."""
    run = get_object_or_404(CourseRun.objects.select_related("course", "course__provider"), pk=pk)
    if not permissions.can_view_run(user, run):
        raise Http404
    return run


def interest_get_for(*, user, pk: int) -> Interest:
    """An organisation's places on a run: for the organisation, the training provider and the council."""
    interest = get_object_or_404(
        Interest.objects.select_related("run", "run__course", "run__course__provider", "organisation"), pk=pk
    )
    if not permissions.can_view_interest(user, interest):
        raise Http404
    return interest


def delegate_get_for(*, user, pk: int) -> Delegate:
    """A named place on a run: for its organisation, the delegate themselves, the training provider and the council."""
    delegate = get_object_or_404(
        Delegate.objects.select_related(
            "staff", "interest", "interest__organisation", "interest__run", "interest__run__course"
        ),
        pk=pk,
    )
    is_self = delegate.staff_id is not None and delegate.staff.user_id == user.pk
    if not (is_self or permissions.can_view_interest(user, delegate.interest)):
        raise Http404
    return delegate


def training_provider_get_for(*, user, pk: int) -> Organisation:
    """A training provider whose evaluation scores the person may read; 404 for an organisation of another kind."""
    organisation = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.TRAINING)
    if not permissions.can_view_provider_evaluations(user, organisation):
        raise PermissionDenied
    return organisation


def interests_for_organisations(*, user, run: CourseRun) -> dict[int, Interest]:
    """{organisation id: its live interest} for the organisations the person takes places for."""
    ids = [o.pk for o in permissions.booking_organisations(user)]
    rows = Interest.objects.filter(run=run, organisation_id__in=ids, status__in=Interest.LIVE)
    return {i.organisation_id: i for i in rows}


def bookings_list_for(*, user) -> QuerySet[Interest]:
    """The places of the organisations the person takes places for, newest run first."""
    ids = [o.pk for o in permissions.booking_organisations(user)]
    return (
        Interest.objects.filter(organisation_id__in=ids)
        .select_related("run", "run__course", "run__course__provider", "organisation")
        .order_by("-run__starts_at", "pk")
    )


def places_to_rate_for(*, user) -> QuerySet[Delegate]:
    """The person's own places on courses that have taken place and that they have not rated yet."""
    return (
        Delegate.objects.filter(
            staff__user_id=user.pk,
            interest__status=Interest.Status.BOOKED,
            interest__run__status=CourseRun.Status.CONFIRMED,
            interest__run__starts_at__lte=timezone.now(),
            evaluation__isnull=True,
        )
        .exclude(attended=False)
        .select_related("interest__run__course")
        .order_by("-interest__run__starts_at")
    )
