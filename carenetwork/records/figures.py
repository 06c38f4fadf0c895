"""The council's compliance figures, maintained so that a report reads a few thousand rows, not every person.

`ComplianceFigure` holds, per organisation and mandatory category (per sector, and over all its sectors), the
recount of `records.recount` as at one day and reminder window (`ComplianceFiguresState`). The services that
change what is counted — staff saved or imported, covers refreshed, council rules added or removed, an
organisation's sectors changed — call `figures_refresh` in their own transaction, which recounts those
organisations' rows (a read of their own covers). An organisation's kind, activity and area are read with its
figures, so changing them needs no refresh of them.

The market-wide pages read `MarketFigure`: the figures of the active providers summed by sector, area and category.
Each change to an organisation's figures appends its difference there as new rows (writers never update a shared
row, so never wait on each other), an organisation's save moves its part when it stops or starts being an active
provider or changes area, and `market_compact` (a task asked for after each change, and the daily roll) folds each
key's rows into one.

Time moves the counts too: training expires, people leave on a date set in advance. A person's part in the counts
changes only when one of their dates passes, so a report for another day or window adds, to the figures, the
difference between the two days' recounts of just those people (`recount.people_between`: a day's worth of
expiries, not the market). The daily `figures_roll` moves the figures themselves to today the same way, so
that difference is usually empty; the pages are right whether or not it has run.

Concurrency: every refresh takes the organisations' rows FOR UPDATE (in id order) before recounting, so two
writers for the same organisation refresh one after the other and the second sees the first's rows; on PostgreSQL
they take the state row FOR SHARE and the roll takes it FOR UPDATE, so the figures never mix two days.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import asdict

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from carenetwork.core.queue import enqueue_on_commit
from carenetwork.core.registry import FigureDifference
from carenetwork.organisations.models import Organisation
from carenetwork.records.models import (
    ComplianceFigure,
    ComplianceFiguresState,
    MarketFigure,
    RecordsSettings,
    StaffMember,
)
from carenetwork.records.recount import People, people_between, requirement_recount
from carenetwork.records.rules import Counts

CHUNK = 500
FOLLOW_AT_MOST = 200  # people followed one by one; more (an import) and their organisations are recounted
TOTAL = None  # the sector of a figure over all of an organisation's sectors
GROUP_FIELDS = {"sector": "sector_id", "area": "organisation__area", "organisation": "organisation_id"}
MARKET_FIELDS = {"sector": "sector_id", "area": "area"}  # the market figures have no organisation
MARKET_PLACE_FIELDS = {"kind", "is_active", "area"}  # what decides whether and where an organisation counts
Key = tuple[int, int | None, int]  # (organisation id, sector id or TOTAL, category id)


def _state(*, lock: str = "") -> ComplianceFiguresState | None:
    """The figures' day and window; `lock` "share" or "update" locks the row on PostgreSQL."""
    if lock and connection.vendor == "postgresql":
        rows = ComplianceFiguresState.objects.raw(
            f"SELECT * FROM records_compliancefiguresstate ORDER BY id LIMIT 1 FOR {lock.upper()}"
        )
        return next(iter(rows), None)
    return ComplianceFiguresState.objects.order_by("pk").first()


def _recount(*, as_at: tuple[datetime.date, int], organisation_ids=None, people: People | None = None) -> dict:
    """Every figure (or those of some organisations, or some people's part) recounted, keyed (org, sector, cat)."""
    day, window = as_at
    criteria = {"today": day, "window_days": window, "active_providers": False, "people": people}
    if organisation_ids is not None:
        criteria["organisation_ids"] = list(organisation_ids)
    figures: dict[Key, Counts] = {}
    for (category_id, organisation_id), counts in requirement_recount(by=("organisation",), **criteria).items():
        figures[(organisation_id, TOTAL, category_id)] = counts
    by_sector = requirement_recount(by=("organisation", "sector"), **criteria)
    for (category_id, organisation_id, sector_id), counts in by_sector.items():
        figures[(organisation_id, sector_id, category_id)] = counts
    return figures


def _rows(figures: dict[Key, Counts]) -> list[ComplianceFigure]:
    return [
        ComplianceFigure(organisation_id=organisation_id, sector_id=sector_id, category_id=category_id, **asdict(c))
        for (organisation_id, sector_id, category_id), c in figures.items()
        if c
    ]


