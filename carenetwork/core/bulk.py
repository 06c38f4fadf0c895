"""One transaction for a bulk load of generated rows, with PostgreSQL's per-row foreign key checks off."""

from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction


@contextmanager
def bulk_load():
    """A transaction in which, on PostgreSQL and where the database role may, foreign keys are not checked row by row.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: every row inserted queues a check that runs at COMMIT,
    one lookup per key per row, and the queue lives in the server's memory. For the benchmark's generated volumes
    (tens of millions of rows, every key taken from rows just read) that COMMIT took a quarter of the whole
    generation and more than a gigabyte. `session_replication_role = replica` turns those triggers off for this
    transaction only (SET LOCAL). Only a superuser (or a role granted the setting) may set it; otherwise the checks
    simply run. Use it only for rows whose keys are correct by construction.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                pass  # not allowed: the foreign keys are checked as usual
        yield
