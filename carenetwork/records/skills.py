"""The council's skills picture: how the current staff of active providers stand in the training the council
makes mandatory, counted in the database. Nothing here reads or returns a person's name.

A *requirement* is a pair (current staff member, category) where a council rule (a `MandatoryTraining` row
without an organisation) of one of their organisation's sectors requires the category of every role or of their
job role. Providers' own rules do not count. Its status is the person's cover (`TrainingCover`): missing, expired,
expiring soon (still in date, but within the reminder window) or in date. Grouped by sector, a person counts under
every sector of their organisation that requires the category; every other total counts each pair once.

Each report is one parametrised SQL statement, the same text on SQLite and PostgreSQL. The ORM can only express
the de-duplication with COUNT(DISTINCT …), which measured four times slower on SQLite at council volume (50,000
staff) and 1.3× slower on PostgreSQL. Here the rules are reduced to what each (organisation, job role) needs and the
covers to counts per (organisation, job role, category) before the two meet, so no per-person row is joined to
the rules.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from carenetwork.organisations.models import Organisation, Sector
from carenetwork.records.models import MandatoryTraining, TrainingCategory
from carenetwork.records.rules import Counts
from carenetwork.records.selectors import reminder_window

GROUPS = ("sector", "area", "organisation")

# `roles`: how many current staff each active provider has in each job role; `need`: which categories the council's
# rules require of each (organisation, job role), each once; `held`: the cover of current staff per (organisation,
# job role, category) by status. Requirements = people × need; the statuses come from `held`, so no per-person row
# is ever joined to the rules. With a filter, `held` reads only the covers of the providers left in `need` (through
# the covers' organisation index).
REQUIREMENTS_SQL = """
WITH roles AS (
    SELECT s.organisation_id, s.job_role_id, o.area, COUNT(*) AS people
    FROM records_staffmember s
    JOIN organisations_organisation o ON o.id = s.organisation_id
    WHERE o.kind = %s AND o.is_active AND (s.leaving_date IS NULL OR s.leaving_date >= %s){roles_where}
    GROUP BY s.organisation_id, s.job_role_id, o.area
), need AS (
    SELECT DISTINCT r.organisation_id, r.job_role_id, r.area, r.people, m.category_id{need_sector}
    FROM roles r
    JOIN organisations_organisation_sectors os ON os.organisation_id = r.organisation_id
    JOIN records_mandatorytraining m ON m.sector_id = os.sector_id
    WHERE m.organisation_id IS NULL AND (m.job_role_id IS NULL OR m.job_role_id = r.job_role_id){need_where}
), held AS (
    SELECT c.organisation_id, c.job_role_id, c.category_id,
        SUM(CASE WHEN c.expires_on IS NULL OR c.expires_on > %s THEN 1 ELSE 0 END) AS in_date,
        SUM(CASE WHEN c.expires_on >= %s AND c.expires_on <= %s THEN 1 ELSE 0 END) AS expiring,
        SUM(CASE WHEN c.expires_on < %s THEN 1 ELSE 0 END) AS expired
    FROM records_trainingcover c
    WHERE c.staff_id NOT IN (SELECT l.id FROM records_staffmember l WHERE l.leaving_date < %s){held_where}
    GROUP BY c.organisation_id, c.job_role_id, c.category_id
)
SELECT n.category_id{keys},
    SUM(n.people),
    SUM(COALESCE(h.in_date, 0)),
    SUM(COALESCE(h.expiring, 0)),
    SUM(COALESCE(h.expired, 0))
FROM need n
LEFT JOIN held h ON h.organisation_id = n.organisation_id AND h.job_role_id = n.job_role_id
    AND h.category_id = n.category_id
GROUP BY n.category_id{keys}
"""

# The skills gap per category written the plain way, as one fixed statement: the benchmark's reference, and a
# cross-check of REQUIREMENTS_SQL in the tests. Parameters: window end, today, window end, today, provider kind,
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


def _date(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def requirements_sql(
    *,
    by: tuple[str, ...] = (),
    sector_id: int | None = None,
    area: str | None = None,
    category_id: int | None = None,
    organisation_ids: list[int] | None = None,
    today: datetime.date,
    window_days: int,
) -> tuple[str, list]:
    """The statement counting requirements per category (and per `by` group), with its parameters."""
    unknown = set(by) - set(GROUPS)
    if unknown:
        raise ValueError(f"cannot group by {unknown}")
    roles_where, roles_params, need_where, need_params, held_where, held_params = "", [], "", [], "", []
    if area:
        roles_where += " AND o.area = %s"
        roles_params.append(area)
    if organisation_ids is not None:
        marks = ", ".join(["%s"] * len(organisation_ids)) or "NULL"
        roles_where += f" AND o.id IN ({marks})"
        roles_params += list(organisation_ids)
    if sector_id:
        need_where += " AND os.sector_id = %s"
        need_params.append(sector_id)
    if category_id:
        need_where += " AND m.category_id = %s"
        held_where += " AND c.category_id = %s"
        need_params.append(category_id)
        held_params.append(category_id)
    if area or organisation_ids is not None or sector_id:
        held_where += " AND c.organisation_id IN (SELECT organisation_id FROM need)"
    columns = {"sector": "n.sector_id", "area": "n.area", "organisation": "n.organisation_id"}
    sql = REQUIREMENTS_SQL.format(
        roles_where=roles_where,
        need_sector=", os.sector_id" if "sector" in by else "",
        need_where=need_where,
        held_where=held_where,
        keys="".join(f", {columns[name]}" for name in by),
    )
    soon = today + datetime.timedelta(days=window_days)
    params = [Organisation.Kind.PROVIDER.value, _date(today), *roles_params, *need_params]
    params += [_date(soon), _date(today), _date(soon), _date(today), _date(today), *held_params]
    return sql, params


def requirement_counts(*, by: tuple[str, ...] = (), **criteria) -> dict[tuple, Counts]:
    """Counts keyed by (category id, *the `by` groups), from one query (see `requirements_sql` for criteria)."""
    sql, params = requirements_sql(by=by, **criteria)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = 1 + len(by)
    return {tuple(row[:width]): Counts(*(int(n or 0) for n in row[width:])) for row in rows}


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
    soon, day = _date(today + datetime.timedelta(days=window_days)), _date(today)
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
