"""Keeping the programme report's figures (`RunFigures`, `RunPurchaser`) up to date, and recounting them.

Every training service that changes what the report counts calls `programme_figures_refresh(run)` in its own
transaction, after its writes: a new or changed run, interest registered, changed or withdrawn, places booked,
cancelled or promoted, a decision or an override, an evaluation. The refresh recounts that one run from its own rows
(a run has at most a few dozen interests: one query) and who has places booked on it, so the figures are exact after
every write and never drift by a missed increment. Every kept row belongs to one run and is written under that run's
lock (or its figures' lock), so writers on different runs never wait for each other or overwrite each other.

A change of a course's usual price is one UPDATE of its runs' rows (`course_figures_refresh`).

What the report adds up is kept added up too, as change rows (`carenetwork.core.sums`): each change of a run's
figures appends its difference to its quarter's sums (`ProgrammeQuarter`), and each change of who bought in a
quarter, or of a provider's sectors or standing, appends its difference to the count of active providers by sectors,
now and per quarter and financial year in which they bought (`ProgrammeProviders`). The organisations whose
purchases change are locked first (in id order), so two runs booked by one organisation at once count it once.
`programme_compact` (a task, asked for after each change) folds the rows.

`programme_figures_recount(repair)` recounts everything from scratch for `manage.py recount_figures`; the volume
generator, which writes rows directly, builds the figures with it.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
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

from carenetwork.core.queue import enqueue_on_commit
from carenetwork.core.registry import FigureDifference
from carenetwork.core.sums import sums_append, sums_compact
from carenetwork.organisations.models import Organisation
from carenetwork.training.models import (
    Course,
    CourseRun,
    Evaluation,
    Interest,
    ProgrammeProviders,
    ProgrammeQuarter,
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
OrganisationSectors = Organisation.sectors.through
QUARTER_KEY = ("quarter",)
PROVIDERS_KEY = ("starts", "months", "sectors")


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
    kept = RunFigures.objects.select_for_update().filter(run_id=run.pk).values(*RunFigures.FIGURES).first()
    figures = _counted(CourseRun.objects.filter(pk=run.pk))[run.pk]
    if kept is None:
        RunFigures.objects.create(run_id=run.pk, **figures)
    else:
        RunFigures.objects.filter(run_id=run.pk).update(**figures)
    _quarters_add([kept] if kept else [], [figures])
    buyers = Interest.objects.filter(run_id=run.pk, status=BOOKED).values_list("organisation_id", flat=True)
    should = {(organisation_id, figures["quarter"]) for organisation_id in buyers}
    have = set(RunPurchaser.objects.filter(run_id=run.pk).values_list("organisation_id", "quarter"))
    if have != should:

        def rewrite():
            RunPurchaser.objects.filter(run_id=run.pk).delete()
            RunPurchaser.objects.bulk_create(
                [RunPurchaser(run_id=run.pk, organisation_id=o, quarter=q) for o, q in sorted(should)]
            )

        _providers_change({o for o, _q in have | should}, rewrite)


def course_figures_refresh(course: Course) -> None:
    """The course's usual price, which the saving is measured against, on its runs' figures (one UPDATE), and the
    quarters' savings moved with it."""
    runs = RunFigures.objects.filter(run_id__in=CourseRun.objects.filter(course=course).values("pk"))
    before = list(runs.select_for_update().values(*RunFigures.FIGURES))
    runs.update(usual_price=course.usual_price)
    _quarters_add(before, [{**figures, "usual_price": course.usual_price} for figures in before])


def run_deleting(*, instance: CourseRun, **kwargs) -> None:
    """Take a deleted run out of its quarter's sums and its buyers' purchases (the `pre_delete` receiver)."""
    kept = RunFigures.objects.select_for_update().filter(run_id=instance.pk).values(*RunFigures.FIGURES).first()
    if kept:
        _quarters_add([kept], [])
    buyers = set(RunPurchaser.objects.filter(run_id=instance.pk).values_list("organisation_id", flat=True))
    if buyers:
        _providers_change(buyers, RunPurchaser.objects.filter(run_id=instance.pk).delete)


# The quarters' sums and the providers' counts --------------------------------------------------------------


