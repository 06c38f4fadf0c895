"""Inserting many rows of one model in a few statements.

`bulk_create` prepares every value of every object through the ORM: measured here, 50,000 training records took
about 9 s that way and 1.6 s with one prepared INSERT run by `executemany`. Imports of 50,000 rows must finish
within a minute, so the training import inserts this way. The values have been checked by the importer; the
database's constraints still apply.
"""

from collections.abc import Iterable
from functools import partial

from django.db import connection
from django.db.models import Model
from django.utils import timezone

BATCH = 5000
# Values of these field types go to the database driver as they are.
PLAIN = {
    "AutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FileField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _adapter(field):
    kind = field.get_internal_type()
    if kind in PLAIN:
        return None
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return partial(field.get_db_prep_save, connection=connection)


def bulk_insert(model: type[Model], rows: Iterable[dict], **constants) -> int:
    """Insert one row per dict (by field attname); `constants` fill the same fields of every row, model defaults
    the rest, and auto_now fields get the current time. Returns the number of rows inserted."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    fixed = {}
    for field in fields:
        if field.attname in constants:
            fixed[field.attname] = constants[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed[field.attname] = now
        elif field.has_default() or field.null or field.blank:
            fixed[field.attname] = field.get_default()
    adapters = [_adapter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"

    def values(row: dict) -> list:
        out = []
        for field, adapt in zip(fields, adapters, strict=True):
            value = row[field.attname] if field.attname in row else fixed[field.attname]
            out.append(value if adapt is None or value is None else adapt(value))
        return out

    rows = list(rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [values(row) for row in rows[start : start + BATCH]])
    return len(rows)
