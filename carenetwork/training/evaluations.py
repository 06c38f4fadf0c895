"""Evaluation scores rolled up per course, per run and per training provider, for quality assurance.

Each rollup is one aggregate query grouped in the database. The programme report calls `course_scores` and
`provider_scores`, optionally limited to runs starting in a period.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, FloatField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from carenetwork.core.access import require
from carenetwork.training import permissions
from carenetwork.training.models import Course, CourseRun, Evaluation

ONE_PLACE = Decimal("0.1")
QUESTIONS = Evaluation.QUESTIONS


@dataclass(frozen=True)
class Scores:
    """How many people answered and the mean of each question (1–5, to one decimal place); `average` is the mean
    over all four questions."""

    responses: int
    met_aims: Decimal | None
    trainer: Decimal | None
    useful: Decimal | None
    overall: Decimal | None
    average: Decimal | None

    def by_question(self) -> list[tuple[str, Decimal | None]]:
        """(question as asked, mean) in the order the form asks them."""
        return [(str(Evaluation._meta.get_field(q).verbose_name), getattr(self, q)) for q in QUESTIONS]


NO_SCORES = Scores(0, None, None, None, None, None)


def question_labels() -> list[str]:
    return [str(Evaluation._meta.get_field(q).verbose_name) for q in QUESTIONS]


def _one_place(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _aggregates() -> dict:
    total = F("met_aims") + F("trainer") + F("useful") + F("overall")
    return {
        "responses": Count("pk"),
        **{f"mean_{q}": Avg(q) for q in QUESTIONS},
        "mean_all": Avg(Cast(total, FloatField()) / 4.0),
    }


def _scores(row: dict) -> Scores:
    return Scores(
        responses=row["responses"],
        **{q: _one_place(row[f"mean_{q}"]) for q in QUESTIONS},
        average=_one_place(row["mean_all"]),
    )


def _evaluations(
    *, starts_from: datetime.datetime | None = None, starts_before: datetime.datetime | None = None
) -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.all()
    if starts_from is not None:
        evaluations = evaluations.filter(run__starts_at__gte=starts_from)
    if starts_before is not None:
        evaluations = evaluations.filter(run__starts_at__lt=starts_before)
    return evaluations


def _grouped(evaluations: QuerySet[Evaluation], key: str) -> dict[int, Scores]:
    rows = evaluations.values(key).annotate(**_aggregates()).order_by()
    return {row[key]: _scores(row) for row in rows}


def course_scores(course_ids=None, **period) -> dict[int, Scores]:
    """{course id: its scores} for the courses given (every course when None) that have any evaluations.

    `starts_from` / `starts_before` (aware datetimes) count only runs starting in that period."""
    evaluations = _evaluations(**period)
    if course_ids is not None:
        evaluations = evaluations.filter(run__course_id__in=list(course_ids))
    return _grouped(evaluations, "run__course_id")


def provider_scores(provider_ids=None, **period) -> dict[int, Scores]:
    """{training provider's organisation id: the scores over all its courses}, one query."""
    evaluations = _evaluations(**period)
    if provider_ids is not None:
        evaluations = evaluations.filter(run__course__provider_id__in=list(provider_ids))
    return _grouped(evaluations, "run__course__provider_id")


def run_scores(course: Course) -> dict[int, Scores]:
    """{run id: its scores} for the course's runs."""
    return _grouped(Evaluation.objects.filter(run__course=course), "run_id")


def overall_scores(evaluations: QuerySet[Evaluation]) -> Scores:
    """One row of scores over the evaluations given."""
    row = evaluations.aggregate(**_aggregates())
    return _scores(row) if row["responses"] else NO_SCORES


# The pages' selectors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRow:
    run: CourseRun
    scores: Scores


# A run's own scores are shown only from this many responses: the training provider knows who was on each run.
SMALLEST_GROUP_SHOWN = 3


def course_evaluations_for(*, user, course: Course) -> dict:
    """A course's scores, per run, and its comments (without names or runs), for the council and its training
    provider; a run's own scores only from SMALLEST_GROUP_SHOWN responses, so nobody's answers can be picked out."""
    require(permissions.can_view_evaluations(user, course))
    evaluations = Evaluation.objects.filter(run__course=course)
    per_run = run_scores(course)
    runs = CourseRun.objects.filter(pk__in=list(per_run)).order_by("-starts_at")
    return {
        "scores": overall_scores(evaluations),
        "runs": [RunRow(run, per_run[run.pk]) for run in runs],
        "smallest_group": SMALLEST_GROUP_SHOWN,
        "comments": evaluations.exclude(comments="").only("comments", "created_at").order_by("-created_at", "-pk"),
    }


@dataclass(frozen=True)
class CourseRow:
    course: Course
    scores: Scores


def provider_evaluations_for(*, user, organisation) -> dict:
    """Each of the training provider's courses with its scores, and the provider's scores overall."""
    if not permissions.can_view_provider_evaluations(user, organisation):
        raise Http404
    courses = list(Course.objects.filter(provider=organisation).only("pk", "title", "status").order_by("title"))
    per_course = course_scores([c.pk for c in courses])
    return {
        "scores": provider_scores([organisation.pk]).get(organisation.pk, NO_SCORES),
        "courses": [CourseRow(c, per_course.get(c.pk, NO_SCORES)) for c in courses],
    }
