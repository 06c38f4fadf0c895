"""The market's pure calculations: shares of capacity, concentration (HHI), whether a sub-market could absorb the
failure of its largest provider, a red/amber/green verdict, suppression of small groups, and predicted demand.

No database here: each rule is a plain function on plain values, tested exhaustively (tests/market/test_metrics.py).
Shares are exact fractions, so that they sum to exactly 100 and the HHI is exact; pages round them for display.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Sub-markets and groups describing fewer providers than this are not shown to providers: a figure of one or two
# providers is commercially confidential (as a care home's occupancy would be).
SMALLEST_GROUP_SHOWN = 3


# Shares and concentration ------------------------------------------------------------------------------------


def percent(part: int, total: int) -> Fraction | None:
    """part / total in per cent (exact); None when the total is not positive."""
    return Fraction(100 * part, total) if total > 0 else None


def shares(capacities: Mapping[Hashable, int]) -> dict[Hashable, Fraction]:
    """Each provider's share of the total capacity in per cent (exact; they sum to 100). Empty when nothing has
    capacity."""
    total = sum(capacities.values())
    if total <= 0:
        return {}
    return {key: percent(value, total) for key, value in capacities.items()}


def hhi_of(squares: int, total: int) -> Fraction | None:
    """The HHI from the sum of the providers' squared capacities and their total: Σ (100 c / T)² = 10,000 Σ c² / T²,
    one exact fraction (what the kept figures hold)."""
    return Fraction(10_000 * squares, total * total) if total > 0 else None


def hhi(capacities: Mapping[Hashable, int]) -> Fraction | None:
    """The Herfindahl–Hirschman index: the sum of squared shares in per cent, from 10,000/n (n equal providers) to
    10,000 (one provider). None when nothing has capacity."""
    return hhi_of(sum(c * c for c in capacities.values()), sum(capacities.values()))


def largest(capacities: Mapping[Hashable, int]) -> Hashable | None:
    """The provider with the most capacity; ties go to the first in the mapping's order (callers order by name)."""
    best = None
    for key, value in capacities.items():
        if value > 0 and (best is None or value > capacities[best]):
            best = key
    return best


def rounded(value: Fraction | None, places: int = 1) -> Decimal | None:
    """A fraction as a Decimal rounded half up to `places` decimal places, for display."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(exponent, rounding=ROUND_HALF_UP)


# Could the rest of the sub-market take the largest provider's people? ----------------------------------------


@dataclass(frozen=True)
class ProviderSupply:
    """What one provider has in a sub-market: capacity, and from its capacity returns (None where it made none)
    the places occupied and the vacancies accepting admissions."""

    key: Hashable
    capacity: int
    occupied: int | None = None
    vacant: int | None = None


@dataclass(frozen=True)
class Absorption:
    """The absorb-failure test: the largest provider's people against the others' vacancies."""

    largest: Hashable | None
    displaced: int  # the largest provider's occupied places, or its capacity where it made no return
    displaced_from_capacity: bool
    vacancies_elsewhere: int  # the other providers' vacancies accepting admissions (0 where no return)
    providers_without_return: int  # among the others
    # Places the rest could not take: max(0, displaced − vacancies elsewhere); None when there are others but none of
    # them has made a capacity return (their vacancies are not known).
    shortfall: int | None


def absorb(
    biggest: ProviderSupply | None, *, others: int, vacancies_elsewhere: int, others_without_return: int
) -> Absorption:
    """The absorb-failure test from the largest provider and the others' totals: `others` providers, their vacancies
    accepting admissions, and how many of them made no return."""
    if biggest is None:
        return Absorption(None, 0, False, 0, 0, 0)
    displaced = biggest.occupied if biggest.occupied is not None else biggest.capacity
    unknown = others and others_without_return == others
    return Absorption(
        largest=biggest.key,
        displaced=displaced,
        displaced_from_capacity=biggest.occupied is None,
        vacancies_elsewhere=vacancies_elsewhere,
        providers_without_return=others_without_return,
        shortfall=None if unknown else max(0, displaced - vacancies_elsewhere),
    )


def absorb_failure(providers: Sequence[ProviderSupply]) -> Absorption:
    """Could the rest of the sub-market take the people its largest provider serves, within current vacancies?"""
    key = largest({p.key: p.capacity for p in providers})
    biggest = next((p for p in providers if p.key == key), None) if key is not None else None
    others = [p for p in providers if p.key != key]
    return absorb(
        biggest,
        others=len(others),
        vacancies_elsewhere=sum(p.vacant or 0 for p in others),
        others_without_return=sum(1 for p in others if p.vacant is None),
    )


# Red, amber or green -----------------------------------------------------------------------------------------

RED, AMBER, GREEN = "red", "amber", "green"


@dataclass(frozen=True)
class Thresholds:
    """Where a sub-market turns amber or red (council settings; defaults and their sources in market/models.py)."""

    hhi_amber: int = 1000
    hhi_red: int = 1800
    share_amber: int = 25
    share_red: int = 40


@dataclass(frozen=True)
class Verdict:
    colour: str
    reasons: list[str] = field(default_factory=list)


def verdict(
    *, hhi_value: Fraction | None, largest_share: Fraction | None, shortfall: int | None, thresholds: Thresholds
) -> Verdict:
    """Red when any measure passes its red threshold or the rest could not absorb the largest provider's failure;
    amber when any passes its amber threshold; green otherwise. Each reason in words."""
    red, amber = [], []
    if hhi_value is not None:
        text = f"concentration (HHI) {rounded(hhi_value, 0)}"
        if hhi_value >= thresholds.hhi_red:
            red.append(f"{text} is at or above {thresholds.hhi_red:,}")
        elif hhi_value >= thresholds.hhi_amber:
            amber.append(f"{text} is at or above {thresholds.hhi_amber:,}")
    if largest_share is not None:
        text = f"the largest provider has {rounded(largest_share)}% of capacity"
        if largest_share >= thresholds.share_red:
            red.append(f"{text}, at or above {thresholds.share_red}%")
        elif largest_share >= thresholds.share_amber:
            amber.append(f"{text}, at or above {thresholds.share_amber}%")
    if shortfall:
        places = "place" if shortfall == 1 else "places"
        red.append(f"if the largest provider failed, the others' vacancies would be {shortfall:,} {places} short")
    if red:
        return Verdict(RED, red + amber)
    if amber:
        return Verdict(AMBER, amber)
    if hhi_value is None:
        return Verdict(GREEN, ["no capacity recorded"])
    if shortfall is None:
        return Verdict(
            GREEN,
            [
                "below every threshold; whether the others could take the largest provider's people "
                "is not known without capacity returns"
            ],
        )
    return Verdict(GREEN, ["below every threshold, and the others could take the largest provider's people"])


# Suppression --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One figure of a table and the providers it is about."""

    providers: frozenset
    value: int | None = None


