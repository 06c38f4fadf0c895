"""The market at benchmark volume: twelve months of capacity returns for every synthetic location (36,000 at
council volume), a quarter of the care homes full and a few sub-markets short of vacancies, as markets are."""

import datetime
import random
import time

from django.utils import timezone

from carenetwork.market.figures import market_figures_recount
from carenetwork.market.models import CapacityReturn
from carenetwork.market.returns import month_before, this_month
from carenetwork.organisations.models import Location
from carenetwork.organisations.volume import synthetic_organisations

MONTHS = 12
BATCH = 5000


def months_back(count: int) -> list[datetime.date]:
    months = [this_month(timezone.localdate())]
    while len(months) < count:
        months.append(month_before(months[-1]))
    return months


def figures(location: Location, residential: bool, rng: random.Random) -> dict:
    """A plausible return: occupancy 75–100% with some homes full; staff about one per bed, a tenth agency."""
    capacity = location.capacity or 20
    staff = {
        "care_direct": rng.randint(capacity // 2, capacity),
        "care_agency": rng.randint(0, capacity // 6),
        "other_direct": rng.randint(2, 10),
        "other_agency": rng.randint(0, 2),
    }
    if not residential:
        return {
            **staff,
            "people": rng.randint(5, 120),
            "hours": rng.randint(100, 3000),
            "taking_new": rng.random() > 0.3,
        }
    occupied = capacity if rng.random() < 0.25 else rng.randint(capacity * 3 // 4, capacity)
    spare = capacity - occupied
    accepting = rng.randint(0, spare)
    return {
        **staff,
        "beds": capacity,
        "occupied": occupied,
        "vacant_accepting": accepting,
        "vacant_reserved": rng.randint(0, spare - accepting),
        "nurses_direct": rng.randint(0, capacity // 8),
        "nurses_agency": rng.randint(0, 2),
    }


def market_volume_ensure(volume: str, stdout=None) -> dict:
    """Top up the synthetic locations' returns to the last twelve months."""
    started = time.perf_counter()
    rng = random.Random(f"market-{volume}")
    months = months_back(MONTHS)
    locations = list(
        Location.objects.filter(organisation__in=synthetic_organisations(), service_type__isnull=False)
        .select_related("service_type")
        .order_by("pk")
    )
    have = set(
        CapacityReturn.objects.filter(location__in=locations, month__in=months).values_list("location_id", "month")
    )
    batch, created = [], 0
    for location in locations:
        residential = location.service_type.is_residential
        for month in months:
            if (location.pk, month) in have:
                continue
            batch.append(CapacityReturn(location=location, month=month, **figures(location, residential, rng)))
            if len(batch) >= BATCH:
                CapacityReturn.objects.bulk_create(batch)
                created, batch = created + len(batch), []
    CapacityReturn.objects.bulk_create(batch)
    created += len(batch)
    market_figures_recount(repair=True)  # the bulk loads bypassed the saves that keep the sub-markets' figures
    seconds = round(time.perf_counter() - started, 2)
    if stdout is not None:
        stdout.write(f"Created {created} synthetic capacity returns in {seconds} s")
    return {"returns": created, "seconds": seconds}


def market_counts() -> dict:
    return {"capacity returns": CapacityReturn.objects.count()}
