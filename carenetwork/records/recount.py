"""Counting the council's requirements from the rows themselves: the recount that the maintained figures
(`records.figures`) are kept equal to, and the small recounts that move them through time.

A *requirement* is a pair (current staff member, category) where a council rule (a `MandatoryTraining` row
without an organisation) of one of their organisation's sectors requires the category of every role or of their
job role. Providers' own rules do not count. Its status is the person's cover (`TrainingCover`): missing, expired,
expiring soon (still in date, but within the reminder window) or in date. Grouped by sector, a person counts under
every sector of their organisation that requires the category; every other total counts each pair once.

Each count is one parametrised SQL statement, the same text on SQLite and PostgreSQL. The ORM can only express
the de-duplication with COUNT(DISTINCT …), which measured four times slower on SQLite at council volume (50,000
staff) and 1.3× slower on PostgreSQL. Here the rules are reduced to what each (organisation, job role) needs and the
covers to counts per (organisation, job role, category) before the two meet, so no per-person row is joined to
the rules.

A person's part in the counts depends on the day only through their leaving date and their covers' expiry dates,
so a recount restricted to some people (`people`) is their part, and the counts of two days differ only by the
part of the people whose leaving or expiry dates fall between them (`people_between`).
"""

import datetime
from dataclasses import dataclass

from django.db import connection

from carenetwork.organisations.models import Organisation
from carenetwork.records.rules import Counts

GROUPS = ("sector", "area", "organisation")

# `roles`: how many current staff each provider has in each job role; `need`: which categories the council's
# rules require of each (organisation, job role), each once; `held`: the cover of current staff per (organisation,
# job role, category) by status. Requirements = people × need; the statuses come from `held`, so no per-person row
# is ever joined to the rules. With a filter, `held` reads only the covers of the providers left in `need` (through
# the covers' organisation index).
REQUIREMENTS_SQL = """
WITH roles AS (
    SELECT s.organisation_id, s.job_role_id, o.area, COUNT(*) AS people
    FROM records_staffmember s
    {roles_join} organisations_organisation o ON o.id = s.organisation_id
    WHERE (s.leaving_date IS NULL OR s.leaving_date >= %s){roles_where}
    GROUP BY s.organisation_id, s.job_role_id, o.area
), need AS (
    SELECT DISTINCT r.organisation_id, r.job_role_id, r.area, r.people, m.category_id{need_sector}
    FROM roles r
    JOIN organisations_organisation_sectors os ON os.organisation_id = r.organisation_id
    JOIN records_mandatorytraining m ON m.sector_id = os.sector_id
    WHERE +m.organisation_id IS NULL AND (m.job_role_id IS NULL OR m.job_role_id = r.job_role_id){need_where}
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

# The people whose part in the counts differs between two days (or two reminder windows): a cover expiring between
# the first days or between the ends of the windows, or a leaving date between the days. Both ends included.
PEOPLE_BETWEEN_SQL = """
SELECT c.staff_id FROM records_trainingcover c
WHERE (c.expires_on >= %s AND c.expires_on <= %s) OR (c.expires_on >= %s AND c.expires_on <= %s)
UNION
SELECT s.id FROM records_staffmember s WHERE s.leaving_date >= %s AND s.leaving_date <= %s
"""


@dataclass(frozen=True)
class People:
    """Some people, as a statement selecting their ids and its parameters."""

    sql: str
    params: tuple


def sql_date(day: datetime.date):
    return connection.ops.adapt_datefield_value(day)


def people_between(first: tuple[datetime.date, int], second: tuple[datetime.date, int]) -> People:
    """The people whose part in the counts may differ between two (day, reminder window) pairs."""
    (day_a, window_a), (day_b, window_b) = first, second
    soon_a = day_a + datetime.timedelta(days=window_a)
    soon_b = day_b + datetime.timedelta(days=window_b)
    days = sorted([day_a, day_b])
    soons = sorted([soon_a, soon_b])
    return People(PEOPLE_BETWEEN_SQL, tuple(sql_date(d) for d in (*days, *soons, *days)))


def requirements_sql(
    *,
    by: tuple[str, ...] = (),
    sector_id: int | None = None,
    area: str | None = None,
    category_id: int | None = None,
    organisation_ids: list[int] | None = None,
    active_providers: bool = True,
    people: People | None = None,
    today: datetime.date,
    window_days: int,
) -> tuple[str, list]:
    """The statement counting requirements per category (and per `by` group), with its parameters.

    `active_providers` counts active providers only, as every report does; the maintained figures keep every
    organisation's and leave the choice to the reader. `people` restricts the count to some people.
    """
    unknown = set(by) - set(GROUPS)
    if unknown:
        raise ValueError(f"cannot group by {unknown}")
    roles_where, roles_params, need_where, need_params, held_where, held_params = "", [], "", [], "", []
    if active_providers:
        roles_where += " AND o.kind = %s AND o.is_active"
        roles_params.append(Organisation.Kind.PROVIDER.value)
    if area:
        roles_where += " AND o.area = %s"
        roles_params.append(area)
    if organisation_ids is not None:
        marks = ", ".join(["%s"] * len(organisation_ids)) or "NULL"
        roles_where += f" AND o.id IN ({marks})"
        roles_params += list(organisation_ids)
    if people is not None:
        roles_where += f" AND s.id IN ({people.sql})"
        roles_params += list(people.params)
        held_where += f" AND c.staff_id IN ({people.sql})"
        held_params += list(people.params)
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
        # For some people, read them first: SQLite keeps the join's order when it is a CROSS JOIN (PostgreSQL
        # plans as it likes), or it walks every provider's staff looking for each of them.
        roles_join="CROSS JOIN" if people is not None and connection.vendor == "sqlite" else "JOIN",
        roles_where=roles_where,
        need_sector=", os.sector_id" if "sector" in by else "",
        need_where=need_where,
        held_where=held_where,
        keys="".join(f", {columns[name]}" for name in by),
    )
    soon = today + datetime.timedelta(days=window_days)
    params = [sql_date(today), *roles_params, *need_params]
    params += [sql_date(soon), sql_date(today), sql_date(soon), sql_date(today), sql_date(today), *held_params]
    return sql, params


def requirement_recount(*, by: tuple[str, ...] = (), **criteria) -> dict[tuple, Counts]:
    """Counts keyed by (category id, *the `by` groups), recounted from the rows in one query (see
    `requirements_sql` for the criteria)."""
    sql, params = requirements_sql(by=by, **criteria)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = 1 + len(by)
    return {tuple(row[:width]): Counts(*(int(n or 0) for n in row[width:])) for row in rows}
