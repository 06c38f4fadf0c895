"""Timing a report against the same aggregate written as one hand-written SQL statement (ENGINEERING.md: reports
within 2× of it), for each capability's `reports` in the benchmark (core/registry.py), and their table."""

import statistics
import time
from collections.abc import Callable

REPORT_BUDGET = 2.0  # a report within 2x of the same aggregate as one hand-written SQL statement


def median_ms(function: Callable[[], object], repeats: int) -> float:
    """The median time of `repeats` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def compare(name: str, ours: Callable[[], object], reference: Callable[[], object], *, repeats: int = 5) -> dict:
    """Time the report and its reference statement (the caller has checked that they agree)."""
    ours_ms, reference_ms = median_ms(ours, repeats), median_ms(reference, repeats)
    ratio = ours_ms / reference_ms if reference_ms else float("nan")
    return {
        "name": name,
        "report_ms": round(ours_ms, 1),
        "reference_ms": round(reference_ms, 1),
        "ratio": round(ratio, 2),
        "verdict": "PASS" if ratio <= REPORT_BUDGET else "FAIL",
    }


def report_table(results: list[dict]) -> str:
    lines = [
        "| report | report ms (median) | hand-written SQL ms | ratio | verdict |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {r['name']} | {r['report_ms']:.1f} | {r['reference_ms']:.1f} | {r['ratio']:.2f} | {r['verdict']} |"
        for r in results
    ]
    return "\n".join(lines)
