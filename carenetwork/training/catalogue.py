"""Reading the catalogue: upcoming runs and approved courses with their filters, always for a given person.

The run list filters on the run's kept figures (`current_price`, `places_taken`) and indexed columns, so it
never counts interests; each page costs the same handful of queries however many runs there are.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from carenetwork.core.form_fields import aware
from carenetwork.organisations.models import Organisation, Sector
from carenetwork.organisations.permissions import is_council_staff
from carenetwork.records.models import TrainingCategory
from carenetwork.training import permissions
from carenetwork.training.models import Course, CourseRun, Interest

UPCOMING = (CourseRun.Status.OPEN, CourseRun.Status.PARTNERS, CourseRun.Status.CONFIRMED)


def _sectors() -> Prefetch:
    return Prefetch("sectors", queryset=Sector.objects.only("pk", "name", "position").order_by("position", "name"))


def visible_runs(user) -> QuerySet[CourseRun]:
    """The runs the person may see, as a queryset: the same rule as `permissions.can_view_run`."""
    runs = CourseRun.objects.all()
    if is_council_staff(user):
        return runs
    # Cheapest first: databases stop at the first true branch, so the subquery runs only for the rest.
    own = Q(course__provider_id__in=[o.pk for o in permissions.training_organisations(user)])
    takers = [o.pk for o in permissions.booking_organisations(user)]
    if takers:
        own |= Q(Exists(Interest.objects.filter(run=OuterRef("pk"), organisation_id__in=takers)))
    published = Q(course__status=Course.Status.APPROVED)
    if permissions.is_member_provider(user):
        return runs.filter(published | own)
    if permissions.partner_organisations(user):
        return runs.filter((published & Q(status=CourseRun.Status.PARTNERS)) | own)
    return runs.filter(own)


def run_catalogue_for(
    *,
    user,
    category: TrainingCategory | None = None,
    sector: Sector | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    area: str = "",
    delivery_mode: str = "",
    max_price: Decimal | None = None,
) -> QuerySet[CourseRun]:
    """Upcoming runs of approved courses the person may see, filtered, soonest first.

    A run that targets no sector is for every sector, so it matches any sector filter.
    """
    if not permissions.can_browse_catalogue(user):
        raise PermissionDenied
    runs = visible_runs(user).filter(
        status__in=UPCOMING, starts_at__gt=timezone.now(), course__status=Course.Status.APPROVED
    )
    if category:
        runs = runs.filter(
            Exists(Course.categories.through.objects.filter(course_id=OuterRef("course_id"), trainingcategory=category))
        )
    if sector:
        targets = CourseRun.sectors.through.objects.filter(courserun_id=OuterRef("pk"))
        runs = runs.filter(Exists(targets.filter(sector=sector)) | ~Exists(targets))
    if date_from:
        runs = runs.filter(starts_at__gte=aware(date_from, datetime.time.min))
    if date_to:
        runs = runs.filter(starts_at__lt=aware(date_to + datetime.timedelta(days=1), datetime.time.min))
    if area:
        runs = runs.filter(area=area)
    if delivery_mode:
        runs = runs.filter(course__delivery_mode=delivery_mode)
    if max_price is not None:
        runs = runs.filter(current_price__lte=max_price)
    return (
        runs.select_related("course", "course__provider")
        .only(
            "pk",
            "starts_at",
            "ends_at",
            "area",
            "venue",
            "online_link",
            "capacity",
            "minimum_places",
            "places_taken",
            "current_price",
            "locked_price",
            "status",
            "course__id",
            "course__title",
            "course__delivery_mode",
            "course__status",
            "course__provider__id",
            "course__provider__name",
        )
        .prefetch_related(_sectors())
        .order_by("starts_at", "pk")
    )


def catalogue_filters() -> dict:
    """Choices for the catalogue's filters: categories and sectors in use, and the areas of upcoming runs."""
    areas = (
        CourseRun.objects.filter(status__in=UPCOMING, starts_at__gt=timezone.now())
        .exclude(area="")
        .order_by("area")
        .values_list("area", flat=True)
        .distinct()
    )
    return {
        "categories": TrainingCategory.objects.filter(is_active=True).only("pk", "name").order_by("name"),
        "sectors": Sector.objects.filter(is_active=True).only("pk", "name").order_by("position", "name"),
        "areas": list(areas),
    }


