"""The council's skills picture: how the current staff of active providers stand in the training the council
makes mandatory. Nothing here reads or returns a person's name.

What a requirement is and how it is counted is in `records.recount`; the reports read the maintained figures of
`records.figures`. `skills_gap_by_reference_sql` counts the same thing the plain way, as one fixed statement: the
benchmark's reference and a cross-check in the tests.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from carenetwork.organisations.models import Organisation, Sector
from carenetwork.records.figures import requirement_counts
from carenetwork.records.models import MandatoryTraining, TrainingCategory
from carenetwork.records.recount import sql_date
from carenetwork.records.rules import Counts
from carenetwork.records.selectors import reminder_window

# The skills gap per category written the plain way, as one fixed statement: the benchmark's reference, and a
# cross-check of the figures in the tests. Parameters: window end, today, window end, today, provider kind,
# today, sector id or NULL (twice), area or NULL (twice).
SKILLS_GAP_SQL = """
SELECT m.category_id,
    COUNT(DISTINCT s.id),
    COUNT(DISTINCT CASE WHEN c.id IS NOT NULL AND (c.expires_on IS NULL OR c.expires_on > %s) THEN s.id END),
    COUNT(DISTINCT CASE WHEN c.expires_on >= %s AND c.expires_on <= %s THEN s.id END),
    COUNT(DISTINCT CASE WHEN c.expires_on < %s THEN s.id END)
FROM records_staffmember s
JOIN organisations_organisation o ON o.id = s.organisation_id
JOIN organisations_organisation_sectors os ON os.organisation_id = o.id
JOIN records_mandatorytraining m ON m.sector_id = os.sector_id
LEFT JOIN records_trainingcover c ON c.staff_id = s.id AND c.category_id = m.category_id
WHERE m.organisation_id IS NULL AND (m.job_role_id IS NULL OR m.job_role_id = s.job_role_id)
    AND o.kind = %s AND o.is_active AND (s.leaving_date IS NULL OR s.leaving_date >= %s)
    AND (%s IS NULL OR os.sector_id = %s) AND (%s IS NULL OR o.area = %s)
GROUP BY m.category_id
"""


@dataclass
class GapRow:
    """One category's skills gap; `category` is filled in where names are needed."""

    category_id: int
    counts: Counts
    category: TrainingCategory | None = None


@dataclass
class FilterChoices:
    """What the council's reports can be filtered by: sectors in order, provider areas, mandatory categories."""

    sectors: list[Sector] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    categories: list[TrainingCategory] = field(default_factory=list)

    def sector_by_slug(self, slug: str) -> Sector | None:
        return next((s for s in self.sectors if s.slug == slug), None)

    def category_names(self) -> dict[int, str]:
        return {c.pk: c.name for c in self.categories}


def filter_choices() -> FilterChoices:
    """Sectors, the areas of active providers and the council's mandatory categories (three queries)."""
    areas = (
        Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, is_active=True)
        .exclude(area="")
        .order_by("area")
        .values_list("area", flat=True)
        .distinct()
    )
    council_rules = MandatoryTraining.objects.filter(category=OuterRef("pk"), organisation__isnull=True)
    categories = TrainingCategory.objects.filter(Exists(council_rules))
    return FilterChoices(
        sectors=list(Sector.objects.order_by("position", "name")),
        areas=list(areas),
        categories=list(categories.order_by("name")),
    )


def as_of(today: datetime.date | None = None, window_days: int | None = None) -> tuple[datetime.date, int]:
    """The day the figures are for and the 'expiring soon' window (the council's reminder setting)."""
    today = today or timezone.localdate()
    return today, reminder_window() if window_days is None else window_days


def _ranked(counts: dict[int, Counts]) -> list[GapRow]:
    rows = [GapRow(category_id=category_id, counts=c) for category_id, c in counts.items()]
    return sorted(rows, key=lambda r: (-r.counts.gap, -r.counts.required, r.category_id))


def skills_gap(
    *,
    sector_id: int | None = None,
    area: str | None = None,
    today: datetime.date | None = None,
    window_days: int | None = None,
) -> list[GapRow]:
    """Every mandatory category with its gap, the largest first (one query, plus the window setting if not given)."""
    today, window_days = as_of(today, window_days)
    counts = requirement_counts(sector_id=sector_id, area=area, today=today, window_days=window_days)
    return _ranked({key[0]: c for key, c in counts.items()})


def skills_gap_sql(
    *, sector_id: int | None = None, area: str | None = None, today: datetime.date, window_days: int
) -> tuple[str, list]:
    """The reference statement for `skills_gap`, with its parameters."""
    soon, day = sql_date(today + datetime.timedelta(days=window_days)), sql_date(today)
    kind = Organisation.Kind.PROVIDER.value
    area = area or None
    return SKILLS_GAP_SQL, [soon, day, soon, day, kind, day, sector_id, sector_id, area, area]


def skills_gap_by_reference_sql(
    *,
    sector_id: int | None = None,
    area: str | None = None,
    today: datetime.date | None = None,
    window_days: int | None = None,
) -> list[GapRow]:
    """The same result as `skills_gap`, from the one hand-written reference statement."""
    today, window_days = as_of(today, window_days)
    sql, params = skills_gap_sql(sector_id=sector_id, area=area, today=today, window_days=window_days)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _ranked({row[0]: Counts(*(int(n or 0) for n in row[1:])) for row in rows})


def largest_gaps(*, sector=None, area: str | None = None, limit: int = 10) -> list[GapRow]:
    """The categories most staff lack (missing or expired), largest first, with their `category` (three queries).

    `sector` is a Sector or its id. Categories nobody lacks are left out.
    """
    sector_id = getattr(sector, "pk", sector)
    rows = [r for r in skills_gap(sector_id=sector_id, area=area) if r.counts.gap][:limit]
    categories = TrainingCategory.objects.in_bulk([r.category_id for r in rows])
    for row in rows:
        row.category = categories[row.category_id]
    return rows
