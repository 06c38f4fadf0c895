"""The benchmark's load client: keep-alive connections driving one page, and the figures from their samples."""

import http.client
import math
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"


def percentile(values, p: float) -> float:
    """The p-th percentile (0-100) of the values, interpolating linearly between ranks (numpy's default)."""
    if not values:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Result:
    """The figures for one page."""

    name: str
    path: str
    reference: bool = False
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    throughput: float = 0.0
    p50_ms: float = math.nan
    p95_ms: float = math.nan
    statuses: dict = field(default_factory=dict)
    queries: int | None = None
    ratio: float | None = None
    verdict: str = ""


def summarise(name: str, path: str, samples: list[tuple[float, int]], seconds: float, reference: bool) -> Result:
    """Requests, errors, throughput and latency percentiles from (seconds, status) samples."""
    latencies = [s for s, _ in samples]
    statuses = Counter(status for _, status in samples)
    return Result(
        name=name,
        path=path,
        reference=reference,
        requests=len(samples),
        errors=sum(n for status, n in statuses.items() if status != 200),
        seconds=round(seconds, 3),
        throughput=len(samples) / seconds if seconds > 0 else 0.0,
        p50_ms=percentile(latencies, 50) * 1000,
        p95_ms=percentile(latencies, 95) * 1000,
        statuses={str(k): v for k, v in sorted(statuses.items())},
    )


def _client_loop(port: int, path: str, headers: dict, deadline: float, out: list) -> None:
    """One keep-alive connection sending GETs until the deadline; status 0 means a connection error."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        while True:
            started = time.perf_counter()
            if started >= deadline:
                return
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()  # http.client reconnects on the next request
                status = 0
            out.append((time.perf_counter() - started, status))
    finally:
        conn.close()


def load(port: int, path: str, *, seconds: float, connections: int, headers: dict) -> tuple[list, float]:
    """Drive the path with concurrent clients for the given time; the samples and the elapsed time."""
    buckets = [[] for _ in range(connections)]
    started = time.perf_counter()
    deadline = started + seconds
    threads = [
        threading.Thread(target=_client_loop, args=(port, path, headers, deadline, bucket), daemon=True)
        for bucket in buckets
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.perf_counter() - started
    return [sample for bucket in buckets for sample in bucket], elapsed