def _kept(queryset=None) -> dict[Key, Counts]:
    queryset = ComplianceFigure.objects.all() if queryset is None else queryset
    return {
        (o, s, c): Counts(*n)
        for o, s, c, *n in queryset.values_list(
            "organisation_id", "sector_id", "category_id", "required", "in_date", "expiring", "expired"
        )
    }


@transaction.atomic
def figures_rebuild(*, as_at: tuple[datetime.date, int] | None = None) -> int:
    """Recount every figure as at today (or `as_at`) and the council's window; how many rows were written."""
    state = _state(lock="update")
    as_at = as_at or (timezone.localdate(), RecordsSettings.current().reminder_days)
    rows = _rows(_recount(as_at=as_at))
    ComplianceFigure.objects.all().delete()
    ComplianceFigure.objects.bulk_create(rows, batch_size=2000)
    market_rebuild()
    if state is None:
        state = ComplianceFiguresState()
    state.as_of, state.window_days = as_at
    state.save()
    return len(rows)


@transaction.atomic
def figures_refresh(organisation_ids: Iterable[int]) -> None:
    """Recount these organisations' figures, after their staff, covers, rules or sectors changed."""
    ids = sorted({pk for pk in organisation_ids if pk is not None})
    if not ids:
        return
    state = _state(lock="share")
    if state is None:  # never built: build them all, these organisations included
        figures_rebuild()
        return
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _lock(chunk)
        recounted = _recount(as_at=(state.as_of, state.window_days), organisation_ids=chunk)
        kept = ComplianceFigure.objects.filter(organisation_id__in=chunk)
        _market_add(_add(recounted, _kept(kept), sign=-1))
        kept.delete()
        ComplianceFigure.objects.bulk_create(_rows(recounted), batch_size=2000)


def sectors_changed(*, instance, action, reverse, pk_set, **kwargs) -> None:
    """Refresh the figures of organisations whose sectors changed (the `m2m_changed` receiver)."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        figures_refresh([instance.pk])
    elif pk_set:  # a sector's organisations changed
        figures_refresh(pk_set)
    elif _state() is not None:  # a sector cleared of every organisation, which are no longer known: recount all
        figures_rebuild()


def figures_refresh_sector(sector_id: int) -> None:
    """Recount the figures of every organisation in a sector, after the council's rules for it changed."""
    figures_refresh(
        Organisation.sectors.through.objects.filter(sector_id=sector_id).values_list("organisation_id", flat=True)
    )


def _difference(first: tuple[datetime.date, int], second: tuple[datetime.date, int], **criteria) -> dict:
    """What to add to counts as at `first` to have them as at `second`: the second recount of the people whose
    dates fall between, less the first."""
    people = people_between(first, second)
    before = requirement_recount(today=first[0], window_days=first[1], people=people, **criteria)
    after = requirement_recount(today=second[0], window_days=second[1], people=people, **criteria)
    return {key: after.get(key, Counts()) - before.get(key, Counts()) for key in before.keys() | after.keys()}


@transaction.atomic
def figures_roll(*, today: datetime.date | None = None) -> int:
    """Move the figures to today and the council's current window, by the part of the people whose dates passed
    (daily, and when the window changes); how many figures changed."""
    state = _state(lock="update")
    if state is None:
        return figures_rebuild()
    now = (today or timezone.localdate(), RecordsSettings.current().reminder_days)
    then = (state.as_of, state.window_days)
    if now == then:
        return 0
    people = people_between(then, now)
    changes = _add(_recount(as_at=now, people=people), _recount(as_at=then, people=people), sign=-1)
    _apply(changes)
    state.as_of, state.window_days = now
    state.save()
    return len(changes)


def _add(figures: dict[Key, Counts], others: dict[Key, Counts], *, sign: int = 1) -> dict[Key, Counts]:
    """The figures plus (or less) the others, leaving out what comes to nothing."""
    total = dict(figures)
    for key, counts in others.items():
        total[key] = total.get(key, Counts()) + counts if sign > 0 else total.get(key, Counts()) - counts
    return {key: counts for key, counts in total.items() if counts}


