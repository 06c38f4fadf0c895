"""A run's price schedule as the pure pricing rules see it, and the live position its page shows everyone."""

from dataclasses import dataclass
from decimal import Decimal

from carenetwork.training import pricing
from carenetwork.training.models import CourseRun


def schedule_of(run: CourseRun, tiers=None) -> pricing.Schedule:
    """The run's schedule: its shared fee, or its tiers (given, or read from the run)."""
    if run.pricing == CourseRun.Pricing.SHARED_FEE:
        return pricing.SharedFee(fee=Decimal(run.fee or 0))
    rows = tiers if tiers is not None else [(t.from_places, t.price) for t in run.tiers.all()]
    return pricing.Tiers(tuple(pricing.Tier(from_places=int(f), price=Decimal(p)) for f, p in sorted(rows)))


@dataclass(frozen=True)
class PriceBand:
    """From `first` to `last` places taken in all, each place costs `price`."""

    first: int
    last: int
    price: Decimal


@dataclass(frozen=True)
class Position:
    """Where a run stands: places taken, how many more it needs to go ahead, and the most each place costs."""

    places_taken: int
    minimum: int
    capacity: int
    most_per_place: Decimal
    locked: bool
    steps: list[pricing.PriceStep]
    table: list[PriceBand]

    @property
    def still_needed(self) -> int:
        return max(self.minimum - self.places_taken, 0)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)


TABLE_ROWS = 12


def price_table(schedule: pricing.Schedule, *, minimum: int, capacity: int, places: int) -> list[PriceBand]:
    """The price per place for each number of places from today's to capacity, runs of one price as one band."""
    bands: list[PriceBand] = []
    for n in range(max(places, 1), capacity + 1):
        price = pricing.price_at(schedule, n, minimum=minimum)
        if bands and bands[-1].price == price:
            bands[-1] = PriceBand(bands[-1].first, n, price)
        else:
            bands.append(PriceBand(n, n, price))
    if len(bands) > TABLE_ROWS:  # a shared fee changes at every place: keep the first bands and the last
        bands = bands[: TABLE_ROWS - 1] + bands[-1:]
    return bands


def position_of(run: CourseRun, tiers=None) -> Position:
    """The live position; once the run is confirmed, the locked price with nothing left to fall."""
    schedule = schedule_of(run, tiers)
    locked = run.locked_price is not None
    places = run.places_taken
    return Position(
        places_taken=places,
        minimum=run.minimum_places,
        capacity=run.capacity,
        most_per_place=run.locked_price if locked else pricing.price_at(schedule, places, minimum=run.minimum_places),
        locked=locked,
        steps=[]
        if locked
        else pricing.price_steps(schedule, places, minimum=run.minimum_places, capacity=run.capacity),
        table=[] if locked else price_table(schedule, minimum=run.minimum_places, capacity=run.capacity, places=places),
    )


def figures_refresh(run: CourseRun, *, schedule: pricing.Schedule | None = None) -> None:
    """Set the run's kept figures (the caller saves it): the most a place costs now and the single-place price."""
    schedule = schedule or schedule_of(run)
    run.single_place_price = schedule.price(1)
    run.current_price = (
        run.locked_price
        if run.locked_price is not None
        else pricing.price_at(schedule, run.places_taken, minimum=run.minimum_places)
    )
