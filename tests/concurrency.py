"""Race tests: calls made from real threads, each with its own database connection, released together.

They need a database on which a second writer waits for the first: PostgreSQL, or SQLite in a file (as
config/settings/test.py makes it). SQLite's in-memory shared-cache test database answers "database table is locked"
at once instead (the busy timeout does not apply to shared-cache locks), so the tests skip there.
"""

import importlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection

# The migrations that seed an app's fixed data (sectors, forums, training categories…), by app label.
SEEDS = {
    "organisations": "carenetwork.organisations.migrations.0002_seed_taxonomies",
    "forums": "carenetwork.forums.migrations.0002_seed_forums",
    "records": "carenetwork.records.migrations.0002_seed_taxonomies",
}


def prepare_race(*seeded_apps: str) -> None:
    """Skip where a second writer cannot wait for the first; else seed these apps' fixed data again (a race test
    is transactional, so it starts from whatever the last one flushed)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite's in-memory shared-cache test database cannot queue writers; use a file or PostgreSQL")
    seed_again(*seeded_apps)


def seed_again(*seeded_apps: str) -> None:
    """Seed these apps' fixed data again (every seeded app when none is named): a transactional test starts from
    whatever the last one flushed."""
    for label in seeded_apps or SEEDS:
        importlib.import_module(SEEDS[label]).seed(apps, None)


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