def _apply(changes: dict[Key, Counts]) -> None:
    """Add changes to the kept figures, rewriting the rows of the organisations concerned."""
    organisation_ids = sorted({key[0] for key in changes})
    for start in range(0, len(organisation_ids), CHUNK):
        ids = set(organisation_ids[start : start + CHUNK])
        rows = ComplianceFigure.objects.filter(organisation_id__in=ids)
        change = {key: c for key, c in changes.items() if key[0] in ids}
        figures = _add(_kept(rows), change)
        rows.delete()
        ComplianceFigure.objects.bulk_create(_rows(figures), batch_size=2000)
        _market_add(change)


@contextmanager
def figures_follow(staff_ids: Iterable[int]):
    """Keep the figures right while the block changes these people or their covers: their part is counted before
    and after, and the difference added to their organisations' figures. For many people (an import), their
    organisations are recounted after the block instead."""
    ids = sorted(set(staff_ids))
    with transaction.atomic():
        state = _state(lock="share")
        if state is None or len(ids) > FOLLOW_AT_MOST:
            organisations = _organisations_of(ids)
            yield
            figures_refresh(organisations | _organisations_of(ids))
            return
        as_at = (state.as_of, state.window_days)
        people = People(", ".join(["%s"] * len(ids)) or "NULL", tuple(ids))
        _lock(_organisations_of(ids))
        before = _recount(as_at=as_at, people=people)
        yield
        _lock(_organisations_of(ids))
        _apply(_add(_recount(as_at=as_at, people=people), before, sign=-1))


@transaction.atomic
def figures_count_in(staff_ids: Iterable[int]) -> None:
    """Add the part of people just added to the register to their organisations' figures."""
    ids = sorted(set(staff_ids))
    state = _state(lock="share")
    if state is None:
        figures_rebuild()
        return
    if not ids:
        return
    _lock(_organisations_of(ids))
    _apply(_recount(as_at=(state.as_of, state.window_days), people=People(", ".join(["%s"] * len(ids)), tuple(ids))))


def _organisations_of(staff_ids: list[int]) -> set[int]:
    found = set()
    for start in range(0, len(staff_ids), CHUNK):
        people = StaffMember.objects.filter(pk__in=staff_ids[start : start + CHUNK])
        found |= set(people.values_list("organisation_id", flat=True))
    return found


def _lock(organisation_ids: Iterable[int]) -> None:
    """Take these organisations' rows FOR UPDATE, in id order: writers to one organisation's figures queue."""
    ids = sorted(organisation_ids)
    for start in range(0, len(ids), CHUNK):
        list(Organisation.objects.select_for_update().filter(pk__in=ids[start : start + CHUNK]).values_list("pk"))


# The market: the figures of every active provider, summed by area (`MarketFigure`), for the market-wide pages.


def _market_kept() -> dict[tuple, Counts]:
    """The market figures as kept, each key's rows added up."""
    rows = (
        MarketFigure.objects.values("sector_id", "area", "category_id")
        .order_by()
        .annotate(r=Sum("required"), i=Sum("in_date"), s=Sum("expiring"), e=Sum("expired"))
        .values_list("sector_id", "area", "category_id", "r", "i", "s", "e")
    )
    return {(s, a, c): counts for s, a, c, *n in rows if (counts := Counts(*n))}


def _market_write(sums: dict[tuple, Counts]) -> None:
    MarketFigure.objects.bulk_create(
        [MarketFigure(sector_id=s, area=a, category_id=c, **asdict(n)) for (s, a, c), n in sums.items() if n],
        batch_size=2000,
    )


def market_rebuild() -> None:
    """Sum the market figures afresh from the organisations' figures."""
    MarketFigure.objects.all().delete()
    _market_write(_market_sums_of(_kept()))


def _market_add(changes: dict[Key, Counts], *, area_of: dict[int, str] | None = None) -> None:
    """Add changes to organisations' figures to the market, as new rows (for active providers; by their area now,
    or as `area_of` gives it); a compaction is queued with the transaction."""
    if area_of is None:
        area_of = _areas({key[0] for key in changes})
    sums = _market_sums_of(changes, area_of)
    if sums:
        _market_write(sums)
        _compact_soon()


def _compact_soon() -> None:
    """Queue a compaction of the market figures with the transaction that added rows to them."""
    from carenetwork.records.tasks import compact_market_figures

    enqueue_on_commit(compact_market_figures)