def course_list_for(
    *, user, search: str = "", category: TrainingCategory | None = None, delivery_mode: str = ""
) -> QuerySet[Course]:
    """Approved courses matching the search and filters, by title, with their categories and upcoming runs."""
    if not permissions.can_browse_catalogue(user):
        raise PermissionDenied
    courses = Course.objects.filter(status=Course.Status.APPROVED)
    if search:
        courses = courses.filter(title__icontains=search.strip())
    if category:
        courses = courses.filter(
            Exists(Course.categories.through.objects.filter(course_id=OuterRef("pk"), trainingcategory=category))
        )
    if delivery_mode:
        courses = courses.filter(delivery_mode=delivery_mode)
    upcoming = visible_runs(user).filter(course_id=OuterRef("pk"), status__in=UPCOMING, starts_at__gt=timezone.now())
    return (
        courses.select_related("provider")
        .only("pk", "title", "duration_hours", "delivery_mode", "status", "provider__id", "provider__name")
        .annotate(upcoming_runs=_count(upcoming))
        .prefetch_related(Prefetch("categories", queryset=TrainingCategory.objects.only("pk", "name").order_by("name")))
        .order_by("title", "pk")
    )


def _count(runs: QuerySet[CourseRun]):
    counted = runs.order_by().values("course_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def course_runs_for(*, user, course: Course) -> QuerySet[CourseRun]:
    """A course's upcoming runs the person may see; its provider and the council also see cancelled ones."""
    runs = visible_runs(user).filter(course=course, starts_at__gt=timezone.now())
    if not (is_council_staff(user) or permissions.runs_course(user, course)):
        runs = runs.filter(status__in=UPCOMING)
    return runs.select_related("course", "course__provider").prefetch_related(_sectors()).order_by("starts_at", "pk")


PAST_RUNS_SHOWN = 12


def course_past_runs_for(*, user, course: Course) -> list[CourseRun]:
    """A course's latest runs that have started, for its training provider and the council (bookings, attendance,
    invoices); nobody else."""
    if not (is_council_staff(user) or permissions.runs_course(user, course)):
        return []
    runs = CourseRun.objects.filter(course=course, starts_at__lte=timezone.now())
    return list(
        runs.select_related("course", "course__provider")
        .prefetch_related(_sectors())
        .order_by("-starts_at", "-pk")[:PAST_RUNS_SHOWN]
    )


def review_queue_for(*, user) -> QuerySet[Course]:
    """Courses waiting for review, oldest first, for council officers."""
    if not permissions.can_review_courses(user):
        raise PermissionDenied
    return (
        Course.objects.filter(status=Course.Status.SUBMITTED)
        .select_related("provider")
        .only("pk", "title", "status", "delivery_mode", "modified_at", "created_at", "provider__id", "provider__name")
        .order_by("modified_at", "pk")
    )


def waiting_for_review_count(user) -> int:
    """How many courses wait for review (0 for anyone who does not review)."""
    if not permissions.can_review_courses(user):
        return 0
    return Course.objects.filter(status=Course.Status.SUBMITTED).count()


def provider_courses_for(*, user, organisation: Organisation) -> QuerySet[Course]:
    """All of a training provider's courses, whatever their status, for its people."""
    if not permissions.can_propose_course(user, organisation):
        raise PermissionDenied
    return (
        Course.objects.filter(provider=organisation)
        .prefetch_related(Prefetch("categories", queryset=TrainingCategory.objects.only("pk", "name")))
        .order_by("title", "pk")
    )


def provider_runs_for(*, user, organisation: Organisation) -> QuerySet[CourseRun]:
    """The training provider's runs that have not finished yet, soonest first, for its people."""
    if not permissions.can_propose_course(user, organisation):
        raise PermissionDenied
    return (
        CourseRun.objects.filter(course__provider=organisation, ends_at__gt=timezone.now())
        .select_related("course", "course__provider")
        .prefetch_related(_sectors())
        .order_by("starts_at", "pk")
    )
