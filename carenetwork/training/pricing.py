"""Community buy-in pricing: the price per place falls as more providers buy places on a course run.

Pure rules, no database: price schedules (a shared fee split between the places, or a price per band of
places), the live position a run page shows, and the decision at the interest deadline. Money is Decimal to
the penny; a price per place is always rounded up, so the places together always cover a shared fee.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

PENNY = Decimal("0.01")


class ScheduleInvalid(ValueError):
    """A price schedule that cannot be used, with the reason in plain words."""


def per_place(total: Decimal, places: int) -> Decimal:
    """A total shared between `places` places, rounded up to the penny."""
    if places < 1:
        raise ValueError("places must be at least 1")
    return (Decimal(total) / places).quantize(PENNY, rounding=ROUND_CEILING)


@dataclass(frozen=True)
class SharedFee:
    """The training provider's fee for the run, shared equally between the places taken."""

    fee: Decimal

    def price(self, places: int) -> Decimal:
        return per_place(self.fee, places)


@dataclass(frozen=True)
class Tier:
    """From this many places on the run, each place costs `price`."""

    from_places: int
    price: Decimal


@dataclass(frozen=True)
class Tiers:
    """A price per place for each band of total places; the first band starts at one place."""

    tiers: tuple[Tier, ...]

    def price(self, places: int) -> Decimal:
        if places < 1:
            raise ValueError("places must be at least 1")
        return [tier.price for tier in self.tiers if tier.from_places <= places][-1]


Schedule = SharedFee | Tiers


def schedule_check(schedule: Schedule, *, capacity: int) -> None:
    """Refuse a schedule that is malformed or whose price per place would rise as places rise."""
    if capacity < 1:
        raise ScheduleInvalid("The run must have at least one place")
    if isinstance(schedule, SharedFee):
        if schedule.fee <= 0:
            raise ScheduleInvalid("The fee must be more than £0")
        return  # a fee shared between more places never costs more per place
    tiers = schedule.tiers
    if not tiers or tiers[0].from_places != 1:
        raise ScheduleInvalid("The first band must start at 1 place")
    if any(b.from_places <= a.from_places for a, b in zip(tiers, tiers[1:], strict=False)):
        raise ScheduleInvalid("Each band must start at more places than the one before")
    if any(tier.price <= 0 for tier in tiers):
        raise ScheduleInvalid("Every price must be more than £0")
    for a, b in zip(tiers, tiers[1:], strict=False):
        if b.price > a.price:
            raise ScheduleInvalid(
                f"The price per place must not rise with more places: £{b.price} from {b.from_places} places "
                f"is more than £{a.price} from {a.from_places}"
            )


def price_at(schedule: Schedule, places: int, *, minimum: int) -> Decimal:
    """The most each place will cost with `places` taken: the price at the larger of the places and the minimum."""
    return schedule.price(max(places, minimum, 1))


@dataclass(frozen=True)
class PriceStep:
    """`more` further places bring the price per place down to `price`."""

    more: int
    price: Decimal


def price_steps(schedule: Schedule, places: int, *, minimum: int, capacity: int, limit: int = 5) -> list[PriceStep]:
    """The next falls in price from here, up to capacity: "2 more places bring the price to £41.50"."""
    steps, current = [], price_at(schedule, places, minimum=minimum)
    for total in range(places + 1, capacity + 1):
        price = price_at(schedule, total, minimum=minimum)
        if price < current:
            steps.append(PriceStep(more=total - places, price=price))
            current = price
            if len(steps) == limit:
                break
    return steps


@dataclass(frozen=True)
class Interest:
    """One organisation's interest in places, with the most it will pay per place (None: any price)."""

    key: Hashable
    places: int
    ceiling: Decimal | None = None

    def accepts(self, price: Decimal) -> bool:
        return self.ceiling is None or self.ceiling >= price


def accepting(schedule: Schedule, interests: Sequence[Interest], *, minimum: int) -> tuple[list, list, Decimal]:
    """Drop the interests whose ceiling is below the price, again and again, until everyone left accepts it.

    Fewer places can only raise the price, so the result is the largest group that accepts its own price (the
    union of two such groups accepts the price of the union). Returns (kept, dropped, price).
    """
    kept, dropped = list(interests), []
    while True:
        price = price_at(schedule, sum(i.places for i in kept), minimum=minimum)
        refusing = [i for i in kept if not i.accepts(price)]
        if not refusing:
            return kept, dropped, price
        dropped += refusing
        kept = [i for i in kept if i.accepts(price)]


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    OFFERED_TO_PARTNERS = "offered_to_partners"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Decision:
    """What happens to a run at its deadline, and at what price per place."""

    outcome: Outcome
    price: Decimal
    places: int
    shortfall: int
    kept: list = field(default_factory=list)
    dropped: list = field(default_factory=list)

    def amount_due(self, interest: Interest) -> Decimal:
        """What an organisation pays: its places × the one price every organisation on the run pays."""
        return self.price * interest.places


def decide(
    schedule: Schedule, interests: Sequence[Interest], *, minimum: int, partner_margin: int = 0, partners_tried=False
) -> Decision:
    """The decision at the deadline: confirm at the minimum or more; offer a small shortfall (within the partner
    margin) to partners once; otherwise cancel."""
    kept, dropped, price = accepting(schedule, interests, minimum=minimum)
    places = sum(i.places for i in kept)
    shortfall = max(minimum - places, 0)
    if shortfall == 0:
        outcome = Outcome.CONFIRMED
    elif shortfall <= partner_margin and not partners_tried:
        outcome = Outcome.OFFERED_TO_PARTNERS
    else:
        outcome = Outcome.CANCELLED
    return Decision(outcome=outcome, price=price, places=places, shortfall=shortfall, kept=kept, dropped=dropped)


def places_granted(*, capacity: int, taken: int, requested: int) -> tuple[int, int]:
    """Of `requested` places, how many fit in the run and how many go on the waiting list."""
    granted = max(min(requested, capacity - taken), 0)
    return granted, requested - granted
