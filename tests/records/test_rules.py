"""The pure rules: ASC-WDS expiry arithmetic, status boundaries and shares."""

import datetime

import pytest

from carenetwork.records.rules import Status, add_months, cover_status, expiry_date, share

D = datetime.date


@pytest.mark.parametrize(
    ("completed", "months", "expected"),
    [
        (D(2026, 3, 15), 12, D(2027, 3, 14)),  # completion + 12 months − 1 day
        (D(2026, 1, 1), 36, D(2028, 12, 31)),
        (D(2026, 1, 31), 1, D(2026, 2, 27)),  # no 31 February: the month's last day, then − 1 day
        (D(2024, 2, 29), 12, D(2025, 2, 27)),  # leap day
        (D(2026, 12, 1), 1, D(2026, 12, 31)),
        (D(2026, 5, 10), 999, D(2109, 8, 9)),
    ],
)
def test_expiry_is_completion_plus_months_less_one_day(completed, months, expected):
    assert expiry_date(completed, months) == expected


@pytest.mark.parametrize("months", [None, 0])
def test_training_done_once_never_expires(months):
    assert expiry_date(D(2026, 3, 15), months) is None


def test_add_months_crosses_years():
    assert add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)


TODAY = D(2026, 11, 22)


@pytest.mark.parametrize(
    ("expires_on", "expected"),
    [
        (None, Status.IN_DATE),  # never expires
        (TODAY - datetime.timedelta(days=1), Status.EXPIRED),
        (TODAY, Status.EXPIRING),  # the expiry date is the last valid day
        (TODAY + datetime.timedelta(days=90), Status.EXPIRING),
        (TODAY + datetime.timedelta(days=91), Status.IN_DATE),
    ],
)
def test_status_boundaries(expires_on, expected):
    assert cover_status(expires_on, today=TODAY, window_days=90) == expected


def test_no_cover_is_missing():
    assert cover_status(None, today=TODAY, has_cover=False) == Status.MISSING


def test_window_follows_the_setting():
    assert cover_status(TODAY + datetime.timedelta(days=31), today=TODAY, window_days=30) == Status.IN_DATE


@pytest.mark.parametrize(("part", "whole", "expected"), [(0, 0, None), (199, 200, 99), (200, 200, 100), (1, 3, 33)])
def test_share_rounds_down_and_never_claims_100_too_early(part, whole, expected):
    assert share(part, whole) == expected
