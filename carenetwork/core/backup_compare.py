"""The backup drill's database compare: every table's rows and row checksums, and the sequences, source and copy.

A row's checksum is the md5 of its text (`ROW(r.*)::text`); a table's is the sum of the first 64 bits of each row's,
so it does not depend on row order and covers tables without a primary key. Both sides must print values alike
(time zone, date and float formats): `backup_drill.connect` sets that. Where a table differs and has a primary key,
the first few differing keys are named, from both tables streamed in the same key order.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

ROWS_LISTED = 5  # differing rows named per table


@dataclass
class TableCheck:
    name: str
    source_rows: int | None
    restored_rows: int | None
    source_sum: str | None = None
    restored_sum: str | None = None
    differing_keys: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.source_rows == self.restored_rows and self.source_sum == self.restored_sum

    def describe(self) -> str:
        if self.source_rows is None:
            return f"{self.name}: only in the restored copy"
        if self.restored_rows is None:
            return f"{self.name}: missing from the restored copy"
        said = f"{self.name}: {self.source_rows} rows"
        if self.ok:
            return said + ", checksums match"
        if self.source_rows != self.restored_rows:
            said += f" in the source, {self.restored_rows} in the copy"
        said += ", checksums differ" if self.source_sum != self.restored_sum else ", checksums match"
        if self.differing_keys:
            said += " (rows differing, by primary key: " + ", ".join(self.differing_keys) + ")"
        return said


def tables(conn: psycopg.Connection) -> list[str]:
    """Every table of the public schema, by name."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') "
            "ORDER BY relname"
        )
    ]


def table_checksum(conn: psycopg.Connection, table: str) -> tuple[int, str]:
    """(rows, checksum): the sum of the first 64 bits of each row's md5, as text; row order does not matter."""
    query = sql.SQL(
        "SELECT count(*), coalesce(sum(('x' || left(md5(ROW(r.*)::text), 16))::bit(64)::bigint), 0)::text FROM {} AS r"
    ).format(sql.Identifier("public", table))
    rows, checksum = conn.execute(query).fetchone()
    return rows, checksum


def checksums(conn: psycopg.Connection) -> dict[str, tuple[int, str]]:
    return {table: table_checksum(conn, table) for table in tables(conn)}


def primary_key(conn: psycopg.Connection, table: str) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
            (sql.Identifier("public", table).as_string(conn),),
        )
    ]


def keyed_rows(conn: psycopg.Connection, table: str, key: list[str], name: str) -> Iterator[tuple[str, str]]:
    """(key as text, md5 of the row) for every row, in byte order of the key's text (a server-side cursor)."""
    key_text = sql.SQL("ROW({})::text").format(sql.SQL(", ").join(sql.Identifier("r", k) for k in key))
    query = sql.SQL('SELECT {key}, md5(ROW(r.*)::text) FROM {table} AS r ORDER BY {key} COLLATE "C"').format(
        key=key_text, table=sql.Identifier("public", table)
    )
    with conn.cursor(name=name) as cursor:
        cursor.itersize = 5000
        cursor.execute(query)
        yield from cursor


def differing_keys(source: psycopg.Connection, restored: psycopg.Connection, table: str) -> list[str]:
    """The first few primary keys whose rows differ, are missing or are extra; none when the table has no key."""
    key = primary_key(restored, table)
    if not key:
        return []
    found = []
    left = keyed_rows(source, table, key, "drill_source")
    right = keyed_rows(restored, table, key, "drill_restored")
    a, b = next(left, None), next(right, None)
    while (a or b) and len(found) < ROWS_LISTED:
        if b is None or (a is not None and a[0] < b[0]):
            found.append(f"{a[0]} missing")
            a = next(left, None)
        elif a is None or b[0] < a[0]:
            found.append(f"{b[0]} extra")
            b = next(right, None)
        else:
            if a[1] != b[1]:
                found.append(f"{a[0]} changed")
            a, b = next(left, None), next(right, None)
    left.close()
    right.close()
    return found


def tables_compare(
    source: psycopg.Connection,
    restored: psycopg.Connection,
    *,
    source_sums: dict[str, tuple[int, str]] | None = None,
    timings: dict[str, float] | None = None,
) -> list[TableCheck]:
    """Every table's rows and checksum in the source and the copy; differing rows named where there is a key."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    if source_sums is None:
        source_sums = checksums(source)
    timings["checksums_source"] = time.perf_counter() - started
    started = time.perf_counter()
    restored_sums = checksums(restored)
    timings["checksums_restored"] = time.perf_counter() - started
    checks = []
    for name in sorted(set(source_sums) | set(restored_sums)):
        s_rows, s_sum = source_sums.get(name, (None, None))
        r_rows, r_sum = restored_sums.get(name, (None, None))
        check = TableCheck(name, s_rows, r_rows, s_sum, r_sum)
        if not check.ok and s_rows is not None and r_rows is not None:
            check.differing_keys = differing_keys(source, restored, name)
        checks.append(check)
    return checks


def sequences_behind(conn: psycopg.Connection) -> dict[str, str]:
    """Sequences owned by a column whose value is behind the column's largest value: the next insert would fail.

    By sequence name. Rows inserted with their key given (a settings row with id 1) leave a sequence behind in the
    source too, which is why the drill reports only what is behind in the copy and not in the source.
    """
    owned = conn.execute(
        "SELECT s.sequencename, t.relname, a.attname, s.last_value FROM pg_sequences s "
        "JOIN pg_class sc ON sc.relname = s.sequencename AND sc.relnamespace = 'public'::regnamespace "
        "JOIN pg_depend d ON d.objid = sc.oid AND d.classid = 'pg_class'::regclass "
        "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
        "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
        "WHERE s.schemaname = 'public' ORDER BY s.sequencename"
    ).fetchall()
    behind = {}
    for sequence, table, column, last_value in owned:
        query = sql.SQL("SELECT max({}) FROM {}").format(sql.Identifier(column), sql.Identifier("public", table))
        largest = conn.execute(query).fetchone()[0]
        if largest is not None and (last_value is None or last_value < largest):
            behind[sequence] = f"sequence {sequence} is at {last_value}, behind {table}.{column} = {largest}"
    return behind


def sequences_compare(source: psycopg.Connection, restored: psycopg.Connection) -> list[str]:
    """Sequences behind their column in the copy that were not behind in the source."""
    in_source = sequences_behind(source)
    return [problem for sequence, problem in sequences_behind(restored).items() if sequence not in in_source]
