"""One log line per request, and a request id on every line written while the request (or a task it queued) runs.

The request id comes from the reverse proxy's `X-Request-ID` header when it is a safe token (nginx:
`proxy_set_header X-Request-ID $request_id;`), or is made here; it is sent back in the response's `X-Request-ID`.
From the middleware until the request is finished it is held in a context variable, and `RequestIdFilter` (on the
log handler, see LOGGING) puts it on every record: Django's own warnings and errors about the request carry it too.
Background tasks pick up the id of the request that queued them (carenetwork.core.task_log).

The request line (logger `carenetwork.request`) holds the request id, method, path, status, duration in
milliseconds, the person's user id and the organisation the request acted for. The path is the URL pattern the
request matched (`/organisations/invitations/<str:token>/`), not the address itself: invitation tokens and allauth's
password-reset and email-confirmation keys travel in the address, and whoever reads the logs must not be able to use
them. Never the query string (it can hold search terms), names, email addresses, bodies or cookies.

Core does not know organisations: the organisations app registers how to tell a request's organisation
(`register_organisation_lookup`) from its AppConfig.ready(). The lookup answers from what the request already
loaded, never with a query.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import escape_leading_slashes
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

logger = logging.getLogger("carenetwork.request")

# What we accept from the proxy: nginx's $request_id is 32 hex digits; other proxies use UUIDs or similar tokens.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_request_id: ContextVar[str | None] = ContextVar("carenetwork_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or of the request that queued the task) being handled now, or None."""
    return _request_id.get()


def bind_request_id(request_id: str | None) -> Token:
    """Make `request_id` the current one; give the token back to `unbind_request_id` when done."""
    return _request_id.set(request_id)


def unbind_request_id(token: Token) -> None:
    """Put back the request id that was current before `bind_request_id`."""
    _request_id.reset(token)


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it is a safe token, else a new one (32 hex digits, like nginx's)."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _no_organisation(user) -> int | None:
    return None


_organisation_of: Callable[[Any], int | None] = _no_organisation


def register_organisation_lookup(lookup: Callable[[Any], int | None]) -> None:
    """Tell the request log how to find the organisation a signed-in person's request acted for: `lookup(user)`
    returns an organisation id or None, from what the request already loaded (it must not query)."""
    global _organisation_of
    _organisation_of = lookup


def logged_path(request) -> str:
    """The URL pattern the request matched, with its leading slash, so that no secret in the address is logged;
    the address itself only when no pattern matched (static files, a 404), when it can hold no working secret."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route:
        return "/" + match.route.lstrip("^").removesuffix("$")
    return escape_uri_path(request.path)


def _signed_in_user(request):
    """The request's signed-in person, or None; never loads the user when the request did not."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if user is None or not user.is_authenticated:
        return None
    return user


class RequestLogMiddleware:
    """Gives each request its id (request.request_id, the X-Request-ID response header) and logs one line for it.

    Placed just after SecurityMiddleware, so the line covers everything else the request did (static files too).
    The duration is until the response is handed back (a streamed file's body is sent after); an exception in a
    view has become a 500 answer by then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        # Current until the request is finished (clear_request_id): Django logs a 4xx or 5xx answer after the
        # middleware has handed it back, and that line should carry the id too.
        bind_request_id(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = _signed_in_user(request)
        path = logged_path(request)
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": user.pk if user else None,
            "organisation_id": _organisation_of(user) if user else None,
        }
        logger.info("%(method)s %(path)s %(status)s %(duration_ms)sms user=%(user_id)s", fields, extra=fields)
        return response


@receiver(request_started)
@receiver(request_finished)
def clear_request_id(**kwargs) -> None:
    """No request id is current between requests (a server thread handles one request after another)."""
    _request_id.set(None)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record that has none (None outside requests and tasks), and writes the
    URL pattern (`logged_path`) in place of the address in Django's own lines about a request ("Not Found: /…",
    "Internal Server Error: /…"), which would otherwise log an invitation token or a password-reset key."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        request = getattr(record, "request", None)
        if request is not None and isinstance(record.args, tuple):
            addresses = {request.path, escape_leading_slashes(request.path)}
            record.args = tuple(logged_path(request) if arg in addresses else arg for arg in record.args)
        return True


def json_formatter() -> JsonFormatter:
    """The JSON lines formatter (LOG_FORMAT=json): time, level, logger and message, then the record's fields.

    Django attaches the whole request to some records (`request`): its text holds the query string, so it is left
    out, as are the logging module's own bookkeeping attributes.
    """
    return JsonFormatter(
        ["levelname", "name", "message"],
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        reserved_attrs=[*RESERVED_ATTRS, "request", "server_time"],
    )
