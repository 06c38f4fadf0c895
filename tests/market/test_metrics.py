"""The market's pure calculations, tested by example and by property."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from carenetwork.market import metrics as m

capacities = st.dictionaries(st.integers(0, 40), st.integers(1, 500), min_size=1, max_size=12)


# Shares and concentration


def test_shares_of_three_providers():
    assert m.shares({"a": 50, "b": 30, "c": 20}) == {"a": 50, "b": 30, "c": 20}
    assert m.shares({"a": 1, "b": 2}) == {"a": Fraction(100, 3), "b": Fraction(200, 3)}
    assert m.shares({}) == {} and m.shares({"a": 0}) == {}


def test_hhi_by_example():
    assert m.hhi({"a": 50, "b": 30, "c": 20}) == 2500 + 900 + 400
    assert m.hhi({"only": 12}) == 10_000
    assert m.hhi({i: 10 for i in range(10)}) == 1000
    assert m.hhi({}) is None


@given(capacities)
def test_shares_sum_to_exactly_100(caps):
    assert sum(m.shares(caps).values()) == 100


@given(capacities)
def test_hhi_lies_between_10000_over_n_and_10000(caps):
    value = m.hhi(caps)
    assert Fraction(10_000, len(caps)) <= value <= 10_000
    assert (value == Fraction(10_000, len(caps))) == (len(set(caps.values())) == 1)


@given(capacities)
def test_hhi_is_the_sum_of_the_squared_shares(caps):
    assert m.hhi(caps) == sum(s * s for s in m.shares(caps).values())
    assert m.hhi(caps) == m.hhi_of(sum(c * c for c in caps.values()), sum(caps.values()))


@given(capacities)
def test_largest_has_the_largest_share(caps):
    key = m.largest(caps)
    parts = m.shares(caps)
    assert parts[key] == max(parts.values())
    assert key == next(k for k, v in caps.items() if v == max(caps.values()))  # the first of equals


def test_rounding_for_display_is_half_up():
    assert m.rounded(Fraction(1, 8), 2) == Decimal("0.13")
    assert m.rounded(Fraction(100, 3)) == Decimal("33.3")
    assert m.rounded(Fraction(3333, 1), 0) == Decimal("3333")
    assert m.rounded(None) is None


# Absorbing the largest provider's failure


def test_rest_absorb_the_largest_providers_occupied_places():
    providers = [
        m.ProviderSupply("big", capacity=60, occupied=55, vacant=5),
        m.ProviderSupply("b", capacity=30, occupied=20, vacant=10),
        m.ProviderSupply("c", capacity=30, occupied=25, vacant=4),
    ]
    result = m.absorb_failure(providers)
    assert (result.largest, result.displaced, result.vacancies_elsewhere, result.shortfall) == ("big", 55, 14, 41)
    assert not result.displaced_from_capacity and result.providers_without_return == 0


def test_without_a_return_the_largest_counts_its_capacity_and_others_no_vacancies():
    providers = [
        m.ProviderSupply("big", capacity=40),
        m.ProviderSupply("b", capacity=30, occupied=0, vacant=30),
        m.ProviderSupply("c", capacity=30),
    ]
    result = m.absorb_failure(providers)
    assert result.displaced == 40 and result.displaced_from_capacity
    assert result.vacancies_elsewhere == 30 and result.providers_without_return == 1
    assert result.shortfall == 10


def test_without_any_return_from_the_others_the_shortfall_is_not_known_and_alone_it_is_everything():
    assert m.absorb_failure([m.ProviderSupply("a", 10), m.ProviderSupply("b", 5)]).shortfall is None
    alone = m.absorb_failure([m.ProviderSupply("a", 10, occupied=7, vacant=3)])
    assert alone.shortfall == 7 and alone.vacancies_elsewhere == 0
    unknown = m.verdict(hhi_value=Fraction(500), largest_share=Fraction(5), shortfall=None, thresholds=m.Thresholds())
    assert unknown.colour == m.GREEN and "not known without capacity returns" in unknown.reasons[0]


def test_enough_vacancies_mean_no_shortfall_and_nothing_to_absorb_without_capacity():
    providers = [m.ProviderSupply("a", 10, occupied=8, vacant=2), m.ProviderSupply("b", 9, occupied=0, vacant=9)]
    assert m.absorb_failure(providers).shortfall == 0
    assert m.absorb_failure([]) == m.Absorption(None, 0, False, 0, 0, 0)


@given(st.lists(st.tuples(st.integers(1, 100), st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=8))
def test_shortfall_is_what_the_others_vacancies_leave(rows):
    providers = [m.ProviderSupply(i, cap, min(occ, cap), vac) for i, (cap, occ, vac) in enumerate(rows)]
    result = m.absorb_failure(providers)
    biggest = max(providers, key=lambda p: p.capacity)
    assert result.largest == biggest.key
    spare = sum(p.vacant for p in providers if p.key != biggest.key)
    assert result.shortfall == max(0, biggest.occupied - spare) >= 0


# Verdicts


def test_verdict_thresholds_and_reasons():
    t = m.Thresholds()
    green = m.verdict(hhi_value=Fraction(999), largest_share=Fraction(24), shortfall=0, thresholds=t)
    assert green.colour == m.GREEN
    amber = m.verdict(hhi_value=Fraction(1000), largest_share=Fraction(10), shortfall=0, thresholds=t)
    assert amber.colour == m.AMBER and amber.reasons == ["concentration (HHI) 1000 is at or above 1,000"]
    share = m.verdict(hhi_value=Fraction(900), largest_share=Fraction(25), shortfall=0, thresholds=t)
    assert share.colour == m.AMBER and "25.0% of capacity, at or above 25%" in share.reasons[0]
    red = m.verdict(hhi_value=Fraction(1800), largest_share=Fraction(40), shortfall=0, thresholds=t)
    assert red.colour == m.RED and len(red.reasons) == 2
    short = m.verdict(hhi_value=Fraction(500), largest_share=Fraction(5), shortfall=1, thresholds=t)
    assert short.colour == m.RED and short.reasons == [
        "if the largest provider failed, the others' vacancies would be 1 place short"
    ]
    assert m.verdict(hhi_value=None, largest_share=None, shortfall=0, thresholds=t).colour == m.GREEN


def test_council_thresholds_move_the_verdict():
    strict = m.Thresholds(hhi_amber=500, hhi_red=700, share_amber=10, share_red=20)
    assert m.verdict(hhi_value=Fraction(700), largest_share=None, shortfall=0, thresholds=strict).colour == m.RED


# Suppression


def cell(*providers, value=1):
    return m.Cell(frozenset(providers), value)


def test_cells_of_fewer_than_three_providers_are_hidden():
    hidden, total = m.suppressed([cell(1, 2, 3), cell(4, 5, 6), cell(7)])
    # The lone provider's cell, and the next smallest so that the total less the others does not give it away.
    assert hidden == [True, False, True] and not total


def test_a_cell_about_nobody_is_shown_and_a_total_of_two_providers_hidden():
    assert m.suppressed([cell(), cell(1, 2, 3)]) == ([False, False], False)
    assert m.suppressed([cell(1), cell(2)]) == ([True, True], True)


@given(st.lists(st.frozensets(st.integers(0, 9), max_size=5), max_size=8))
def test_no_shown_figure_or_difference_describes_fewer_than_three_providers(groups):
    cells = [m.Cell(g, len(g)) for g in groups]
    hidden, total_hidden = m.suppressed(cells)
    for c, h in zip(cells, hidden, strict=True):
        assert h or not (0 < len(c.providers) < 3)
    if not total_hidden:
        everyone = frozenset().union(*groups) if groups else frozenset()
        assert not (0 < len(everyone) < 3)
        # The total less the shown cells is the hidden cells' sum: it must be about 3 providers or more (or none).
        rest = frozenset().union(*(c.providers for c, h in zip(cells, hidden, strict=True) if h))
        assert len(rest) == 0 or len(rest) >= 3


# Demand


def test_predicted_multiplies_each_band_by_its_rate():
    population = {65: Decimal(100), 66: Decimal(100), 70: Decimal(50), 90: Decimal(10)}
    rates = [m.Rate(65, 69, Decimal("0.1")), m.Rate(70, 89, Decimal("0.2")), m.Rate(90, 94, Decimal("0.5"))]
    assert m.predicted(population, rates) == Decimal("20") + Decimal("10") + Decimal("5")
    # 95+ finds nobody: the projections' 90+ counts in the 90–94 band.
    assert m.predicted(population, [m.Rate(95, None, Decimal("0.9"))]) == 0


def test_persons_rate_is_the_average_of_the_two_sexes():
    assert m.persons_rate(Decimal("0.015"), Decimal("0.018")) == Decimal("0.0165")


@given(st.dictionaries(st.integers(60, 90), st.decimals(0, 100_000, places=3), max_size=31))
def test_age_totals_of_disjoint_bands_add_up(population):
    whole = m.age_total(population, 65)
    assert m.age_total(population, 65, 74) + m.age_total(population, 75) == whole
    assert whole == sum((v for a, v in population.items() if a >= 65), Decimal(0))
