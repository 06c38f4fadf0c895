"""The topology's load test (scripts/topology starts the servers; this is the second process that loads them).

    manage.py load_test --url https://localhost:PORT --cafile cert.pem [--people 150] [--requests 3000]
                        [--concurrency 16] [--meeting-places 6] [--run-places 5] [--label "2 web"]
                        [--mail-dir DIR] [--json out.json]

Writes a round of its own (people, a meeting and a run with few places left) into the database the servers use,
lets every person sign in and race for the last places through the web pages, waits for the task workers to
finish every queued task, then checks: no place oversold; no 5xx, failed connection or refusal; no task left
waiting, running or failed; one email queued (and, with --mail-dir, delivered) for each booking or promotion
in the audit trail, none twice. Exits non-zero when a check fails.
"""

import json
import re
import secrets
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from carenetwork.portal.load_test_client import run_people
from carenetwork.portal.load_test_data import stage_check, stage_create, tasks_unfinished

DRAIN_SECONDS = 300
TOPOLOGY_DATABASE = "cn_topology_"  # what scripts/topology names its databases


class Command(BaseCommand):
    help = "Sign many people in over the real web servers, race for the last places, and check nothing was lost."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="the nginx address, e.g. https://localhost:8443")
        parser.add_argument("--cafile", required=True, help="the certificate nginx serves (self-signed)")
        parser.add_argument("--people", type=int, default=150)
        parser.add_argument("--requests", type=int, default=3000, help="the most requests sent in all")
        parser.add_argument("--concurrency", type=int, default=16, help="people active at once (threads)")
        parser.add_argument("--meeting-places", type=int, default=6)
        parser.add_argument("--run-places", type=int, default=5)
        parser.add_argument("--label", default="", help="what this round measures, for the report")
        parser.add_argument("--mail-dir", help="the file email backend's folder: count the delivered emails too")
        parser.add_argument("--json", dest="json_path", help="also write the round's figures here")
        parser.add_argument(
            "--any-database",
            action="store_true",
            help=f"run on a database not named {TOPOLOGY_DATABASE}…: the people it adds stay",
        )

    def handle(self, *args, **options):
        database = connections["default"].settings_dict["NAME"]
        if not str(database).startswith(TOPOLOGY_DATABASE) and not options["any_database"]:
            raise CommandError(
                f"The load test writes people, organisations and places that stay: it runs on the topology's own "
                f"database ({TOPOLOGY_DATABASE}…, which scripts/topology makes), not on {database!r}"
            )
        if min(options["people"], options["requests"], options["concurrency"]) <= 0:
            raise CommandError("--people, --requests and --concurrency must be positive")
        tag = secrets.token_hex(3)
        stage = stage_create(
            tag=tag,
            people=options["people"],
            meeting_places=options["meeting_places"],
            run_places=options["run_places"],
        )
        connections.close_all()  # nothing is held open while the load runs
        self.stdout.write(f"Round {tag}: {options['people']} people, at most {options['requests']} requests")
        load, problems = run_people(
            stage,
            base_url=options["url"],
            cafile=options["cafile"],
            concurrency=options["concurrency"],
            requests=options["requests"],
        )
        drained = self.drain()
        figures, checks = stage_check(tag)
        problems += checks
        errors = {s: n for s, n in load["statuses"].items() if s == "0" or s.startswith("5")}
        if errors:
            problems.append(f"server errors or failed connections: {errors}")
        # Every step a person takes is allowed to them: anything but a page or a redirect (a 403, a 429) is wrong.
        refused = {s: n for s, n in load["statuses"].items() if s not in ("200", "302") and s not in errors}
        if refused:
            problems.append(f"requests refused: {refused}")
        static = load["by_kind"].get("static", {"requests": 0, "statuses": {}})
        if static["requests"] < load["people_signed_in"] or set(static["statuses"]) != {"200"}:
            problems.append(f"nginx did not serve the stylesheet to everyone: {static}")
        if load["people_signed_in"] < options["people"]:
            problems.append(
                f"only {load['people_signed_in']} of {options['people']} people signed in: raise --requests"
            )
        if not drained:
            problems.append(f"tasks still unfinished after {DRAIN_SECONDS} s")
        if options["mail_dir"]:
            figures["emails_delivered"] = self.delivered(Path(options["mail_dir"]), tag)
            if figures["emails_delivered"] != figures["emails_queued"]:
                problems.append(f"{figures['emails_delivered']} emails delivered for {figures['emails_queued']} queued")
        report = {"label": options["label"], "tag": tag, "load": load, "figures": figures, "problems": problems}
        self.stdout.write(json.dumps(report, indent=2))
        if options["json_path"]:
            Path(options["json_path"]).write_text(json.dumps(report, indent=2))
        if problems:
            raise CommandError("Load test failed:\n  " + "\n  ".join(problems))
        self.stdout.write(
            f"PASS {options['label']}: {load['requests']} requests, {load['requests_per_second']} req/s, "
            f"p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms"
        )

    def drain(self) -> bool:
        """Wait for the workers to finish every queued task."""
        deadline = time.monotonic() + DRAIN_SECONDS
        while time.monotonic() < deadline:
            if tasks_unfinished() == 0:
                return True
            time.sleep(0.5)
        return False

    def delivered(self, folder: Path, tag: str) -> int:
        """Messages the file backend wrote to the round's people (one file per connection, one message each)."""
        to = re.compile(rf"^To: .*\.{tag}\.", re.M)
        return sum(len(to.findall(path.read_text(errors="replace"))) for path in folder.glob("*.log"))
