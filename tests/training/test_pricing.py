"""Community buy-in pricing: exhaustive examples and property tests (hypothesis) of the pure rules."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carenetwork.training.pricing import (
    PENNY,
    Interest,
    Outcome,
    PriceStep,
    ScheduleInvalid,
    SharedFee,
    Tier,
    Tiers,
    accepting,
    decide,
    per_place,
    places_granted,
    price_at,
    price_steps,
    schedule_check,
)

money = st.integers(min_value=1, max_value=1_000_000).map(lambda pence: Decimal(pence) / 100)
places = st.integers(min_value=1, max_value=200)


def D(text):
    return Decimal(text)


@pytest.mark.parametrize(
    ("fee", "n", "expected"),
    [("415.00", 10, "41.50"), ("415.00", 8, "51.88"), ("100.00", 3, "33.34"), ("0.01", 2, "0.01"), ("90", 1, "90.00")],
)
def test_a_shared_fee_is_split_and_rounded_up_to_the_penny(fee, n, expected):
    assert per_place(D(fee), n) == D(expected)


@given(fee=money, n=places)
def test_the_places_together_cover_a_shared_fee_by_less_than_a_penny_each(fee, n):
    price = SharedFee(fee).price(n)
    assert price * n >= fee
    assert price * n - fee < PENNY * n
    assert price == price.quantize(PENNY)


@given(fee=money, n=places)
def test_a_shared_fee_never_costs_more_per_place_with_more_places(fee, n):
    assert SharedFee(fee).price(n + 1) <= SharedFee(fee).price(n)


@st.composite
def falling_tiers(draw):
    starts = sorted(draw(st.sets(st.integers(min_value=2, max_value=60), max_size=5)))
    prices = sorted((draw(money) for _ in range(len(starts) + 1)), reverse=True)
    return Tiers(tuple(Tier(s, p) for s, p in zip([1, *starts], prices, strict=True)))


@given(schedule=falling_tiers(), n=places)
def test_an_accepted_tier_schedule_never_rises(schedule, n):
    schedule_check(schedule, capacity=200)
    assert schedule.price(n + 1) <= schedule.price(n)


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([(1, "60"), (5, "65")], "must not rise"),
        ([(2, "60")], "first band must start at 1"),
        ([(1, "60"), (1, "50")], "more places than the one before"),
        ([(1, "0")], "more than £0"),
        ([], "first band"),
    ],
)
def test_a_schedule_that_rises_or_is_malformed_is_refused_with_a_reason(tiers, message):
    schedule = Tiers(tuple(Tier(n, D(p)) for n, p in tiers))
    with pytest.raises(ScheduleInvalid, match=message):
        schedule_check(schedule, capacity=20)


def test_a_shared_fee_of_nothing_is_refused():
    with pytest.raises(ScheduleInvalid):
        schedule_check(SharedFee(D("0")), capacity=10)


def test_tiers_price_each_band():
    schedule = Tiers((Tier(1, D("80")), Tier(6, D("60")), Tier(11, D("45"))))
    assert [schedule.price(n) for n in (1, 5, 6, 10, 11, 30)] == [D(p) for p in ("80", "80", "60", "60", "45", "45")]


def test_the_most_a_place_will_cost_is_the_price_at_the_minimum_until_it_is_reached():
    schedule = SharedFee(D("415"))
    assert price_at(schedule, 3, minimum=8) == D("51.88")
    assert price_at(schedule, 10, minimum=8) == D("41.50")
    assert price_at(schedule, 0, minimum=0) == D("415.00")


def test_the_run_page_says_how_many_more_places_bring_the_price_down():
    steps = price_steps(SharedFee(D("415")), 8, minimum=6, capacity=10)
    assert steps == [PriceStep(1, D("46.12")), PriceStep(2, D("41.50"))]
    tiers = Tiers((Tier(1, D("80")), Tier(6, D("60")), Tier(11, D("45"))))
    assert price_steps(tiers, 4, minimum=1, capacity=12) == [PriceStep(2, D("60")), PriceStep(7, D("45"))]
    assert price_steps(tiers, 12, minimum=1, capacity=12) == []


def _brute_force_largest(schedule, interests, minimum):
    """Every subset, the largest (by places, then by count) whose members all accept its price."""
    best = []
    for size in range(len(interests), -1, -1):
        for group in itertools.combinations(interests, size):
            price = price_at(schedule, sum(i.places for i in group), minimum=minimum)
            if all(i.accepts(price) for i in group) and sum(i.places for i in group) > sum(i.places for i in best):
                best = list(group)
    return best


interest_lists = st.lists(
    st.tuples(st.integers(min_value=1, max_value=6), st.one_of(st.none(), st.integers(min_value=20, max_value=200))),
    max_size=7,
).map(
    lambda rows: [Interest(key=n, places=k, ceiling=None if c is None else Decimal(c)) for n, (k, c) in enumerate(rows)]
)


@given(
    fee=st.integers(min_value=100, max_value=2000).map(Decimal),
    interests=interest_lists,
    minimum=st.integers(min_value=1, max_value=12),
)
def test_the_ceiling_rule_finds_the_largest_group_that_accepts_its_price(fee, interests, minimum):
    schedule = SharedFee(fee)
    kept, dropped, price = accepting(schedule, interests, minimum=minimum)
    assert all(i.accepts(price) for i in kept)
    assert sorted(i.key for i in kept + dropped) == sorted(i.key for i in interests)
    best = _brute_force_largest(schedule, interests, minimum)
    assert sum(i.places for i in kept) == sum(i.places for i in best)
    assert {i.key for i in best} <= {i.key for i in kept}


def test_dropping_one_ceiling_can_drop_another():
    schedule = SharedFee(D("400"))  # 10 places: £40; 8: £50; 5: £80
    interests = [Interest("a", 5), Interest("b", 3, D("45")), Interest("c", 2, D("39"))]
    kept, dropped, price = accepting(schedule, interests, minimum=1)
    assert [i.key for i in kept] == ["a"] and price == D("80.00")
    assert {i.key for i in dropped} == {"b", "c"}


@pytest.mark.parametrize(
    ("taken", "margin", "tried", "outcome", "shortfall"),
    [
        (8, 0, False, Outcome.CONFIRMED, 0),
        (10, 0, False, Outcome.CONFIRMED, 0),
        (6, 2, False, Outcome.OFFERED_TO_PARTNERS, 2),
        (6, 1, False, Outcome.CANCELLED, 2),
        (6, 2, True, Outcome.CANCELLED, 2),
        (0, 8, False, Outcome.OFFERED_TO_PARTNERS, 8),
    ],
)
def test_the_decision_at_the_deadline(taken, margin, tried, outcome, shortfall):
    interests = [Interest(n, 1) for n in range(taken)]
    decision = decide(SharedFee(D("400")), interests, minimum=8, partner_margin=margin, partners_tried=tried)
    assert (decision.outcome, decision.shortfall, decision.places) == (outcome, shortfall, taken)


@given(fee=money, interests=interest_lists, minimum=st.integers(min_value=1, max_value=12))
def test_everyone_on_a_confirmed_run_pays_the_same_price_and_together_cover_the_fee(fee, interests, minimum):
    decision = decide(SharedFee(fee), interests, minimum=minimum)
    if decision.outcome == Outcome.CONFIRMED:
        assert decision.places >= minimum
        assert sum(decision.amount_due(i) for i in decision.kept) >= fee
        assert {decision.amount_due(i) / i.places for i in decision.kept} <= {decision.price}


@given(capacity=places, requests=st.lists(st.integers(min_value=1, max_value=30), max_size=40))
def test_places_granted_in_turn_never_exceed_capacity(capacity, requests):
    taken, waiting = 0, 0
    for requested in requests:
        granted, queued = places_granted(capacity=capacity, taken=taken, requested=requested)
        assert granted + queued == requested and granted >= 0
        taken, waiting = taken + granted, waiting + queued
        assert taken <= capacity
    assert taken == min(capacity, sum(requests))


def test_the_price_table_groups_places_with_one_price_into_bands():
    from carenetwork.training.position import PriceBand, price_table

    tiers = Tiers((Tier(1, Decimal("95")), Tier(6, Decimal("75")), Tier(11, Decimal("60"))))
    assert price_table(tiers, minimum=8, capacity=16, places=0) == [
        PriceBand(1, 10, Decimal("75")),
        PriceBand(11, 16, Decimal("60")),
    ]
    shared = price_table(SharedFee(Decimal("600")), minimum=3, capacity=40, places=2)
    assert shared[0] == PriceBand(2, 3, Decimal("200.00")) and len(shared) == 12 and shared[-1].last == 40
