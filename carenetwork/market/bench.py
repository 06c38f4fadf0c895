"""The market in the benchmark: every sub-market's sustainability as the page computes it, against the same aggregate
written as one hand-written SQL statement (budget: 2×)."""

from django.db import connection

from carenetwork.core.benchmarking import compare
from carenetwork.market import metrics, supply
from carenetwork.organisations.models import Location, Organisation

REFERENCE_SQL = """
WITH located AS (
    SELECT l.service_type_id AS st, COALESCE(l.{area}, '') AS area, l.organisation_id AS org, l.capacity_unit AS unit,
           COALESCE(l.capacity, 0) AS capacity,
           CASE WHEN l.cqc_rating IN ('Outstanding', 'Good') THEN 1 ELSE 0 END AS good,
           CASE WHEN l.cqc_rating IN ('Requires improvement', 'Inadequate') THEN 1 ELSE 0 END AS poor
    FROM organisations_location l JOIN organisations_organisation o ON o.id = l.organisation_id
    WHERE l.is_active AND o.is_active AND o.kind = %s AND l.service_type_id IS NOT NULL
), units AS (
    SELECT st, area, unit, ROW_NUMBER() OVER (PARTITION BY st, area ORDER BY COUNT(*) DESC, unit) AS choice
    FROM located GROUP BY st, area, unit
), providers AS (
    SELECT l.st, l.area, l.org, SUM(CASE WHEN l.unit = u.unit THEN l.capacity ELSE 0 END) AS capacity,
           COUNT(*) AS locations, SUM(l.good) AS good, SUM(l.poor) AS poor
    FROM located l JOIN units u ON u.st = l.st AND u.area = l.area AND u.choice = 1
    GROUP BY l.st, l.area, l.org
), markets AS (
    SELECT st, area, COUNT(*) AS providers, SUM(capacity) AS capacity, MAX(capacity) AS largest,
           SUM(capacity * capacity) AS squares, SUM(locations) AS locations, SUM(good) AS good, SUM(poor) AS poor
    FROM providers GROUP BY st, area
)
SELECT st, area, providers, capacity,
       CASE WHEN capacity > 0 THEN 10000.0 * squares / (capacity * capacity) END AS hhi,
       CASE WHEN capacity > 0 THEN 100.0 * largest / capacity END AS largest_share,
       100.0 * good / locations AS good, 100.0 * poor / locations AS poor
FROM markets ORDER BY st, area
"""


def sustainability_rows() -> list[tuple]:
    """(service type, area, providers, capacity, HHI, largest share, good %, poor %, verdict) for every sub-market,
    as the page works them out."""
    thresholds = supply.thresholds()
    return [
        (
            m.service_type.pk,
            m.area,
            m.providers,
            m.capacity,
            metrics.rounded(m.hhi, 2),
            metrics.rounded(m.largest_share, 2),
            metrics.rounded(m.good, 2),
            metrics.rounded(m.poor, 2),
            m.verdict(thresholds).colour,
        )
        for m in supply.supply(by=supply.BY_AUTHORITY).sub_markets
    ]


def sustainability_by_reference_sql() -> list[tuple]:
    """The same sub-markets' providers, capacity, HHI, largest share and ratings from one statement."""
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL.format(area=supply.BY_AUTHORITY), [Organisation.Kind.PROVIDER])
        return cursor.fetchall()


def _agree(ours: list[tuple], reference: list[tuple]) -> bool:
    """The same sub-markets, providers and capacity, and HHI, largest share and ratings equal to a hundredth."""

    def key(rows):
        return sorted(rows, key=lambda r: (r[0], r[1]))

    def close(a, b):
        return (a is None and b is None) or (a is not None and b is not None and abs(float(a) - float(b)) < 0.01)

    ours, reference = key(ours), key(reference)
    return len(ours) == len(reference) and all(
        o[:4] == tuple(r[:4]) and all(close(o[i], r[i]) for i in (4, 5, 6, 7))
        for o, r in zip(ours, reference, strict=True)
    )


def report_comparison(*, repeats: int = 5) -> list[dict]:
    """Sustainability for every local authority and service type, ours against the reference statement."""
    if not Location.objects.exists():
        return []
    if not _agree(sustainability_rows(), sustainability_by_reference_sql()):
        raise AssertionError("market sustainability: the report and the reference statement disagree")
    return [
        compare(
            "market sustainability, every local authority and service type",
            sustainability_rows,
            sustainability_by_reference_sql,
            repeats=repeats,
        )
    ]
