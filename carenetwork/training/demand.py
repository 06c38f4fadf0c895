"""The demand survey and the commissioning priorities.

Providers' admins say how many staff need each training category in the next six months (a `DemandEstimate` per
organisation and category); answers not given or confirmed for six months no longer count. The council ranks the
categories by combined need: the staff the survey says need the training, plus the staff the records show lacking
it where it is mandatory (missing or expired: the skills gap of `records.skills`). Beside each it shows the runs
already commissioned that cover the category, with the places they have left.

`rank` is the pure scoring rule; the rest reads or writes the database in a few queries whatever the volume.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import require
from carenetwork.organisations.models import Organisation, Sector
from carenetwork.records import skills
from carenetwork.records.models import TrainingCategory
from carenetwork.records.rules import add_months
from carenetwork.records.selectors import mandatory_for
from carenetwork.training import permissions
from carenetwork.training.models import CourseRun, DemandEstimate

MONTHS_CURRENT = 6
TOP = 10
MAX_STAFF = 100_000


def current_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """Answers given or confirmed before this moment no longer count: six calendar months ago."""
    now = timezone.localtime(now or timezone.now())
    day = add_months(now.date(), -MONTHS_CURRENT)
    return now.replace(year=day.year, month=day.month, day=day.day)


# The survey.


@dataclass
class SurveyCategories:
    """The active categories in the order the survey asks them: the provider's mandatory ones first."""

    mandatory: list[TrainingCategory]
    others: list[TrainingCategory]

    @property
    def all(self) -> list[TrainingCategory]:
        return self.mandatory + self.others


def survey_categories(organisation: Organisation) -> SurveyCategories:
    """Active categories, the organisation's mandatory training first (each group by name)."""
    _mandatory, columns = mandatory_for(organisation)
    required = {c.pk for c in columns}
    active = list(TrainingCategory.objects.filter(is_active=True).order_by("name"))
    return SurveyCategories(
        mandatory=[c for c in active if c.pk in required], others=[c for c in active if c.pk not in required]
    )


def current_answers(organisation: Organisation, *, now: datetime.datetime | None = None) -> dict[int, int]:
    """{category id: staff needing it} of the organisation's answers that still count."""
    rows = DemandEstimate.objects.filter(organisation=organisation, modified_at__gte=current_since(now))
    return dict(rows.values_list("category_id", "staff_needing"))


def last_answered(organisation: Organisation) -> datetime.datetime | None:
    """When the organisation last answered the survey (any category)."""
    latest = DemandEstimate.objects.filter(organisation=organisation).order_by("-modified_at").first()
    return latest.modified_at if latest else None


@transaction.atomic
def demand_save(*, actor, organisation: Organisation, answers: dict[int, int | None]) -> dict[int, int]:
    """Record the provider's answers: a number (re)states the need, 0 clears it, None (blank) leaves it alone.

    Giving a number again, even the same one, confirms it for another six months. Returns the answers that now
    count, as `current_answers` does.
    """
    require(permissions.can_answer_demand_survey(actor, organisation))
    active = set(TrainingCategory.objects.filter(is_active=True, pk__in=list(answers)).values_list("pk", flat=True))
    unknown = set(answers) - active
    if unknown:
        raise ValidationError(_("Answer only for training categories in use."))
    existing = {e.category_id: e for e in DemandEstimate.objects.filter(organisation=organisation)}
    changes: dict[str, list] = {}
    names = dict(TrainingCategory.objects.filter(pk__in=list(answers)).values_list("pk", "name"))
    for category_id, staff in answers.items():
        if staff is None:
            continue
        estimate = existing.get(category_id)
        before = estimate.staff_needing if estimate else None
        if staff == 0:
            if estimate:
                estimate.delete()
                changes[names[category_id]] = [before, None]
            continue
        if estimate is None:
            estimate = DemandEstimate(organisation=organisation, category_id=category_id)
        estimate.staff_needing = staff
        estimate.submitted_by = actor
        estimate.full_clean()
        estimate.save()
        if before != staff:
            changes[names[category_id]] = [before, staff]
    audit.record(
        actor=actor, action="training_demand.updated", obj=organisation, organisation=organisation, changes=changes
    )
    return current_answers(organisation)


# Commissioning priorities.


@dataclass(frozen=True)
class Need:
    """One category's need: staff the survey says need it, and staff lacking it where it is mandatory."""

    category_id: int
    name: str
    demand: int = 0
    gap: int = 0
    upcoming_runs: int = 0
    places_left: int = 0

    @property
    def combined(self) -> int:
        return self.demand + self.gap


