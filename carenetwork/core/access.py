"""Turning a permission predicate's answer into the response a person gets."""

from django.core.exceptions import PermissionDenied

PAGE_SIZE = 25


def require(allowed: bool) -> None:
    """Refuse with 403 unless the predicate allowed it."""
    if not allowed:
        raise PermissionDenied


def query_without_page(request) -> str:
    """The page's query string without its page number, for pagination links that keep the filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