def _quarter_part(figures: dict) -> dict:
    """What one run adds to its quarter's sums."""
    confirmed = figures["status"] == Status.CONFIRMED
    usual = figures["usual_price"]
    return {
        "runs": 1,
        "places_offered": figures["places_offered"],
        "places_filled": figures["places_filled"],
        "runs_confirmed": int(confirmed),
        "runs_rescued": int(confirmed and figures["offered_to_partners"]),
        "runs_cancelled": int(figures["status"] == Status.CANCELLED),
        "untargeted_runs": int(figures["targets_everyone"]),
        "places_booked": figures["places_booked"],
        "spend": Decimal(figures["spend"]),
        "places_compared": figures["places_priced"] if usual is not None else 0,
        "saving_total": usual * figures["places_priced"] - figures["price_total"] if usual is not None else 0,
        "evaluations": figures["evaluations"],
        **{q: figures[q] for q in QUESTIONS},
    }


def _quarter_sums(runs: Iterable[dict], sign: int = 1, into: dict | None = None) -> dict[tuple, dict]:
    """{(quarter,): sums} of runs' figures, added to `into` (taken away with sign -1)."""
    sums = {} if into is None else into
    for figures in runs:
        total = sums.setdefault((figures["quarter"],), dict.fromkeys(ProgrammeQuarter.SUMS, 0))
        for name, value in _quarter_part(figures).items():
            total[name] += sign * value
    return sums


def _quarters_add(before: list[dict], after: list[dict]) -> None:
    """Append what runs' figures changed by to their quarters' sums, and ask for a compaction."""
    if sums_append(ProgrammeQuarter, _quarter_sums(before, -1, _quarter_sums(after)), QUARTER_KEY):
        _compact_soon()


def _year_of(quarter: datetime.date) -> datetime.date:
    """The first day (1 April) of the financial year a quarter is in."""
    return datetime.date(quarter.year if quarter.month >= 4 else quarter.year - 1, 4, 1)


def _provider_counts(organisations: QuerySet, purchases: Iterable[tuple[int, datetime.date]] | None = None) -> Counter:
    """{(starts, months, sectors): providers} for these organisations: each once now, and once in each quarter and
    financial year it bought in (from the kept purchasers, or `purchases`: (organisation, quarter) pairs); three
    queries."""
    ids = list(organisations.values_list("pk", flat=True))
    sectors = defaultdict(list)
    in_sectors = OrganisationSectors.objects.filter(organisation__in=organisations).order_by("sector_id")
    for organisation_id, sector_id in in_sectors.values_list("organisation_id", "sector_id"):
        sectors[organisation_id].append(str(sector_id))
    if purchases is None:
        bought = RunPurchaser.objects.filter(organisation__in=organisations).order_by()
        purchases = bought.values_list("organisation_id", "quarter").distinct()
    quarters = defaultdict(set)
    for organisation_id, quarter in purchases:
        quarters[organisation_id].add(quarter)
    counts = Counter()
    for organisation_id in ids:
        key = ",".join(sectors[organisation_id])
        counts[(None, 0, key)] += 1
        for quarter in quarters[organisation_id]:
            counts[(quarter, 3, key)] += 1
        for year in {_year_of(quarter) for quarter in quarters[organisation_id]}:
            counts[(year, 12, key)] += 1
    return counts


def _active_providers(ids: Iterable[int]) -> QuerySet:
    return Organisation.objects.filter(pk__in=sorted(ids), kind=Organisation.Kind.PROVIDER, is_active=True)


def _providers_add(after: Counter, before: Counter) -> None:
    change = Counter(after)
    change.subtract(before)
    rows = {key: {"providers": n} for key, n in change.items() if n}
    if sums_append(ProgrammeProviders, rows, PROVIDERS_KEY):
        _compact_soon()


