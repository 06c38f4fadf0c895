"""Race tests: calls made from real threads, each with its own database connection, released together.

They need a database on which a second writer waits for the first: PostgreSQL, or SQLite in a file (as
config/settings/test.py makes it). SQLite's in-memory shared-cache test database answers "database table is locked"
at once instead (the busy timeout does not apply to shared-cache locks), so the tests skip there.
"""

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def at_once(calls: Sequence[Callable[[], object]], *, timeout: float = 60) -> tuple[list, list[Exception]]:
    """Run each call from its own thread, all released together at a barrier; returns (results, errors), each in
    the order the calls finished. `timeout` only bounds the wait for the other threads to arrive."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def attempt(call):
        try:
            barrier.wait(timeout=timeout)
            results.append(call())
        except Exception as error:  # noqa: BLE001 - collected for the test to assert on
            errors.append(error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        list(pool.map(attempt, calls))
    return results, errors
