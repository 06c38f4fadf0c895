"""The market's maintained figures: per sub-market (service type × area, for each way of dividing the market) the
directory's figures and each month's capacity returns, so that the supply, sustainability and returns pages read a
row per sub-market instead of every location and return.

Whenever a location is saved or deleted, a provider opens or closes, or a return is saved, the sub-markets it was
and is in are worked out again from their own locations and returns (supply.compute, a few small grouped queries)
and their rows replaced, in the same transaction. Writers of the same service type's sub-markets take turns (a lock
on the service type's row). Bulk loads that bypass saves (the volume generator, the demo) finish with a recount;
`manage.py recount_figures` compares every row with a recount and `--repair` rewrites them.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from carenetwork.core.registry import FigureDifference
from carenetwork.market.models import SubMarketFigures, SubMarketMonth
from carenetwork.market.supply import BY_AUTHORITY, BY_LOCALITY, SubMarket, compute
from carenetwork.organisations.models import Location, ServiceType

DIVISIONS = (BY_AUTHORITY, BY_LOCALITY)


def _directory_row(by: str, m: SubMarket) -> SubMarketFigures:
    return SubMarketFigures(by=by, service_type=m.service_type, area=m.area, **{f: getattr(m, f) for f in m.DIRECTORY})


def _month_row(by: str, month: datetime.date, m: SubMarket) -> SubMarketMonth:
    return SubMarketMonth(
        by=by, service_type=m.service_type, area=m.area, month=month, **{f: getattr(m, f) for f in m.RETURNS}
    )


def keys_of(location: Location) -> set[tuple]:
    """The (service type id, local authority, locality) a location counts in; none without a service type."""
    if not location.service_type_id:
        return set()
    return {(location.service_type_id, location.local_authority or "", location.area or "")}


@transaction.atomic
def refresh(keys: set[tuple]) -> None:
    """Work the sub-markets of these (service type id, local authority, locality) keys out again and keep them."""
    for type_id in sorted({k[0] for k in keys}):
        # Writers of one service type's sub-markets take turns.
        list(ServiceType.objects.select_for_update().filter(pk=type_id).values_list("pk"))
        for by, index in ((BY_AUTHORITY, 1), (BY_LOCALITY, 2)):
            for area in sorted({k[index] for k in keys if k[0] == type_id}):
                worked = compute(by=by, service_type_id=type_id, area=area)
                SubMarketFigures.objects.filter(by=by, service_type_id=type_id, area=area).delete()
                SubMarketMonth.objects.filter(by=by, service_type_id=type_id, area=area).delete()
                SubMarketFigures.objects.bulk_create([_directory_row(by, m) for m in worked["markets"].values()])
                SubMarketMonth.objects.bulk_create([_month_row(by, key[2], m) for key, m in worked["months"].items()])


def refresh_locations(locations) -> None:
    """Keep the sub-markets of these locations (a provider opening or closing, a return saved)."""
    keys = set()
    for location in locations:
        keys |= keys_of(location)
    if keys:
        refresh(keys)


# Signal receivers (connected in market/apps.py): the organisations app knows nothing of the market.


def location_saving(sender, instance: Location, **kwargs) -> None:
    """Remember the sub-markets a location was in before the save."""
    if instance.pk and not kwargs.get("raw"):
        before = Location.objects.filter(pk=instance.pk).values("service_type_id", "local_authority", "area").first()
        instance._market_before = (
            {(before["service_type_id"], before["local_authority"], before["area"])}
            if before and before["service_type_id"]
            else set()
        )


def location_saved(sender, instance: Location, **kwargs) -> None:
    if not kwargs.get("raw"):
        refresh(getattr(instance, "_market_before", set()) | keys_of(instance))


def location_deleted(sender, instance: Location, **kwargs) -> None:
    refresh(keys_of(instance))


def organisation_saved(sender, instance, **kwargs) -> None:
    """A provider opening, closing or changing kind moves all its locations in or out of the market."""
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or kwargs.get("created") or (fields is not None and not {"is_active", "kind"} & set(fields)):
        return
    refresh_locations(Location.objects.filter(organisation=instance).only("service_type_id", "local_authority", "area"))


# Reading --------------------------------------------------------------------------------------------------------


def read(*, by: str, service_type=None, month: datetime.date) -> list[SubMarket]:
    """The kept sub-markets of one division with the month's returns (three queries)."""
    types = {t.pk: t for t in ServiceType.objects.all()}
    figures = SubMarketFigures.objects.filter(by=by)
    months = SubMarketMonth.objects.filter(by=by, month=month)
    if service_type is not None:
        figures, months = figures.filter(service_type=service_type), months.filter(service_type=service_type)
    returns = {(row[0], row[1]): row[2:] for row in months.values_list("service_type_id", "area", *SubMarket.RETURNS)}
    markets = []
    for type_id, area, *values in figures.values_list("service_type_id", "area", *SubMarket.DIRECTORY):
        market = SubMarket(
            service_type=types[type_id], area=area, **dict(zip(SubMarket.DIRECTORY, values, strict=True))
        )
        kept = returns.get((type_id, area))
        if kept is not None:
            for name, value in zip(SubMarket.RETURNS, kept, strict=True):
                setattr(market, name, value)
        markets.append(market)
    return markets


# Recount ---------------------------------------------------------------------------------------------------------


def _kept() -> tuple[dict, dict]:
    directory = {
        (r.by, r.service_type_id, r.area): tuple(getattr(r, f) for f in SubMarket.DIRECTORY)
        for r in SubMarketFigures.objects.all()
    }
    months = {
        (r.by, r.service_type_id, r.area, r.month): tuple(getattr(r, f) for f in SubMarket.RETURNS)
        for r in SubMarketMonth.objects.all()
    }
    return directory, months


def _recounted() -> tuple[dict, dict, list, list]:
    directory, months, rows, month_rows = {}, {}, [], []
    for by in DIVISIONS:
        worked = compute(by=by)
        for (type_id, area), m in worked["markets"].items():
            directory[by, type_id, area] = tuple(getattr(m, f) for f in m.DIRECTORY)
            rows.append(_directory_row(by, m))
        for (type_id, area, month), m in worked["months"].items():
            months[by, type_id, area, month] = tuple(getattr(m, f) for f in m.RETURNS)
            month_rows.append(_month_row(by, month, m))
    return directory, months, rows, month_rows


def market_figures_recount(repair: bool = False) -> list[FigureDifference]:
    """Every kept sub-market row against a recount from the locations and returns; rewrite them when `repair`."""
    kept_directory, kept_months = _kept()
    directory, months, rows, month_rows = _recounted()
    differences = [
        FigureDifference(table, str(key), kept.get(key), recounted.get(key))
        for table, kept, recounted in (
            ("market sub-markets", kept_directory, directory),
            ("market sub-market months", kept_months, months),
        )
        for key in sorted(set(kept) | set(recounted), key=str)
        if kept.get(key) != recounted.get(key)
    ]
    if repair and differences:
        with transaction.atomic():
            SubMarketFigures.objects.all().delete()
            SubMarketMonth.objects.all().delete()
            SubMarketFigures.objects.bulk_create(rows, batch_size=1000)
            SubMarketMonth.objects.bulk_create(month_rows, batch_size=1000)
    return differences
