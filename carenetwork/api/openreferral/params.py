"""The query parameters of the Open Referral endpoints, read strictly: a value that cannot be what the profile says it
is (page=abc, per_page=0, day=someday) is a 400 with a message that says which and why, never a 500 or a guess."""

import math
import re

from carenetwork.api.openreferral.ids import Kind, pk_from

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_SEARCH = 200  # characters of a search, and at most this many words
MAX_WORDS = 10
DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}
DAYS |= {"SATURDAY", "SUNDAY"}
TIME_RE = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$")
POSTCODE_OR_DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?(?: ?[0-9][A-Z]{2})?$")


class BadParameter(Exception):
    """A query parameter the API cannot read: answered with 400 and this message."""


def text(request, name: str) -> str:
    """A parameter's value, stripped; "" when it is missing or empty."""
    return request.GET.get(name, "").strip()


def whole_number(request, name: str, default: int, *, low: int, high: int | None = None) -> int:
    value = text(request, name)
    if not value:
        return default
    # The length first: Python refuses to turn more than 4,300 digits into a number.
    if not (value.isascii() and value.isdigit()) or len(value) > 12:
        raise BadParameter(f"{name} must be a whole number, not {value[:40]!r}")
    number = int(value)
    if number < low or (high is not None and number > high):
        limits = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadParameter(f"{name} must be {limits}, not {number}")
    return number


def paging(request) -> tuple[int, int]:
    """The page number (from 1) and the number of items a page."""
    page = whole_number(request, "page", 1, low=1)
    per_page = whole_number(request, "per_page", DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE)
    return page, per_page


def search(request) -> str:
    value = text(request, "search")
    if len(value) > MAX_SEARCH or len(value.split()) > MAX_WORDS:
        raise BadParameter(f"search must be at most {MAX_SEARCH} characters and {MAX_WORDS} words")
    return value


def hsds_id(request, name: str, *kinds: Kind) -> tuple[Kind, int] | None:
    """An id parameter: None when not given; (kind, key) when it is one of ours of these kinds; (kind, 0) for a
    well-formed UUID that names nothing here, which matches nothing."""
    value = text(request, name)
    if not value:
        return None
    for kind in kinds:
        pk = pk_from(kind, value.lower())
        if pk is not None:
            return kind, pk
    if not re.fullmatch(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", value):
        raise BadParameter(f"{name} must be a UUID, not {value[:40]!r}")
    return kinds[0], 0


def unsupported_filters(request) -> bool:
    """Whether the request filters on what no service here records (ages, opening times, days); each is checked to
    be what the profile says it is. Such a filter matches no service: none is known to meet it."""
    asked = False
    for name in ("minimum_age", "maximum_age"):
        value = text(request, name)
        if value:
            try:
                number = float(value)
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or number < 0 or len(value) > 12:
                raise BadParameter(f"{name} must be a number of years, not {value[:40]!r}")
            asked = True
    for name in ("start_time", "end_time"):
        value = text(request, name)
        if value:
            if not TIME_RE.match(value):
                raise BadParameter(f"{name} must be a time like 09:30, not {value[:40]!r}")
            asked = True
    day = text(request, "day")
    if day:
        if day.upper() not in DAYS:
            raise BadParameter(f"day must be a day of the week like Monday or MO, not {day[:40]!r}")
        asked = True
    return asked


def postcode(request) -> str:
    value = text(request, "postcode")
    if value and not POSTCODE_OR_DISTRICT_RE.match(" ".join(value.upper().split())):
        raise BadParameter(f"postcode must be a postcode like RM1 3BB or a district like RM1, not {value[:40]!r}")
    return value


def proximity(request, *, postcode_given: bool) -> float | None:
    value = text(request, "proximity")
    if not value:
        return None
    try:
        metres = float(value)
    except ValueError:
        metres = math.nan
    if not math.isfinite(metres) or metres < 0 or len(value) > 12:
        raise BadParameter(f"proximity must be a distance in metres, not {value[:40]!r}")
    if not postcode_given:
        raise BadParameter("proximity needs a postcode to measure from")
    return metres
