"""The whole topology under a small load (scripts/topology): nginx over one and then two gunicorn instances, two task
workers, PostgreSQL and Redis; its load test checks no place oversold, no 5xx, no task lost, every email once.

It needs the real services, so it skips unless nginx is installed and PostgreSQL and Redis answer on this machine
(PGURL and REDIS_URL, as the script reads them). The script makes and drops its own database and uses a Redis
database number of its own.
"""

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PGURL = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = "14"  # not the script's default (13), so a run by hand does not share it with this test


def _answers(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def _missing() -> str | None:
    nginx = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        return "nginx is not installed"
    for tool in ("psql", "redis-cli", "openssl", "curl"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if not _answers(PGURL, 5432):
        return f"PostgreSQL does not answer at {PGURL}"
    if not _answers(REDIS_URL, 6379):
        return f"Redis does not answer at {REDIS_URL}"
    return None


@pytest.mark.skipif(_missing() is not None, reason=f"the topology needs real services: {_missing()}")
def test_topology_under_small_load_loses_nothing(tmp_path):
    result = subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "topology"),
            "--web",
            "1 2",
            "--people",
            "20",
            "--requests",
            "400",
            "--concurrency",
            "4",
            "--json",
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "TOPOLOGY_REDIS_DB": REDIS_DB, "PGURL": PGURL, "REDIS_URL": REDIS_URL},
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout[-6000:] + result.stderr[-6000:]
    assert result.returncode == 0, output
    assert "all checks passed" in result.stdout, output
    for n in (1, 2):
        report = json.loads((tmp_path / f"topology-web-{n}.json").read_text())
        assert report["problems"] == []
        assert report["load"]["people_signed_in"] == 20
        figures = report["figures"]
        # The places were raced for: the meeting filled and people waited; the run's last places went too.
        assert figures["meeting_confirmed"] == figures["meeting_places"]
        assert figures["meeting_waiting"] == 20 - figures["meeting_places"]
        assert figures["run_places_held"] <= figures["run_places"]
        # One email per booking at least (an organisation given places from the run's waiting list is told too).
        assert figures["emails_queued"] == figures["emails_delivered"] >= 20
        assert not any(status.startswith("5") for status in report["load"]["statuses"])
