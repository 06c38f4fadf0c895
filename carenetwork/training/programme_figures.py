"""Keeping the programme report's figures (`RunFigures`, `RunPurchaser`) up to date, and recounting them.

Every training service that changes what the report counts calls `programme_figures_refresh(run)` in its own
transaction, after its writes: a new or changed run, interest registered, changed or withdrawn, places booked,
cancelled or promoted, a decision or an override, an evaluation. The refresh recounts that one run from its own rows
(a run has at most a few dozen interests: one query) and who has places booked on it, so the figures are exact after
every write and never drift by a missed increment. Every kept row belongs to one run and is written under that run's
lock (or its figures' lock), so writers on different runs never wait for each other or overwrite each other.

A change of a course's usual price is one UPDATE of its runs' rows (`course_figures_refresh`).

`programme_figures_recount(repair)` recounts everything from scratch for `manage.py recount_figures`; the volume
generator, which writes rows directly, builds the figures with it.
"""

import datetime
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
    RunDecision,
    RunFigures,
    RunPurchaser,
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


def programme_figures_refresh(run: CourseRun) -> None:
    """Recount the run's figures and who has places booked on it; call it in the transaction that changed the run,
    its interests, decisions or evaluations, after the writes."""
    # The run's figures are locked first: a rating does not lock the run, and two at once must both be counted
    # (on PostgreSQL the second waits here, then counts what the first committed).
    kept = RunFigures.objects.select_for_update().filter(run_id=run.pk).values_list("run_id", flat=True).first()
    figures = _counted(CourseRun.objects.filter(pk=run.pk))[run.pk]
    if kept is None:
        RunFigures.objects.create(run_id=run.pk, **figures)
    else:
        RunFigures.objects.filter(run_id=run.pk).update(**figures)
    buyers = Interest.objects.filter(run_id=run.pk, status=BOOKED).values_list("organisation_id", flat=True)
    should = {(organisation_id, figures["quarter"]) for organisation_id in buyers}
    if set(RunPurchaser.objects.filter(run_id=run.pk).values_list("organisation_id", "quarter")) != should:
        RunPurchaser.objects.filter(run_id=run.pk).delete()
        RunPurchaser.objects.bulk_create(
            [RunPurchaser(run_id=run.pk, organisation_id=o, quarter=q) for o, q in sorted(should)]
        )


def course_figures_refresh(course: Course) -> None:
    """The course's usual price, which the saving is measured against, on its runs' figures (one UPDATE)."""
    RunFigures.objects.filter(run__course=course).update(usual_price=course.usual_price)


# The recount ----------------------------------------------------------------------------------------------


def _recounted_purchasers(quarters: dict[int, datetime.date]) -> set[tuple[int, int, datetime.date]]:
    """(run, organisation, quarter) for every organisation with places booked on a run."""
    booked = Interest.objects.filter(status=BOOKED).order_by().values_list("run_id", "organisation_id").distinct()
    return {(run_id, organisation_id, quarters[run_id]) for run_id, organisation_id in booked.iterator(CHUNK)}


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


def _purchaser_differences(recounted: set, kept: set) -> list[FigureDifference]:
    should = {(run_id, organisation_id): quarter for run_id, organisation_id, quarter in recounted}
    have = {(run_id, organisation_id): quarter for run_id, organisation_id, quarter in kept}
    return [
        FigureDifference("training_runpurchaser", f"run {key[0]} organisation {key[1]}", have.get(key), should.get(key))
        for key in sorted(should.keys() | have.keys())
        if have.get(key) != should.get(key)
    ]


def programme_figures_recount(repair: bool = False) -> list[FigureDifference]:
    """Recount every run's figures and who has places booked on it from scratch; the kept figures that differ
    (and, with `repair`, put the recount in their place)."""
    recounted = _counted(CourseRun.objects.all())
    kept = {row.pop("run_id"): row for row in RunFigures.objects.values("run_id", *RunFigures.FIGURES)}
    differences, wrong = _run_differences(recounted, kept)
    purchasers = _recounted_purchasers({pk: figures["quarter"] for pk, figures in recounted.items()})
    kept_purchasers = set(RunPurchaser.objects.values_list("run_id", "organisation_id", "quarter"))
    purchaser_differences = _purchaser_differences(purchasers, kept_purchasers)
    if repair and wrong:
        for start in range(0, len(wrong), CHUNK):
            RunFigures.objects.filter(run_id__in=wrong[start : start + CHUNK]).delete()
        RunFigures.objects.bulk_create(
            [RunFigures(run_id=pk, **recounted[pk]) for pk in wrong if pk in recounted], batch_size=CHUNK
        )
    if repair and purchaser_differences:
        RunPurchaser.objects.all().delete()
        RunPurchaser.objects.bulk_create(
            [RunPurchaser(run_id=r, organisation_id=o, quarter=q) for r, o, q in sorted(purchasers)],
            batch_size=CHUNK,
        )
    return differences + purchaser_differences
