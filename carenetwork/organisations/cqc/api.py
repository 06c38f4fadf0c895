"""A small client of CQC's API: which locations and providers changed between two moments, and their records.

CQC's API needs a subscription key (free, from https://api-portal.service.cqc.org.uk/), sent as the
`Ocp-Apim-Subscription-Key` header; the settings `CQC_API_BASE_URL` and `CQC_API_KEY` give the address and key.
`changes/location` and `changes/provider` list the IDs of the records changed between `startTimestamp` and
`endTimestamp`, in pages (`page`, `perPage`, and `totalPages` in the answer); `locations/{id}` and
`providers/{id}` give each record, in the format the file import reads.

Everything goes through a `fetch(url, params) -> dict` callable: `UrllibFetch` (the standard library's HTTP
client, with timeouts and pacing) in production, recorded responses in tests. A fetch raises `CqcApiError` for
an answer that is not a JSON object, saying what went wrong in words an operator can act on.
"""

import datetime
import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

from carenetwork.organisations.cqc import records as r

DEFAULT_BASE_URL = "https://api.service.cqc.org.uk/public/v1"
TIMEOUT = 30  # seconds to connect, and for each read
# A record is tens of kilobytes and a page of 1,000 IDs about 20: more than this is not an answer of CQC's.
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
PER_PAGE = 1000
# The work one sync can cause: more pages of changes than all of CQC's register (about 120,000 records) fills.
MAX_PAGES = 500
# CQC allows a client 600 requests a minute: one every tenth of a second keeps under it.
MIN_INTERVAL = 0.1
# When CQC asks us to wait (429, Retry-After) for up to this many seconds, we wait and ask again, so often.
MAX_WAIT = 60
RETRIES = 3

Fetch = Callable[[str, dict], dict]


class CqcApiError(Exception):
    """CQC's API did not give what was asked: the message says what happened and what to do."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def error_for(status: int, url: str, retry_after: int | None = None) -> CqcApiError:
    """The error for an HTTP status CQC answered with, in words an operator can act on."""
    if status in (401, 403):
        message = (
            f"CQC's API refused the subscription key (HTTP {status}). Check CQC_API_KEY: it is the primary or "
            "secondary key of your subscription at https://api-portal.service.cqc.org.uk/."
        )
    elif status == 429:
        wait = f"it asks us to wait {retry_after} seconds" if retry_after is not None else "it gave no time to wait"
        message = f"CQC's API is limiting our requests (HTTP 429 Too Many Requests): {wait}. Try again later."
    elif status >= 500:
        message = f"CQC's API failed (HTTP {status}) answering {url}. Try again later."
    else:
        message = f"CQC's API answered HTTP {status} to {url}."
    return CqcApiError(message, status=status, retry_after=retry_after)


def retry_after_seconds(value: str | None) -> int | None:
    """Retry-After as seconds: it is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max(0, round((moment - datetime.datetime.now(datetime.UTC)).total_seconds()))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would send the subscription key on to wherever it points: CQC's API does not redirect.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class UrllibFetch:
    """GET a URL of CQC's API with the subscription key, and the JSON object it answers with."""

    def __init__(self, *, key: str, timeout: float = TIMEOUT, min_interval: float = MIN_INTERVAL):
        self.key = key
        self.timeout = timeout
        self.min_interval = min_interval
        self.last = 0.0
        self.opener = urllib.request.build_opener(_NoRedirects)

    def __call__(self, url: str, params: dict) -> dict:
        if not url.startswith(("https://", "http://")):
            raise CqcApiError(f"CQC_API_BASE_URL must be an https:// (or http://) address, not {url!r}.")
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(
            f"{url}?{query}" if query else url,
            headers={
                "Ocp-Apim-Subscription-Key": self.key,
                "Accept": "application/json",
                "User-Agent": "Care Network (CQC sync)",
            },
        )
        self._pace()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            retry_after = retry_after_seconds(error.headers.get("Retry-After") if error.headers else None)
            raise error_for(error.code, url, retry_after) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise CqcApiError(f"Could not reach CQC's API at {url}: {reason}. Try again later.") from None
        if len(body) > MAX_RESPONSE_BYTES:
            raise CqcApiError(f"CQC's API answered {url} with more than {MAX_RESPONSE_BYTES:,} bytes: not a record.")
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise CqcApiError(f"CQC's API did not answer {url} with JSON.") from None
        if not isinstance(data, dict):
            raise CqcApiError(f"CQC's API answered {url} with JSON that is not an object.")
        return data

    def _pace(self) -> None:
        wait = self.last + self.min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last = time.monotonic()


def timestamp(moment: datetime.datetime) -> str:
    """A moment as CQC's API writes them: UTC, to the second, such as 2025-03-21T06:30:00Z."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class CqcApi:
    """CQC's API through a fetch: the changes between two moments, and each changed record."""

    KINDS = {"location": "locations", "provider": "providers"}

    def __init__(
        self,
        *,
        fetch: Fetch,
        base_url: str = DEFAULT_BASE_URL,
        per_page: int = PER_PAGE,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.fetch = fetch
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.per_page = per_page
        self.sleep = sleep
        self.requests = 0

    def get(self, path: str, params: dict | None = None) -> dict:
        """One answer of the API, waiting and asking again when CQC asks us to wait a little."""
        url = f"{self.base_url}/{path}"
        for _attempt in range(RETRIES):
            self.requests += 1
            try:
                return self.fetch(url, dict(params or {}))
            except CqcApiError as error:
                if error.status != 429 or error.retry_after is None or error.retry_after > MAX_WAIT:
                    raise
                self.sleep(error.retry_after)
        self.requests += 1
        return self.fetch(url, dict(params or {}))

    def changed_ids(self, kind: str, start: datetime.datetime, end: datetime.datetime) -> tuple[list[str], list[str]]:
        """(CQC IDs of the locations or providers changed between the moments, entries that are not CQC IDs)."""
        params = {"startTimestamp": timestamp(start), "endTimestamp": timestamp(end), "perPage": self.per_page}
        ids, odd, page = {}, [], 1
        while True:
            data = self.get(f"changes/{kind}", {**params, "page": page})
            changes = data.get("changes")
            if not isinstance(changes, list):
                raise CqcApiError(f"CQC's API answered changes/{kind} without a list of changes (page {page}).")
            for entry in changes:
                # IDs are strings; an object with the ID in it is read too, in case CQC adds detail.
                raw = entry.get(f"{kind}Id") if isinstance(entry, dict) else entry
                cqc_id = r.cqc_id(raw)
                if cqc_id:
                    ids[cqc_id] = None
                else:
                    odd.append(str(raw)[:40])
            total_pages = data.get("totalPages")
            if not changes or not isinstance(total_pages, int) or page >= total_pages:
                return list(ids), odd
            page += 1
            if page > MAX_PAGES:
                raise CqcApiError(
                    f"CQC's API lists more than {MAX_PAGES} pages of {kind} changes: sync a shorter time with --since."
                )

    def record(self, kind: str, cqc_id: str) -> dict | None:
        """The record of a location or provider, or None when CQC has none by that ID (404)."""
        try:
            return self.get(f"{self.KINDS[kind]}/{urllib.parse.quote(cqc_id, safe='')}")
        except CqcApiError as error:
            if error.status == 404:
                return None
            raise