@transaction.atomic
def market_compact() -> int:
    """Fold the rows of each market key into one (how many rows were folded away); a few queries, however many.

    The rows with another of their key are taken FOR UPDATE as this transaction sees them, deleted, and their sums
    written back, in one transaction: rows that writers add meanwhile are not seen, so stay to be added, and a
    second compaction at once skips the rows the first deleted, so no row is ever counted twice.
    """
    same_key = (
        MarketFigure.objects.annotate(sector_key=Coalesce("sector_id", 0))
        .filter(
            sector_key=Coalesce(OuterRef("sector_id"), 0), area=OuterRef("area"), category_id=OuterRef("category_id")
        )
        .exclude(pk=OuterRef("pk"))
    )
    rows = MarketFigure.objects.filter(Exists(same_key)).select_for_update()
    found = list(
        rows.values_list("pk", "sector_id", "area", "category_id", "required", "in_date", "expiring", "expired")
    )
    sums: dict[tuple, Counts] = {}
    for _pk, sector_id, area, category_id, *n in found:
        key = (sector_id, area, category_id)
        sums[key] = sums.get(key, Counts()) + Counts(*n)
    ids = [row[0] for row in found]
    for start in range(0, len(ids), CHUNK):
        MarketFigure.objects.filter(pk__in=ids[start : start + CHUNK]).delete()
    _market_write(sums)
    return len(ids) - sum(1 for counts in sums.values() if counts)


def organisation_saved(*, instance, created, **kwargs) -> None:
    """Move an organisation's part of the market when it starts or stops being an active provider or changes area
    (the `post_save` receiver; `organisation_saving` noted what it was)."""
    if kwargs.get("raw"):
        return
    was = getattr(instance, "_market_place", None)
    now = _market_place(instance.kind, instance.is_active, instance.area)
    if created or was == now:
        return
    with transaction.atomic():
        if was is not None:
            _market_move(instance.pk, was, sign=-1)
        if now is not None:
            _market_move(instance.pk, now)


