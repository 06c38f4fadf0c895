"""Monthly skills snapshots, kept for the trend of the skills gap: aggregates only, so they outlive leavers' data.

A month's snapshot holds one row per mandatory category × sector × area, plus the totals: an empty area is every
area (providers without an area count only there), no sector is every sector (each person and category once).
Taking a month's snapshot again replaces it, so the job can run daily: the last run in a month is its month-end
state. The trend reads the snapshots of past months and the live figures of the current month.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from carenetwork.records.models import SkillsSnapshot
from carenetwork.records.rules import add_months
from carenetwork.records.skills import Counts, as_of, requirement_counts


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month_start(month), 1) - datetime.timedelta(days=1)


def snapshot_rows(*, month: datetime.date, today: datetime.date, window_days: int) -> list[SkillsSnapshot]:
    """The month's rows, as the figures stood on `today` (two queries)."""
    by_sector = requirement_counts(by=("sector", "area"), today=today, window_days=window_days)
    by_area = requirement_counts(by=("area",), today=today, window_days=window_days)
    totals: dict[tuple, Counts] = {}
    cells: list[tuple[int, int | None, str, Counts]] = []
    for (category_id, sector_id, area), counts in by_sector.items():
        if area:
            cells.append((category_id, sector_id, area, counts))
        totals[(category_id, sector_id)] = totals.get((category_id, sector_id), Counts()) + counts
    for (category_id, area), counts in by_area.items():
        if area:
            cells.append((category_id, None, area, counts))
        totals[(category_id, None)] = totals.get((category_id, None), Counts()) + counts
    cells += [(category_id, sector_id, "", counts) for (category_id, sector_id), counts in totals.items()]
    return [
        SkillsSnapshot(
            month=month,
            category_id=category_id,
            sector_id=sector_id,
            area=area,
            required=c.required,
            in_date=c.in_date,
            expiring_soon=c.expiring,
            expired=c.expired,
            missing=c.missing,
        )
        for category_id, sector_id, area, c in cells
    ]


def snapshot_take(*, month: datetime.date | None = None, today: datetime.date | None = None) -> int:
    """Write the snapshot of `month` (default: this month), replacing any earlier one; how many rows it holds.

    The figures are as they stand today, or on the month's last day for a past month (from the register as it is
    now, so a past month taken late is an approximation).
    """
    today = today or timezone.localdate()
    month = month_start(month or today)
    if month > today:
        raise ValueError("cannot take a snapshot of a month that has not started")
    day, window_days = as_of(min(month_end(month), today))
    rows = snapshot_rows(month=month, today=day, window_days=window_days)
    with transaction.atomic():
        SkillsSnapshot.objects.filter(month=month).delete()
        SkillsSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@task()
def take_skills_snapshot(month: str | None = None) -> int:
    """Background job: the snapshot of a month given as YYYY-MM (default: this month)."""
    day = datetime.date.fromisoformat(f"{month}-01") if month else None
    return snapshot_take(month=day)


@dataclass
class TrendPoint:
    month: datetime.date
    values: dict[int, Counts | None]  # by category id; None where no snapshot was taken
    live: bool = False


def last_months(today: datetime.date, count: int = 12) -> list[datetime.date]:
    """The first days of the `count` months up to and including this one, oldest first."""
    current = month_start(today)
    return [add_months(current, -n) for n in range(count - 1, -1, -1)]


def gap_trend(
    *,
    category_ids: list[int],
    sector_id: int | None = None,
    area: str | None = None,
    today: datetime.date,
    current: dict[int, Counts],
    months: int = 12,
) -> list[TrendPoint]:
    """Month by month, each category's counts: past months from snapshots (one query), this month from `current`."""
    if not category_ids:
        return []
    span = last_months(today, months)
    snapshots = SkillsSnapshot.objects.filter(
        month__gte=span[0], month__lt=span[-1], category_id__in=category_ids, area=area or ""
    )
    snapshots = snapshots.filter(sector_id=sector_id) if sector_id else snapshots.filter(sector__isnull=True)
    found = {
        (s.month, s.category_id): Counts(s.required, s.in_date, s.expiring_soon, s.expired)
        for s in snapshots.only("month", "category_id", "required", "in_date", "expiring_soon", "expired")
    }
    points = [TrendPoint(month, {c: found.get((month, c)) for c in category_ids}) for month in span[:-1]]
    points.append(TrendPoint(span[-1], {c: current.get(c, Counts()) for c in category_ids}, live=True))
    return points
