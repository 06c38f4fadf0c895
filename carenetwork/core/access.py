"""Turning a permission predicate's answer into the response a person gets."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

PAGE_SIZE = 25


def require(allowed: bool) -> None:
    """Refuse with 403 unless the predicate allowed it."""
    if not allowed:
        raise PermissionDenied


# The largest id a database's integer key holds (PostgreSQL's integer and bigint, SQLite's integer all hold it).
MAX_ID = 2**31 - 1


def id_param(value: str) -> int:
    """An id given in a query string ('?organisation=12'); 404 for anything that cannot be one ('abc', '²', 10**30)."""
    value = (value or "").strip()
    # The length first: Python refuses to turn more than 4,300 digits into a number.
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or not 0 < int(value) <= MAX_ID:
        raise Http404
    return int(value)


def query_without_page(request) -> str:
    """The page's query string without its page number, for pagination links that keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
