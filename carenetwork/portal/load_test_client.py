"""The load test's virtual people (scripts/topology): each signs in through the real sign-in form over HTTPS, reads
pages, books a place at the meeting and registers interest in the run, from its own loopback address.

Each person connects from its own address in 127.0.0.0/8, as people do from their own machines: the sign-in rate
limit (30 a minute per address) then applies to each person, not to the whole test. Nothing leaves the machine.
"""

import http.client
import re
import socket
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from carenetwork.core.loadclient import percentile

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ORGANISATION_INPUT = re.compile(r'name="organisation" value="(\d+)"')
STYLESHEET = re.compile(r'<link[^>]+href="(/static/[^"]+\.css)"')
TIMEOUT = 120
FIXED_REQUESTS = 14  # what `person` sends before its extra reads


class _LoopbackTLS(http.client.HTTPSConnection):
    """TLS to the host name (for SNI and the certificate) on 127.0.0.1, from a chosen loopback address."""

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Samples:
    """Every request's (what, status, seconds), shared by the threads."""

    rows: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, status: int, seconds: float) -> None:
        with self.lock:
            self.rows.append((what, status, seconds))

    def summary(self, elapsed: float) -> dict:
        latencies = [s for _what, _status, s in self.rows]
        return {
            "people_signed_in": sum(1 for what, status, _s in self.rows if what == "sign in" and status == 302),
            "requests": len(self.rows),
            "seconds": round(elapsed, 2),
            "requests_per_second": round(len(self.rows) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 95) * 1000, 1),
            "statuses": dict(sorted(Counter(str(status) for _w, status, _s in self.rows).items())),
            "by_kind": {
                what: {
                    "requests": len(rows),
                    "p95_ms": round(percentile([s for _st, s in rows], 95) * 1000, 1),
                    "statuses": dict(sorted(Counter(str(st) for st, _s in rows).items())),
                }
                for what in sorted({w for w, _st, _s in self.rows})
                for rows in [[(st, s) for w, st, s in self.rows if w == what]]
            },
        }


class Browser:
    """One person's keep-alive connection with its cookies; follows no redirects by itself."""

    def __init__(self, base_url: str, *, cafile: str, source: str, samples: Samples, budget: "Budget"):
        parts = urlsplit(base_url)
        self.host, self.port, self.origin = parts.hostname, parts.port or 443, f"{parts.scheme}://{parts.netloc}"
        self.context = ssl.create_default_context(cafile=cafile)
        self.source, self.samples, self.budget = source, samples, budget
        self.cookies: dict[str, str] = {}
        self.conn = None

    def _connection(self):
        if self.conn is None:
            self.conn = _LoopbackTLS(
                self.host, self.port, context=self.context, timeout=TIMEOUT, source_address=(self.source, 0)
            )
        return self.conn

    def request(self, what: str, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, body, Location); status 0 for a connection error. Raises Budget.Spent when the test is over."""
        self.budget.take()
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "carenetwork-load-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status, location = response.status, response.getheader("Location") or ""
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            status, text, location = 0, "", ""
        self.samples.add(what, status, time.perf_counter() - started)
        return status, text, location

    def get(self, what: str, path: str) -> tuple[int, str]:
        status, text, _location = self.request(what, "GET", path)
        return status, text

    def post_form(self, what: str, path: str, page: str, fields: dict) -> tuple[int, str]:
        """Read the form's page for its CSRF token, post the form, and follow the redirect as a browser would."""
        status, text = self.get(what + " form", page)
        token = CSRF_INPUT.search(text)
        if status != 200 or not token:
            return status, text
        status, text, location = self.request(what, "POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})
        if status in (301, 302, 303) and location:
            status, text = self.get(what + " result", urlsplit(location).path or "/")
        return status, text

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Budget:
    """The bounded number of requests for the whole test; once spent, every person stops."""

    class Spent(Exception):
        pass

    def __init__(self, requests: int):
        self.left, self.lock = requests, threading.Lock()

    def take(self) -> None:
        with self.lock:
            if self.left <= 0:
                raise Budget.Spent
            self.left -= 1


def source_address(n: int) -> str:
    """The n-th person's own loopback address: 127.0.1.1, 127.0.1.2, … (127.0.0.1 stays the servers')."""
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


def person(stage, n: int, browser: Browser, reads: int, problems: list) -> None:
    """Sign in, read pages, book the meeting, register interest in the run, then keep reading until done."""
    status, text = browser.post_form(
        "sign in", "/accounts/login/", "/accounts/login/", {"login": stage.emails[n], "password": stage.password}
    )
    if status != 200 or "Sign out" not in text:
        problems.append(f"{stage.emails[n]} could not sign in: {status}")
        return
    stylesheet = STYLESHEET.search(text)
    if stylesheet:  # served by nginx from the collected static files
        browser.get("static", stylesheet.group(1))
    pages = ["/", stage.forum_path, stage.meeting_path, stage.run_path, "/training/", "/organisations/"]
    for path in pages[:3]:
        browser.get("read", path)
    browser.post_form("book", stage.book_path, stage.meeting_path, {})
    status, text = browser.get("read", stage.interest_path)
    organisation = ORGANISATION_INPUT.search(text)
    if status != 200 or not organisation:
        problems.append(f"{stage.emails[n]} was not offered the run's places form: {status}")
    else:
        browser.post_form(
            "interest",
            stage.interest_path,
            stage.interest_path,
            {"organisation": organisation.group(1), "places": 1 + n % 2, "ceiling": ""},
        )
    for i in range(reads):
        browser.get("read", pages[(n + i) % len(pages)])


def run_people(stage, *, base_url: str, cafile: str, concurrency: int, requests: int) -> tuple[dict, list[str]]:
    """Every person in turn on `concurrency` threads, until all are done or the request budget is spent."""
    samples, budget, problems = Samples(), Budget(requests), []
    # The reads after booking spread the budget over everyone: each person's share beyond the 14 requests of signing
    # in, the stylesheet, the first reads, booking and registering interest (and one spare).
    reads = max(0, requests // max(1, len(stage.emails)) - FIXED_REQUESTS - 1)
    queue = list(range(len(stage.emails)))
    queue_lock = threading.Lock()

    def worker():
        while True:
            with queue_lock:
                if not queue:
                    return
                n = queue.pop(0)
            browser = Browser(base_url, cafile=cafile, source=source_address(n), samples=samples, budget=budget)
            try:
                person(stage, n, browser, reads, problems)
            except Budget.Spent:
                return
            finally:
                browser.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples.summary(time.perf_counter() - started), problems