def organisation_saving(*, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Note where an organisation stood in the market before a save (the `pre_save` receiver). A save of other
    fields only cannot move it, and costs no query."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not MARKET_PLACE_FIELDS & set(update_fields):
        instance._market_place = _market_place(instance.kind, instance.is_active, instance.area)
        return
    before = Organisation.objects.filter(pk=instance.pk).values_list("kind", "is_active", "area").first()
    instance._market_place = _market_place(*before) if before else None


def organisation_deleting(*, instance, **kwargs) -> None:
    """Take a deleted organisation's part out of the market (the `pre_delete` receiver)."""
    place = _market_place(instance.kind, instance.is_active, instance.area)
    if place is not None:
        _market_move(instance.pk, place, sign=-1)


def _market_move(organisation_id: int, area: str, *, sign: int = 1) -> None:
    """Add (or take away) an organisation's figures to (from) the market under this area."""
    figures = _kept(ComplianceFigure.objects.filter(organisation_id=organisation_id))
    _market_add(figures if sign > 0 else _add({}, figures, sign=-1), area_of={organisation_id: area})


def _market_place(kind: str, is_active: bool, area: str) -> str | None:
    """The area under which an organisation counts in the market, or None if it does not (not an active provider)."""
    return area if kind == Organisation.Kind.PROVIDER and is_active else None


def requirement_counts(
    *,
    by: tuple[str, ...] = (),
    sector_id: int | None = None,
    area: str | None = None,
    category_id: int | None = None,
    organisation_ids: list[int] | None = None,
    today: datetime.date,
    window_days: int,
) -> dict[tuple, Counts]:
    """Counts of active providers' requirements keyed by (category id, *the `by` groups: "sector", "area",
    "organisation"), as `recount.requirement_recount` would count them, read from the figures (one query, and two
    small recounts when the figures are as at another day or window)."""
    criteria = {"sector_id": sector_id, "area": area, "category_id": category_id, "organisation_ids": organisation_ids}
    state = _state()
    if state is None:  # never built (a new database before its first write): count from the rows
        return requirement_recount(by=by, today=today, window_days=window_days, **criteria)
    unknown = set(by) - set(GROUP_FIELDS)
    if unknown:
        raise ValueError(f"cannot group by {unknown}")
    if organisation_ids is None and "organisation" not in by:  # the whole market: its sums by area are kept
        figures, fields = MarketFigure.objects.all(), MARKET_FIELDS
        if area:
            figures = figures.filter(area=area)
    else:
        figures = ComplianceFigure.objects.filter(
            organisation__kind=Organisation.Kind.PROVIDER, organisation__is_active=True
        )
        fields = GROUP_FIELDS
        if area:
            figures = figures.filter(organisation__area=area)
        if organisation_ids is not None:
            figures = figures.filter(organisation_id__in=organisation_ids)
    if sector_id:
        figures = figures.filter(sector_id=sector_id)
    else:
        figures = figures.filter(sector__isnull="sector" not in by)
    if category_id:
        figures = figures.filter(category_id=category_id)
    rows = (
        figures.values("category_id", *(fields[name] for name in by))
        .order_by()
        .annotate(r=Sum("required"), i=Sum("in_date"), s=Sum("expiring"), e=Sum("expired"))
        .values_list("category_id", *(fields[name] for name in by), "r", "i", "s", "e")
    )
    width = 1 + len(by)
    counts = {tuple(row[:width]): Counts(*row[width:]) for row in rows}
    if (state.as_of, state.window_days) != (today, window_days):
        moved = _difference((state.as_of, state.window_days), (today, window_days), by=by, **criteria)
        for key, change in moved.items():
            counts[key] = counts.get(key, Counts()) + change
    return {key: c for key, c in counts.items() if c.required}


def figures_recount(repair: bool = False) -> list[FigureDifference]:
    """Recount every figure as at the figures' day and window and compare with what is kept (repairing it)."""
    state = _state()
    if state is None:
        return []
    kept = _kept()
    recounted = {key: c for key, c in _recount(as_at=(state.as_of, state.window_days)).items() if c}
    keys = sorted(
        (key for key in kept.keys() | recounted.keys() if kept.get(key) != recounted.get(key)),
        key=lambda k: (k[0], k[1] or 0, k[2]),
    )
    # The market's sums, against the organisations' figures (as recounted, so one fault is not reported twice).
    market, sums = _market_kept(), _market_sums_of(recounted)
    market_keys = sorted((k for k in market.keys() | sums.keys() if market.get(k) != sums.get(k)), key=_market_order)
    if repair and (keys or market_keys):
        figures_refresh({organisation_id for organisation_id, _sector, _category in keys})
        market_rebuild()  # after the refresh, which adds its repairs to the market as changes
    return [
        FigureDifference(
            table="records.ComplianceFigure",
            key=f"organisation {o}, sector {s or 'all'}, category {c}",
            kept=kept.get((o, s, c)),
            recounted=recounted.get((o, s, c)),
        )
        for o, s, c in keys
    ] + [
        FigureDifference(
            table="records.MarketFigure",
            key=f"sector {s or 'all'}, area {a or 'none'}, category {c}",
            kept=market.get((s, a, c)),
            recounted=sums.get((s, a, c)),
        )
        for s, a, c in market_keys
    ]


def _market_order(key: tuple) -> tuple:
    sector_id, area, category_id = key
    return (sector_id or 0, area, category_id)


def _areas(organisation_ids: Iterable[int] | None = None) -> dict[int, str]:
    """The areas of the active providers (of these organisations), by id."""
    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_active=True)
    if organisation_ids is None:
        return dict(providers.values_list("pk", "area"))
    ids, found = sorted(organisation_ids), {}
    for start in range(0, len(ids), CHUNK):
        found.update(providers.filter(pk__in=ids[start : start + CHUNK]).values_list("pk", "area"))
    return found


def _market_sums_of(figures: dict[Key, Counts], area_of: dict[int, str] | None = None) -> dict[tuple, Counts]:
    """Organisations' figures summed as the market keeps them: by (sector, area, category), active providers."""
    area_of = _areas() if area_of is None else area_of
    sums: dict[tuple, Counts] = {}
    for (organisation_id, sector_id, category_id), counts in figures.items():
        if organisation_id in area_of:
            key = (sector_id, area_of[organisation_id], category_id)
            sums[key] = sums.get(key, Counts()) + counts
    return {key: counts for key, counts in sums.items() if counts}
