"""Reading courses, runs and places, always for a given person."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carenetwork.core.access import require
from carenetwork.core.form_fields import aware
from carenetwork.organisations.models import Organisation, Sector
from carenetwork.records.models import StaffMember
from carenetwork.training import permissions
from carenetwork.training.catalogue import visible_runs
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


def taking_places_now(now=None) -> Q:
    """Runs someone may take places on now: the queryset form of `interests.closed_reason` being None."""
    now = now or timezone.now()
    return Q(starts_at__gt=now) & (
        Q(status=CourseRun.Status.OPEN, interest_deadline__gt=now)
        | Q(status=CourseRun.Status.PARTNERS, partner_deadline__gt=now)
        | Q(status=CourseRun.Status.CONFIRMED, booking_cutoff__gt=now)
    )


def _live_interests(user) -> Prefetch:
    """The live places of the organisations the person takes places for, as each run's `yours`."""
    ids = [o.pk for o in permissions.booking_organisations(user)]
    rows = Interest.objects.filter(organisation_id__in=ids, status__in=Interest.LIVE).select_related("organisation")
    return Prefetch("interests", queryset=rows.order_by("organisation__name", "pk"), to_attr="yours")


def _live_total(value):
    live = Interest.objects.filter(run=OuterRef("pk"), status__in=Interest.LIVE).order_by().values("run")
    if value == "organisations":
        total = live.filter(places__gt=0).annotate(n=Count("pk")).values("n")
    else:
        total = live.annotate(n=Sum("waiting_places")).values("n")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def run_list_for(
    *,
    user,
    course_id: int | None = None,
    status: str = "",
    taking_places: bool | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[CourseRun]:
    """Every run the person may see (past ones too, unlike the catalogue), filtered, soonest first, with what its
    page shows everyone (`organisations_interested`, `waiting_places`, its tiers) and the person's own places
    (`yours`)."""
    require(permissions.can_browse_catalogue(user))
    runs = visible_runs(user)
    if course_id is not None:
        runs = runs.filter(course_id=course_id)
    if status:
        runs = runs.filter(status=status)
    if taking_places is not None:
        runs = runs.filter(taking_places_now()) if taking_places else runs.exclude(taking_places_now())
    if date_from:
        runs = runs.filter(starts_at__gte=aware(date_from, datetime.time.min))
    if date_to:
        runs = runs.filter(starts_at__lt=aware(date_to + datetime.timedelta(days=1), datetime.time.min))
    sectors = Prefetch("sectors", queryset=Sector.objects.only("pk", "name", "position").order_by("position", "name"))
    return (
        runs.select_related("course", "course__provider")
        .annotate(organisations_interested=_live_total("organisations"), waiting_places=_live_total("waiting"))
        .prefetch_related(sectors, "tiers", _live_interests(user))
        .order_by("starts_at", "pk")
    )


def run_position_get_for(*, user, pk: int) -> CourseRun:
    """A run the person may see (404 for the rest), with the same figures and own places as `run_list_for` gives."""
    run = run_get_for(user=user, pk=pk)
    totals = run_interest_totals(run)
    run.organisations_interested = totals["organisations_interested"]
    run.waiting_places = totals["waiting_places"]
    ids = [o.pk for o in permissions.booking_organisations(user)]
    run.yours = list(
        Interest.objects.filter(run=run, organisation_id__in=ids, status__in=Interest.LIVE)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return run


def run_interest_totals(run: CourseRun) -> dict:
    """What the run's page shows everyone: how many organisations hold places, and the places waiting."""
    totals = run.interests.filter(status__in=Interest.LIVE).aggregate(
        organisations_interested=Count("pk", filter=Q(places__gt=0)), waiting_places=Sum("waiting_places")
    )
    return {
        "organisations_interested": totals["organisations_interested"],
        "waiting_places": totals["waiting_places"] or 0,
    }


def organisation_bookings_for(
    *, user, organisation: Organisation, run_id: int | None = None, status: str = ""
) -> QuerySet[Interest]:
    """One organisation's places on runs (interest, bookings and ended ones), newest run first, with their
    delegates: for the people who take its places."""
    require(organisation in permissions.booking_organisations(user))
    rows = bookings_list_for(user=user).filter(organisation=organisation)
    if run_id is not None:
        rows = rows.filter(run_id=run_id)
    if status:
        rows = rows.filter(status=status)
    delegates = Delegate.objects.select_related("staff").order_by("pk")
    return rows.prefetch_related(Prefetch("delegates", queryset=delegates))


def delegate_list_for(*, user, interest: Interest) -> QuerySet[Delegate]:
    """Who is named for an organisation's places: for the organisation and the training provider, not the council
    (the names are personal data)."""
    require(permissions.can_manage_interest(user, interest) or permissions.can_deliver_run(user, interest.run))
    return interest.delegates.select_related("staff").order_by("pk")


def delegate_staff_for(*, user, interest: Interest) -> QuerySet[StaffMember]:
    """The people the organisation may name for its places: its current staff (a partner types names instead)."""
    require(permissions.can_manage_interest(user, interest))
    if interest.organisation.kind == Organisation.Kind.PARTNER:
        return StaffMember.objects.none()
    return (
        StaffMember.objects.filter(
            organisation=interest.organisation, leaving_date__isnull=True, personal_data_removed_at__isnull=True
        )
        .select_related("job_role")
        .order_by("name", "pk")
    )
