"""Measure key pages against the trivial and baseline pages over a real gunicorn server.

    manage.py benchmark [--volume council|region|national] [--duration 10] [--connections 6]
                        [--workers 3] [--rounds 5] [--skip-load] [--json bench-council.json] [--strict]

Tops up the synthetic volume (organisations, then what each capability registers with the portal: staff records,
the training brokerage, the benchmark forum), gathers the pages each capability registers, signs in a benchmark
person by writing a session straight into the database, runs collectstatic (production settings use the manifest
storage), starts gunicorn with production settings on a free port of 127.0.0.1, and drives each page with
`--connections` keep-alive clients for `--duration` seconds after a warm-up, in `--rounds` interleaved slices so
that noise on the machine falls on every page alike. Ratios to the baseline page, not absolute times, are what
to compare (ENGINEERING.md, "Performance").

Budgets are measured with caches off (ENGINEERING.md). The app keeps no report caches (its reports read maintained
figures), so every run is one with caches off, and the header says so.
"""

import http.client
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import asdict
from importlib import import_module
from pathlib import Path

from django import urls
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from carenetwork.core.benchmarking import report_table
from carenetwork.core.loadclient import HOST, Result, load, summarise
from carenetwork.core.registry import BenchmarkContext, capabilities
from carenetwork.organisations.models import Location, Membership, Sector
from carenetwork.organisations.volume import (
    AREAS,
    benchmark_officer_ensure,
    benchmark_user_ensure,
    largest_synthetic_organisation,
    synthetic_organisations,
)
from carenetwork.portal import views as portal_views
from carenetwork.portal.volume import VOLUMES, volume_ensure

BUDGET = 5.0  # every key page's p95 within 5x the baseline page's p95
SEARCH_FRAGMENT = "care"
FILTER_SECTOR = "home-care"
WARMUP_SECONDS = 1.5
# The server's secret key: only ever used for this throwaway server on 127.0.0.1.
SERVER_SECRET_KEY = "bench-only-secret-key-for-a-local-throwaway-server-0123456789"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The current database as a URL the server can use; the default SQLite path made explicit."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    raise CommandError("Set DATABASE_URL so that the server uses the same database as this command")


def server_env(database: str) -> dict:
    """The gunicorn server's environment: production settings on this database."""
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "False",
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": "consolemail://",  # production needs one; the benchmark sends none
        "BENCHMARK_VIEWS": "True",
        "COUNCIL_MFA_REQUIRED": "False",
        "DEBUG": "False",
    }


def header(volume: str, vendor: str, counts: dict, options: dict) -> str:
    """The line printed above the table: what was measured, on what, with caches off."""
    return (
        f"Volume {volume} ({vendor}): {counts}; caches off (the app keeps no report caches); "
        f"gunicorn sync ×{options['workers']}, {options['connections']} connections, {options['duration']:g} s per page"
    )