def rank(needs, *, limit: int = TOP) -> list[Need]:
    """The categories with some need, largest combined need first; ties go to the larger skills gap (evidence from
    records rather than an estimate), then by name. At most `limit`."""
    ranked = sorted(
        (n for n in needs if n.combined > 0),
        key=lambda n: (-n.combined, -n.gap, n.name.casefold(), n.category_id),
    )
    return ranked[:limit]


@dataclass
class Priorities:
    """The ranked needs and the figures behind them."""

    needs: list[Need]
    respondents: int
    since: datetime.datetime
    today: datetime.date


def _in_sector(sector: Sector | None, path: str) -> Q:
    return Q(**{path: sector}) if sector else Q()


def demand_by_category(*, sector: Sector | None = None, since: datetime.datetime) -> dict[int, int]:
    """{category id: staff needing it} over the answers of active providers that still count (one query)."""
    rows = (
        DemandEstimate.objects.filter(
            _in_sector(sector, "organisation__sectors"),
            modified_at__gte=since,
            organisation__kind=Organisation.Kind.PROVIDER,
            organisation__is_active=True,
        )
        .values("category_id")
        .annotate(staff=Sum("staff_needing"))
    )
    return {r["category_id"]: int(r["staff"] or 0) for r in rows}


def respondent_count(*, sector: Sector | None = None, since: datetime.datetime) -> int:
    """How many active providers have answers that still count (one query)."""
    return (
        DemandEstimate.objects.filter(
            _in_sector(sector, "organisation__sectors"),
            modified_at__gte=since,
            organisation__kind=Organisation.Kind.PROVIDER,
            organisation__is_active=True,
        )
        .values("organisation_id")
        .distinct()
        .count()
    )


def gap_by_category(*, sector: Sector | None = None) -> dict[int, int]:
    """{category id: staff lacking it} where it is mandatory, as the records' skills gap page counts it."""
    today, window = skills.as_of()
    params = {"sector_id": getattr(sector, "pk", None), "area": None, "today": today, "window_days": window}
    rows = skills.skills_gap(**params)
    return {r.category_id: r.counts.gap for r in rows}


def commissioned_by_category(
    *, sector: Sector | None = None, now: datetime.datetime | None = None
) -> dict[int, tuple[int, int]]:
    """{category id: (upcoming runs, places they have left)} over runs not cancelled that start later (one query).

    With a sector, runs targeting it or targeting no sector (open to everyone).
    """
    runs = CourseRun.objects.filter(
        starts_at__gt=now or timezone.now(),
        status__in=[CourseRun.Status.OPEN, CourseRun.Status.PARTNERS, CourseRun.Status.CONFIRMED],
    )
    if sector:
        targeted = CourseRun.sectors.through.objects.filter(courserun_id=OuterRef("pk"))
        runs = runs.filter(Q(Exists(targeted.filter(sector_id=sector.pk))) | ~Q(Exists(targeted)))
    rows = (
        runs.filter(course__categories__isnull=False)
        .values("course__categories")
        .annotate(runs=Count("pk"), left=Sum(F("capacity") - F("places_taken")))
    )
    return {r["course__categories"]: (r["runs"], int(r["left"] or 0)) for r in rows}


def priorities(*, sector: Sector | None = None, limit: int = TOP, now: datetime.datetime | None = None) -> Priorities:
    """The top categories to commission, with their demand, gap and what is already commissioned (about 5 queries)."""
    since = current_since(now)
    demand = demand_by_category(sector=sector, since=since)
    gap = gap_by_category(sector=sector)
    names = dict(TrainingCategory.objects.filter(is_active=True).values_list("pk", "name"))
    ranked = rank(
        (Need(category_id=pk, name=name, demand=demand.get(pk, 0), gap=gap.get(pk, 0)) for pk, name in names.items()),
        limit=limit,
    )
    commissioned = commissioned_by_category(sector=sector, now=now)
    needs = [
        Need(
            category_id=n.category_id,
            name=n.name,
            demand=n.demand,
            gap=n.gap,
            upcoming_runs=commissioned.get(n.category_id, (0, 0))[0],
            places_left=commissioned.get(n.category_id, (0, 0))[1],
        )
        for n in ranked
    ]
    return Priorities(
        needs=needs,
        respondents=respondent_count(sector=sector, since=since),
        since=since,
        today=timezone.localdate(now),
    )
