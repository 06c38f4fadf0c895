"""Providers' scores in figures: the distribution, the mean to one place, and the five-provider rule."""

from decimal import Decimal

from carenetwork.assessment.scores import MIN_PROVIDERS, summarise


def test_no_scores_give_no_mean_and_are_not_shown():
    summary = summarise({})
    assert (summary.count, summary.distribution, summary.mean, summary.shown) == (0, (0, 0, 0, 0, 0, 0), None, False)


def test_mean_and_distribution_of_five_scores():
    # 1 + 2 + 2 + 4 + 5 = 14; 14 / 5 = 2.8
    summary = summarise({1: 1, 2: 2, 4: 1, 5: 1})
    assert summary.distribution == (0, 1, 2, 0, 1, 1)
    assert summary.count == 5
    assert summary.mean == Decimal("2.8")
    assert summary.shown


def test_mean_rounds_half_up_to_one_place():
    # 0 + 1 + 1 + 1 + 1 + 1 = 5 over 6 = 0.8333 -> 0.8; 3 + 3 + 4 + 4 + 4 + 4 + 4 + 4 = 30 over 8 = 3.75 -> 3.8
    assert summarise({0: 1, 1: 5}).mean == Decimal("0.8")
    assert summarise({3: 2, 4: 6}).mean == Decimal("3.8")


def test_four_providers_are_not_enough_to_show_and_five_are():
    assert MIN_PROVIDERS == 5
    assert not summarise({3: 4}).shown
    assert summarise({3: 5}).shown


def test_gap_is_providers_mean_less_the_councils_own_score_once_shown():
    shown = summarise({2: 3, 3: 2})  # 12 / 5 = 2.4
    assert shown.gap(4) == Decimal("-1.6")
    assert shown.gap(None) is None
    assert summarise({2: 4}).gap(4) is None