def format_ms(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.1f}"


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| page | path | queries | requests | errors | req/s | p50 ms | p95 ms | p95 ÷ baseline | budget 5× |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ratio = "–" if r.ratio is None else f"{r.ratio:.2f}"
        lines.append(
            f"| {r.name} | `{r.path}` | {'–' if r.queries is None else r.queries} | {r.requests} | {r.errors} "
            f"| {r.throughput:.0f} | {format_ms(r.p50_ms)} | {format_ms(r.p95_ms)} | {ratio} | {r.verdict or '–'} |"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Benchmark key pages against the trivial and baseline pages over a real gunicorn server."

    def add_arguments(self, parser):
        parser.add_argument("--volume", choices=sorted(VOLUMES), default="council")
        parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per page")
        parser.add_argument("--connections", type=int, default=6, help="concurrent keep-alive clients")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
        parser.add_argument(
            "--rounds", type=int, default=5, help="split each page's time into this many interleaved slices"
        )
        parser.add_argument("--skip-load", action="store_true", help="do not top up the synthetic data")
        parser.add_argument("--json", dest="json_path", help="also write the figures as JSON to this path")
        parser.add_argument("--strict", action="store_true", help="exit non-zero when a page is over budget")

    def handle(self, *args, **options):
        if min(options["duration"], options["connections"], options["workers"], options["rounds"]) <= 0:
            raise CommandError("--duration, --connections, --workers and --rounds must be positive")
        volume = VOLUMES[options["volume"]]
        generation = None
        if not options["skip_load"]:
            self.stdout.write(f"Topping up the {options['volume']} volume: {volume}")
            generation = volume_ensure(options["volume"], stdout=self.stdout)
            parts = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in generation["parts"].items() if seconds)
            self.stdout.write(f"Volume ready in {generation['seconds']:.1f} s ({parts})")
        if not synthetic_organisations().exists():
            raise CommandError("No synthetic data: run without --skip-load")
        user, own_org = benchmark_user_ensure()
        officer = benchmark_officer_ensure()
        bench = BenchmarkContext(
            volume=options["volume"], member=user, member_organisation=own_org, officer=officer, stdout=self.stdout
        )
        registered = [
            page for capability in capabilities() if capability.benchmark for page in capability.benchmark(bench)
        ]
        if bench.missing:  # pages whose URL names do not resolve (yet), or with nothing to show
            self.stderr.write("Pages left out: " + ", ".join(bench.missing))
        member_pages = [(p.name, p.path, p.reference) for p in registered if not p.as_officer]
        council_pages = [(p.name, p.path, p.reference) for p in registered if p.as_officer]
        pages = self.pages(own_org) + member_pages + [("home (council officer)", "/?officer", False)] + council_pages
        # Council pages are requested as the benchmark council officer; every other page as the benchmark person.
        officer_paths = {page for _name, page, _reference in council_pages} | {"/?officer"}
        self.cookies = {page: self.session_cookie(officer) for page in officer_paths}
        queries = self.count_queries(user, pages, as_officer=(officer, set(self.cookies)))
        reports = [row for c in capabilities() if c.reports for row in c.reports()]
        cookie = self.session_cookie(user)
        url = database_url()
        connections.close_all()  # leave the database to the server while it runs

        env = server_env(url)
        self.collectstatic(env)
        results = self.run_server(env, pages, cookie, options)
        for result in results:
            result.queries = queries.get(result.path)
        self.judge(results)

        self.stdout.write("")
        counts = self.counts()
        heading = header(options["volume"], connection.vendor, counts, options)
        self.stdout.write(heading)
        self.stdout.write(markdown_table(results))
        self.stdout.write("")
        if reports:
            self.stdout.write(report_table(reports))
        if options["json_path"]:
            Path(options["json_path"]).write_text(
                json.dumps(
                    {
                        "header": heading,
                        "volume": options["volume"],
                        "counts": counts,
                        "caches": "off",
                        "generation": generation,
                        "database": connection.vendor,
                        "duration": options["duration"],
                        "connections": options["connections"],
                        "workers": options["workers"],
                        "rounds": options["rounds"],
                        "budget": BUDGET,
                        "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                        "results": [asdict(r) for r in results],
                        "reports": reports,
                    },
                    indent=2,
                    default=str,
                )
            )
            self.stdout.write(f"Wrote {options['json_path']}")

        failures = [r for r in results if r.errors]
        if failures:
            raise CommandError("Some requests failed: " + ", ".join(f"{r.name} {r.statuses}" for r in failures))
        if options["strict"] and any(r.verdict == "FAIL" for r in [*results, *map(types.SimpleNamespace, reports)]):
            raise CommandError("Some pages are over budget")

    def counts(self) -> dict:
        orgs = synthetic_organisations()
        return {
            "organisations": orgs.count(),
            "locations": Location.objects.filter(organisation__in=orgs).count(),
            "memberships": Membership.objects.filter(organisation__in=orgs).count(),
            **{k: v for capability in capabilities() if capability.counts for k, v in capability.counts().items()},
        }

    def pages(self, own_org) -> list[tuple[str, str, bool]]:
        """(name, path, is_reference) for every page measured."""
        large = largest_synthetic_organisation(by="locations")
        people = Membership.objects.active().filter(organisation=own_org).count()
        sector = FILTER_SECTOR
        if not Sector.objects.filter(slug=sector, is_active=True).exists():
            sector = Sector.objects.filter(is_active=True).values_list("slug", flat=True).first() or ""
        return [
            ("trivial (anonymous)", "/bench/trivial/?anonymous", True),
            ("trivial", "/bench/trivial/", True),
            ("baseline", "/bench/baseline/", True),
            ("home", "/", False),
            ("directory", "/organisations/", False),
            ("directory search", f"/organisations/?q={SEARCH_FRAGMENT}", False),
            ("directory filtered", f"/organisations/?sector={sector}&area={AREAS[0].replace(' ', '+')}", False),
            (f"organisation ({large.n} locations)", f"/organisations/{large.pk}/", False),
            (f"organisation people ({people} people)", f"/organisations/{own_org.pk}/people/", False),
        ]

    def count_queries(self, user, pages, as_officer) -> dict:
        """Queries per page, rendered once in this process as the benchmark person (or officer, for its pages)."""
        anonymous = Client(HTTP_HOST=HOST)
        client = Client(HTTP_HOST=HOST)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        officer, officer_pages = as_officer
        officer_client = Client(HTTP_HOST=HOST)
        officer_client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
        # The reference pages exist only when BENCHMARK_VIEWS was set at start-up, as it is for the server.
        urlconf = types.ModuleType("benchmark_urls")
        urlconf.urlpatterns = [
            urls.path("bench/trivial/", portal_views.bench_trivial),
            urls.path("bench/baseline/", portal_views.bench_baseline),
            *import_module(settings.ROOT_URLCONF).urlpatterns,
        ]
        counts = {}
        # As on the server: council pages without the two-factor step (the benchmark signs in by session).
        with override_settings(ROOT_URLCONF=urlconf, COUNCIL_MFA_REQUIRED=False):
            for _name, page, _reference in pages:
                try:
                    with CaptureQueriesContext(connection) as captured:
                        who = officer_client if page in officer_pages else client
                        response = (anonymous if page.endswith("?anonymous") else who).get(page)
                    counts[page] = len(captured) if response.status_code == 200 else None
                except Exception as error:  # the server run reports the failure; here we only count
                    self.stderr.write(f"{page} failed in-process: {error!r}")
                    counts[page] = None
        return counts

    def session_cookie(self, user) -> str:
        """A signed-in session written straight to the store: the secure cookie is not sent over http."""
        # Signed and hashed with the server's secret key, or the server would discard the session.
        with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.set_expiry(24 * 60 * 60)
            store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def collectstatic(self, env: dict) -> None:
        # The manifest storage raises for files missing from staticfiles.json when DEBUG is off.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        self.stdout.write(f"collectstatic in {time.perf_counter() - started:.1f} s")

    def gunicorn(self) -> str:
        beside = Path(sys.executable).parent / "gunicorn"
        found = str(beside) if beside.exists() else shutil.which("gunicorn")
        if not found:
            raise CommandError("gunicorn is not installed in this environment")
        return found

    def run_server(self, env, pages, cookie, options) -> list[Result]:
        port = free_port()
        log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
        command = [
            self.gunicorn(),
            "config.wsgi:application",
            "--workers",
            str(options["workers"]),
            "--worker-class",
            "sync",
            "--bind",
            f"{HOST}:{port}",
            "--error-logfile",
            "-",
            "--log-level",
            "warning",
        ]
        self.stdout.write(f"Starting gunicorn on {HOST}:{port} (log: {log.name})")
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.wait_until_up(server, port, log.name)
            self.preflight(port, pages, cookie)
            clients, rounds = options["connections"], options["rounds"]
            for _name, page, _reference in pages:
                load(port, page, seconds=WARMUP_SECONDS, connections=clients, headers=self.headers(page, cookie))
            # Pages take turns in short slices, so a burst of noise on the machine hits every page alike.
            samples = {page: [] for _name, page, _reference in pages}
            elapsed = dict.fromkeys(samples, 0.0)
            for round_ in range(rounds):
                for _name, page, _reference in pages:
                    got, took = load(
                        port,
                        page,
                        seconds=options["duration"] / rounds,
                        connections=clients,
                        headers=self.headers(page, cookie),
                    )
                    samples[page] += got
                    elapsed[page] += took
                self.stdout.write(f"  round {round_ + 1}/{rounds} done")
            results = [
                summarise(name, page, samples[page], elapsed[page], reference) for name, page, reference in pages
            ]
            return results
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            self.report_server_errors(log.name)

    def wait_until_up(self, server, port: int, log_path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}:\n{Path(log_path).read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
                conn.request("GET", "/bench/trivial/", headers={"Host": HOST})
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
                raise CommandError(f"/bench/trivial/ answered {status}: is BENCHMARK_VIEWS honoured?")
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start within 60 seconds")

    def preflight(self, port: int, pages, cookie: str) -> None:
        """One request per page before any load: a redirect to sign in or an error stops the run early."""
        problems = []
        for name, page, _reference in pages:
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.request("GET", page, headers=self.headers(page, cookie))
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status != 200:
                location = response.getheader("Location") or ""
                problems.append(f"{name} {page}: {response.status} {location}".strip())
        if problems:
            raise CommandError("Pages did not answer 200 before the run:\n  " + "\n  ".join(problems))

    def headers(self, page: str, cookie: str) -> dict:
        """Anonymous pages send no cookie; pages in `self.cookies` send their own signed-in person's."""
        if page.endswith("?anonymous"):
            return {"Host": HOST}
        return {"Host": HOST, "Cookie": getattr(self, "cookies", {}).get(page, cookie)}

    def report_server_errors(self, log_path: str) -> None:
        text = Path(log_path).read_text(errors="replace")
        if "Traceback" in text or "ERROR" in text:
            self.stderr.write(f"The server logged errors (last lines of {log_path}):\n{text[-4000:]}")
        else:
            Path(log_path).unlink(missing_ok=True)

    def judge(self, results: list[Result]) -> None:
        baseline = next((r for r in results if r.name == "baseline"), None)
        base = baseline.p95_ms if baseline and baseline.requests else math.nan
        for r in results:
            if math.isnan(base) or not r.requests:
                continue
            r.ratio = r.p95_ms / base
            if not r.reference:
                r.verdict = "PASS" if r.ratio <= BUDGET else "FAIL"
