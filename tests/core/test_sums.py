"""Sums kept as change rows: appended without touching another's row, folded into one row per key."""

from decimal import Decimal

import pytest

from carenetwork.core.sums import sums_append, sums_compact
from carenetwork.training.models import ProgrammeProviders, ProgrammeQuarter

pytestmark = pytest.mark.django_db

KEY = ("starts", "months", "sectors")


def _sums():
    rows = ProgrammeProviders.objects.values_list(*KEY, "providers")
    totals = {}
    for *key, n in rows:
        totals[tuple(key)] = totals.get(tuple(key), 0) + n
    return {key: n for key, n in totals.items() if n}


def test_append_writes_a_row_per_change_that_is_not_all_zeros():
    written = sums_append(ProgrammeProviders, {(None, 0, "1"): {"providers": 2}, (None, 0, "2"): {"providers": 0}}, KEY)
    assert written == 1
    assert list(ProgrammeProviders.objects.values_list(*KEY, "providers")) == [(None, 0, "1", 2)]


def test_compaction_folds_each_keys_rows_into_one_and_keeps_every_sum(django_assert_max_num_queries):
    import datetime

    april = datetime.date(2026, 4, 1)
    for change in [2, -1, 3]:
        sums_append(ProgrammeProviders, {(None, 0, "1"): {"providers": change}}, KEY)
        sums_append(ProgrammeProviders, {(april, 3, "1"): {"providers": change}}, KEY)
    sums_append(ProgrammeProviders, {(None, 0, "2"): {"providers": 1}}, KEY)
    sums_append(ProgrammeProviders, {(april, 12, ""): {"providers": 1}, (april, 12, "2"): {"providers": -1}}, KEY)
    sums_append(ProgrammeProviders, {(april, 12, ""): {"providers": -1}}, KEY)  # adds up to nothing
    before = _sums()
    with django_assert_max_num_queries(8):
        folded = sums_compact(ProgrammeProviders, KEY, ("providers",))
    assert folded == 2 + 2 + 2  # three rows into one, twice; two rows into none
    assert _sums() == before == {(None, 0, "1"): 4, (april, 3, "1"): 4, (None, 0, "2"): 1, (april, 12, "2"): -1}
    assert ProgrammeProviders.objects.count() == 4
    assert sums_compact(ProgrammeProviders, KEY, ("providers",)) == 0


def test_compaction_adds_up_money_to_the_penny():
    import datetime

    quarter = datetime.date(2026, 7, 1)
    for spend in ["10.10", "20.20", "-0.30"]:
        sums_append(ProgrammeQuarter, {(quarter,): {"spend": Decimal(spend), "runs": 1}}, ("quarter",))
    sums_compact(ProgrammeQuarter, ("quarter",), ProgrammeQuarter.SUMS)
    row = ProgrammeQuarter.objects.get()
    assert (row.quarter, row.runs, row.spend) == (quarter, 3, Decimal("30.00"))