def suppressed(cells: Sequence[Cell], *, smallest: int = SMALLEST_GROUP_SHOWN) -> tuple[list[bool], bool]:
    """Which cells to hide, and whether to hide their total, so that no figure describes fewer than `smallest`
    providers, not even by subtraction.

    Cells about fewer providers (but some: a cell about nobody reveals nothing) are hidden. The total less the shown
    cells gives the sum of the hidden ones: when those together are about fewer than `smallest` providers, the
    smallest shown cell is hidden too, until they are about enough; when every cell is hidden and still too few, the
    total is hidden.
    """
    hidden = [0 < len(c.providers) < smallest for c in cells]

    def hidden_providers() -> frozenset:
        return frozenset().union(*(c.providers for c, h in zip(cells, hidden, strict=True) if h))

    while any(hidden) and len(hidden_providers()) < smallest:
        shown = [i for i, h in enumerate(hidden) if not h and cells[i].providers]
        if not shown:
            break
        hidden[min(shown, key=lambda i: (len(cells[i].providers), i))] = True
    everyone = frozenset().union(*(c.providers for c in cells)) if cells else frozenset()
    total_hidden = len(everyone) < smallest or (any(hidden) and len(hidden_providers()) < smallest)
    return hidden, total_hidden


# Demand -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A prevalence rate for persons aged `low` to `high` (None: and over)."""

    low: int
    high: int | None
    rate: Decimal


def persons_rate(male: Decimal, female: Decimal) -> Decimal:
    """The rate applied to persons when the source gives one for men and one for women: their plain average (the
    projections count persons, not men and women)."""
    return (male + female) / 2


def age_total(population: Mapping[int, Decimal], low: int, high: int | None = None) -> Decimal:
    """People of ages low to high (None: and over), from figures by single year of age (the oldest may be 'and
    over', keyed by its first age)."""
    return sum(
        (persons for age, persons in population.items() if age >= low and (high is None or age <= high)),
        Decimal(0),
    )


def predicted(population: Mapping[int, Decimal], rates: Iterable[Rate]) -> Decimal:
    """People predicted to have a condition: each age band's people times the band's rate, summed. An 'and over'
    figure of the projections counts in the band its first age falls in (90+ takes the 90–94 rate)."""
    return sum((age_total(population, r.low, r.high) * r.rate for r in rates), Decimal(0))
