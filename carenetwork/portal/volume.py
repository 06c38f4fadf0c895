"""Synthetic data at benchmark volume: organisations and people, then each registered capability's volume."""

import time

from django.db import connection

from carenetwork.core.registry import capabilities
from carenetwork.organisations.volume import generate_volume

VOLUMES = {
    "council": {"organisations": 1000, "locations": 3000, "people": 5000},
    "region": {"organisations": 10000, "locations": 30000, "people": 50000},
    # England: about 28,000 providers, each with three locations and five portal people on average, as above.
    "national": {"organisations": 28000, "locations": 84000, "people": 140000},
}


def statistics_refresh(stdout=None) -> float:
    """On PostgreSQL, VACUUM ANALYZE after the bulk load (only ANALYZE inside a transaction); the seconds it took.

    Until then the planner knows nothing of the millions of new rows (a page's count ran for minutes at region
    volume), and autovacuum may be off or not yet round. VACUUM also marks the pages all-visible, so that index-only
    scans work, and sets the hint bits the first reads would otherwise write.
    """
    if connection.vendor != "postgresql":
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    seconds = time.perf_counter() - started
    if stdout is not None:
        stdout.write(f"Statistics refreshed in {seconds:.1f} s")
    return seconds


def volume_ensure(volume: str, stdout=None) -> dict:
    """Top up every part of the synthetic data to the volume's figures.

    Returns the organisations' generation, with `seconds` for the whole (every capability and the statistics) and
    each part's seconds under `parts`.
    """
    started = time.perf_counter()
    generation = generate_volume(**VOLUMES[volume], stdout=stdout)
    parts = {"organisations": generation["seconds"]}
    for capability in capabilities():
        if capability.volume:
            result = capability.volume(volume, stdout=stdout)
            parts[capability.name] = result.get("seconds") if isinstance(result, dict) else None
    parts["statistics"] = round(statistics_refresh(stdout), 2)
    return {**generation, "parts": parts, "seconds": round(time.perf_counter() - started, 2)}
