"""Keeping the programme report's figures (`RunFigures`, `QuarterPurchaser`) up to date, and recounting them.

Every training service that changes what the report counts calls `programme_figures_refresh(run)` in its own
transaction, after its writes: a new or changed run, interest registered, changed or withdrawn, places booked,
cancelled or promoted, a decision or an override, an evaluation. The refresh recounts that one
run from its own rows (a run has at most a few dozen interests: one query) and the quarters of the organisations
with interests on it, so the figures are exact after every write and never drift by a missed increment.

A change of a course's usual price is one UPDATE of its runs' rows (`course_figures_refresh`).

`programme_figures_recount(repair)` recounts everything from scratch for `manage.py recount_figures`; the volume
generator, which writes rows directly, builds the figures with it.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from carenetwork.core.registry import FigureDifference
from carenetwork.training.models import (
    Course,
    CourseRun,
    Evaluation,
    Interest,
    QuarterPurchaser,
    RunDecision,
    RunFigures,
)

PENNY = Decimal("0.01")
QUESTIONS = Evaluation.QUESTIONS
Status = CourseRun.Status
BOOKED = Interest.Status.BOOKED
MONEY = DecimalField(max_digits=12, decimal_places=2)
CHUNK = 2000


def quarter_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the quarter (April, July, October, January) of the moment's local date."""
    day = timezone.localdate(moment)
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _total(rows: QuerySet, expression, output_field=None) -> Coalesce:
    """The sum of `expression` over the rows of a subquery correlated with the run, 0 when there are none."""
    output_field = output_field or IntegerField()
    total = rows.order_by().values("run").annotate(total=Sum(expression, output_field=output_field)).values("total")
    return Coalesce(Subquery(total, output_field=output_field), 0, output_field=output_field)


def _counted(runs: QuerySet[CourseRun]) -> dict[int, dict]:
    """{run id: its figures, recounted from its interests, decisions and evaluations}, in one query."""
    booked = Interest.objects.filter(run=OuterRef("pk"), status=BOOKED)
    priced = booked.filter(price__isnull=False)
    evaluations = Evaluation.objects.filter(run=OuterRef("pk"))
    paid = ExpressionWrapper(F("price") * F("places"), output_field=MONEY)
    at_decision = RunDecision.objects.filter(run=OuterRef("pk")).order_by("-at", "-pk").values("places")[:1]
    rows = runs.order_by().values(
        "pk", "starts_at", "capacity", "status", "places_taken", "partners_offered_at", "course__usual_price"
    )
    rows = rows.annotate(
        booked_places=_total(booked, "places"),
        booked_spend=_total(booked, "amount_due", MONEY),
        booked_priced=_total(priced, "places"),
        booked_paid=_total(priced, paid, MONEY),
        decision_places=Subquery(at_decision),
        untargeted=~Exists(CourseRun.sectors.through.objects.filter(courserun_id=OuterRef("pk"))),
        evaluation_count=Coalesce(
            Subquery(evaluations.order_by().values("run").annotate(n=Count("pk")).values("n")), 0
        ),
        **{f"total_{q}": _total(evaluations, q) for q in QUESTIONS},
    )
    return {row["pk"]: _figures_of(row) for row in rows}


def _figures_of(row: dict) -> dict:
    if row["status"] == Status.CONFIRMED:
        filled = row["booked_places"]
    elif row["status"] == Status.CANCELLED:
        filled = row["decision_places"] or 0
    else:
        filled = row["places_taken"]
    return {
        "quarter": quarter_of(row["starts_at"]),
        "places_offered": row["capacity"],
        "places_filled": filled,
        "status": row["status"],
        "offered_to_partners": row["partners_offered_at"] is not None,
        "targets_everyone": row["untargeted"],
        "places_booked": row["booked_places"],
        "spend": Decimal(row["booked_spend"]).quantize(PENNY),
        "places_priced": row["booked_priced"],
        "price_total": Decimal(row["booked_paid"]).quantize(PENNY),
        "usual_price": row["course__usual_price"],
        "evaluations": row["evaluation_count"],
        **{q: row[f"total_{q}"] for q in QUESTIONS},
    }


def _purchasers_refresh(organisations: QuerySet, quarters: set[datetime.date]) -> None:
    """Recount the bookings of these organisations on runs starting in these quarters (from the runs' figures)."""
    counts = (
        Interest.objects.filter(
            status=BOOKED, organisation__in=organisations, run__programme_figures__quarter__in=sorted(quarters)
        )
        .order_by()
        .values_list("organisation_id", "run__programme_figures__quarter")
        .annotate(n=Count("pk"))
    )
    rows = [QuarterPurchaser(organisation_id=org, quarter=quarter, bookings=n) for org, quarter, n in counts]
    QuarterPurchaser.objects.filter(organisation__in=organisations, quarter__in=sorted(quarters)).delete()
    QuarterPurchaser.objects.bulk_create(rows)