def _providers_change(organisation_ids: Iterable[int], change: Callable[[], object]) -> None:
    """Make a change to organisations' purchases or sectors, and count its difference to the providers' counts.
    The organisations are locked first, in id order, so two changes for one organisation take turns."""
    ids = sorted(set(organisation_ids))
    list(Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    before = _provider_counts(_active_providers(ids))
    change()
    _providers_add(_provider_counts(_active_providers(ids)), before)


def _compact_soon() -> None:
    """Queue a compaction of the programme figures with the transaction that added rows to them."""
    from carenetwork.training.tasks import compact_programme_figures

    enqueue_on_commit(compact_programme_figures)


def programme_compact() -> int:
    """Fold the quarters' and the providers' change rows into one row per key (how many rows went)."""
    return sums_compact(ProgrammeQuarter, QUARTER_KEY, ProgrammeQuarter.SUMS) + sums_compact(
        ProgrammeProviders, PROVIDERS_KEY, ProgrammeProviders.SUMS
    )


# An organisation's standing and sectors (receivers registered by `training.apps`) ---------------------------------


def _is_provider(kind: str, is_active: bool) -> bool:
    return kind == Organisation.Kind.PROVIDER and is_active


def organisation_saving(*, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Note whether an organisation was an active provider before a save (the `pre_save` receiver); a save of other
    fields only costs no query."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"kind", "is_active"} & set(update_fields):
        instance._programme_provider = _is_provider(instance.kind, instance.is_active)
        return
    before = Organisation.objects.filter(pk=instance.pk).values_list("kind", "is_active").first()
    instance._programme_provider = _is_provider(*before) if before else None


def organisation_saved(*, instance, created, raw=False, **kwargs) -> None:
    """Count an organisation in or out of the providers when it starts or stops being an active provider (the
    `post_save` receiver)."""
    if raw:
        return
    was = False if created else getattr(instance, "_programme_provider", None)
    now = _is_provider(instance.kind, instance.is_active)
    if was is None or was == now:
        return
    counts = _provider_counts(Organisation.objects.filter(pk=instance.pk))
    if now:
        _providers_add(counts, Counter())
    else:
        _providers_add(Counter(), counts)


def organisation_deleting(*, instance, **kwargs) -> None:
    """Count a deleted active provider out (the `pre_delete` receiver)."""
    if _is_provider(instance.kind, instance.is_active):
        _providers_add(Counter(), _provider_counts(Organisation.objects.filter(pk=instance.pk)))


def sectors_changed(*, instance, action, reverse, pk_set, **kwargs) -> None:
    """Move providers between sector sets when their sectors change (the `m2m_changed` receiver)."""
    if action.startswith("pre_"):
        if not reverse:
            ids = [instance.pk]
        elif pk_set is not None:
            ids = sorted(pk_set)
        else:  # a sector cleared of its organisations
            ids = list(
                OrganisationSectors.objects.filter(sector_id=instance.pk).values_list("organisation_id", flat=True)
            )
        list(Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        instance._programme_sectors = (ids, _provider_counts(_active_providers(ids)))
    elif action.startswith("post_") and hasattr(instance, "_programme_sectors"):
        ids, before = instance._programme_sectors
        del instance._programme_sectors
        _providers_add(_provider_counts(_active_providers(ids)), before)


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
    quarters = _quarter_sums(recounted.values())
    providers = _provider_counts(
        Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_active=True),
        {(organisation_id, quarter) for _run, organisation_id, quarter in purchasers},
    )
    sums_differences = _sums_differences(ProgrammeQuarter, QUARTER_KEY, quarters, repair) + _sums_differences(
        ProgrammeProviders, PROVIDERS_KEY, {key: {"providers": n} for key, n in providers.items() if n}, repair
    )
    return differences + purchaser_differences + sums_differences


def _exact(value):
    """A sum as kept: pounds to the penny (SQLite adds decimals up as floating point)."""
    return Decimal(value).quantize(PENNY) if isinstance(value, Decimal | float) else value


def _sums_differences(model, keys: tuple, recounted: dict[tuple, dict], repair: bool) -> list[FigureDifference]:
    """The kept sums (each key's rows added up) that differ from the recount; with `repair`, the recount written in
    their place."""
    kept = {}
    for row in model.objects.values(*keys).annotate(**{f"total_{n}": Sum(n) for n in model.SUMS}).order_by():
        kept[tuple(row[k] for k in keys)] = {n: _exact(row[f"total_{n}"]) for n in model.SUMS}
    zero = dict.fromkeys(model.SUMS, 0)
    table = model._meta.db_table
    differences = []
    for key in sorted(kept.keys() | recounted.keys(), key=str):
        have = kept.get(key, zero)
        should = {n: _exact(v) for n, v in recounted.get(key, zero).items()}
        label = ", ".join(f"{name} {value}" for name, value in zip(keys, key, strict=True))
        differences += [
            FigureDifference(table, f"{label} {n}", have[n], should[n]) for n in model.SUMS if have[n] != should[n]
        ]
    if repair and differences:
        model.objects.all().delete()
        sums_append(model, recounted, keys)
    return differences
