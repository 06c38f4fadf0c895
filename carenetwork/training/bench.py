"""The training brokerage part of the benchmark: its volume and its pages.

Member pages (the catalogue, the course list and the busiest open run) are requested as the benchmark person, an
admin of a synthetic care provider; the run's bookings and the programme report as the benchmark council officer.
Paths are built from the URL names, so a page that is not there yet is left out and named, not guessed.
"""

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from carenetwork.records.models import TrainingCategory
from carenetwork.training.models import CourseRun
from carenetwork.training.volume import (
    TRAINING_VOLUMES,
    busiest_open_run,
    synthetic_runs,
    training_counts,
    training_volume_ensure,
)

__all__ = ["TRAINING_VOLUMES", "training_volume_ensure", "training_counts", "member_pages", "council_pages"]

Page = tuple[str, str, bool]


def _path(name: str, *args, query: str = "", missing: list[str]) -> str | None:
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        missing.append(name)
        return None
    return f"{path}?{query}" if query else path


def _pages(rows, missing: list[str]) -> list[Page]:
    pages = []
    for label, name, args, query in rows:
        path = _path(name, *args, query=query, missing=missing)
        if path is not None:
            pages.append((label, path, False))
    return pages


def _busiest_category() -> TrainingCategory | None:
    """The training category with most upcoming open runs: the catalogue's most common filter by category."""
    upcoming = Q(courses__runs__status=CourseRun.Status.OPEN, courses__runs__starts_at__gt=timezone.now())
    return (
        TrainingCategory.objects.filter(is_active=True)
        .annotate(n=Count("courses__runs", filter=upcoming))
        .order_by("-n", "pk")
        .first()
    )


def _typical_price() -> Decimal:
    """The median price per place today of the upcoming open runs, in whole pounds: about half the runs pass."""
    prices = (
        synthetic_runs()
        .filter(status=CourseRun.Status.OPEN, starts_at__gt=timezone.now())
        .order_by("current_price")
        .values_list("current_price", flat=True)
    )
    count = prices.count()
    middle = prices[count // 2] if count else Decimal(100)
    return Decimal(middle).quantize(Decimal(1))


def member_pages(missing: list[str] | None = None) -> list[Page]:
    """The catalogue (plain, by category, by most price), the course list and the busiest open run's page."""
    missing = [] if missing is None else missing
    category, price, run = _busiest_category(), _typical_price(), busiest_open_run()
    rows = [
        (f"training catalogue ({training_counts()['runs']} runs)", "training:catalogue", (), ""),
        (
            f"catalogue by category ({category.n} open runs)" if category else "catalogue by category",
            "training:catalogue",
            (),
            f"category={category.pk}" if category else "",
        ),
        (f"catalogue, at most £{price}", "training:catalogue", (), f"max_price={price}"),
        ("course list", "training:course-list", (), ""),
    ]
    if run is not None:
        rows.append((f"course run ({run.n} interests)", "training:run-detail", (run.pk,), ""))
    else:
        missing.append("training:run-detail (no open run taking interest)")
    return _pages(rows, missing)


def council_pages(missing: list[str] | None = None) -> list[Page]:
    """The busiest open run's bookings and the programme report, as the council officer."""
    missing = [] if missing is None else missing
    run = busiest_open_run()
    rows = [("programme report", "training:programme-report", (), "")]
    if run is not None:
        rows.insert(0, ("run bookings", "training:run-bookings", (run.pk,), ""))
    else:
        missing.append("training:run-bookings (no open run taking interest)")
    return _pages(rows, missing)