def programme_figures_refresh(run: CourseRun) -> None:
    """Recount the run's figures, and its organisations' bookings in the quarters it starts in now and did before;
    call it in the transaction that changed the run, its interests, decisions or evaluations, after the writes."""
    kept = RunFigures.objects.filter(run_id=run.pk).values_list("quarter", flat=True).first()
    figures = _counted(CourseRun.objects.filter(pk=run.pk))[run.pk]
    if kept is None:
        RunFigures.objects.create(run_id=run.pk, **figures)
    else:
        RunFigures.objects.filter(run_id=run.pk).update(**figures)
    organisations = Interest.objects.filter(run_id=run.pk).values("organisation_id")
    _purchasers_refresh(organisations, {figures["quarter"], kept} - {None})


def course_figures_refresh(course: Course) -> None:
    """The course's usual price, which the saving is measured against, on its runs' figures (one UPDATE)."""
    RunFigures.objects.filter(run__course=course).update(usual_price=course.usual_price)


# The recount ----------------------------------------------------------------------------------------------


def _recounted_purchasers(quarters: dict[int, datetime.date]) -> dict[tuple[int, datetime.date], int]:
    bookings = (
        Interest.objects.filter(status=BOOKED)
        .order_by()
        .values_list("organisation_id", "run_id")
        .annotate(n=Count("pk"))
    )
    counts: Counter = Counter()
    for organisation_id, run_id, n in bookings.iterator(chunk_size=5000):
        counts[(organisation_id, quarters[run_id])] += n
    return dict(counts)


def _run_differences(recounted: dict[int, dict], kept: dict[int, dict]) -> tuple[list, list[int]]:
    differences, wrong = [], []
    for pk in sorted(recounted.keys() | kept.keys()):
        should, have = recounted.get(pk), kept.get(pk)
        if have is None or should is None:
            differences.append(FigureDifference("training_runfigures", f"run {pk}", have, should))
            wrong.append(pk)
            continue
        fields = [name for name in RunFigures.FIGURES if have[name] != should[name]]
        differences += [
            FigureDifference("training_runfigures", f"run {pk} {name}", have[name], should[name]) for name in fields
        ]
        if fields:
            wrong.append(pk)
    return differences, wrong


def _purchaser_differences(recounted: dict, kept: dict) -> list[FigureDifference]:
    differences = []
    for organisation_id, quarter in sorted(recounted.keys() | kept.keys()):
        have, should = kept.get((organisation_id, quarter)), recounted.get((organisation_id, quarter))
        if have != should:
            key = f"organisation {organisation_id} quarter {quarter:%Y-%m}"
            differences.append(FigureDifference("training_quarterpurchaser", key, have, should))
    return differences


def programme_figures_recount(repair: bool = False) -> list[FigureDifference]:
    """Recount every run's figures and every organisation's bookings per quarter from scratch; the kept figures
    that differ (and, with `repair`, put the recount in their place)."""
    recounted = _counted(CourseRun.objects.all())
    kept = {row.pop("run_id"): row for row in RunFigures.objects.values("run_id", *RunFigures.FIGURES)}
    differences, wrong = _run_differences(recounted, kept)
    purchasers = _recounted_purchasers({pk: figures["quarter"] for pk, figures in recounted.items()})
    kept_rows = QuarterPurchaser.objects.values_list("organisation_id", "quarter", "bookings")
    kept_purchasers = {(org, quarter): n for org, quarter, n in kept_rows}
    purchaser_differences = _purchaser_differences(purchasers, kept_purchasers)
    if repair and wrong:
        for start in range(0, len(wrong), CHUNK):
            RunFigures.objects.filter(run_id__in=wrong[start : start + CHUNK]).delete()
        RunFigures.objects.bulk_create(
            [RunFigures(run_id=pk, **recounted[pk]) for pk in wrong if pk in recounted], batch_size=CHUNK
        )
    if repair and purchaser_differences:
        QuarterPurchaser.objects.all().delete()
        QuarterPurchaser.objects.bulk_create(
            [QuarterPurchaser(organisation_id=o, quarter=q, bookings=n) for (o, q), n in purchasers.items()],
            batch_size=CHUNK,
        )
    return differences + purchaser_differences
