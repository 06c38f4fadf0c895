"""Every API operation against every scope a token can have: a token without the operation's area is refused before
anything else; a token with it for reading may read but not change; a token with it for changing may do both.

The refusal is recognised by its own message, so a 403 from an area's own rules (a provider asking for the council's
report) is not mistaken for the scope's. Ids that do not exist are enough: scopes are checked before any lookup.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import SAFE_METHODS

from carenetwork.api.access import AreaAccess
from carenetwork.api.models import Area

pytestmark = pytest.mark.django_db
REFUSED = str(AreaAccess.message)
READ_ONLY = "This token may read this part of the portal but not change it."


def _operations():
    """(path, method, area) for every DRF view under /api/v1/, with 999999 for each id in its path."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                view = getattr(pattern.callback, "cls", None)
                if view is None or not hasattr(view, "area"):
                    continue
                path = "/" + route
                for name in pattern.pattern.converters:
                    path = path.replace(f"<int:{name}>", "999999")
                methods = [m for m in getattr(view, "http_method_names", []) if hasattr(view, m)]
                for method in methods:
                    if method not in ("head", "options"):
                        found.append((path, method, view.area))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


OPERATIONS = _operations()


def test_every_api_view_says_its_area():
    assert OPERATIONS and {area for _p, _m, area in OPERATIONS} <= set(Area.values)


def _refusal(answer) -> str:
    return answer.json().get("detail", "") if answer.status_code == 403 else ""


@pytest.mark.parametrize(("path", "method", "area"), OPERATIONS, ids=[f"{m.upper()} {p}" for p, m, _a in OPERATIONS])
def test_each_operation_honours_each_scope(path, method, area, api_as, make_token, provider_admin, provider):
    others = [a for a in Area.values if a != area]
    without = api_as(make_token(provider_admin, provider, read=others, write=others, name="Without"))
    reader = api_as(make_token(provider_admin, provider, read=[area], name="Reader"))
    writer = api_as(make_token(provider_admin, provider, read=[area], write=[area], name="Writer"))
    call = lambda client: getattr(client, method)(path, {}, format="json")  # noqa: E731

    assert _refusal(call(without)) == REFUSED
    if method.upper() in SAFE_METHODS:
        assert _refusal(call(reader)) not in (REFUSED, READ_ONLY)
    else:
        assert _refusal(call(reader)) == READ_ONLY
    assert _refusal(call(writer)) not in (REFUSED, READ_ONLY)
