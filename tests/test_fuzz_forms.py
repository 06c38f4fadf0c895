"""Fuzzing every form and query parameter: no input may cause a server error.

For each page of the authorisation matrix (tests/test_authorisation_matrix.py), signed in as a role the matrix
allows, the test reads the page's HTML forms and sends hypothesis-generated values (control characters, NUL, "²",
huge numbers, very long strings, and the page's own options) as every field: GET forms and the page's own query
string as query parameters, POST forms to their action. Every response must be below 500; the test client raises
the view's exception, so a failure shows the traceback and hypothesis's smallest failing input.

Bounded to run in about two minutes on SQLite: FUZZ_EXAMPLES examples per page (set the environment variable
FUZZ_EXAMPLES to search harder), no deadline, no example database.
"""

import os
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.matrix_roles import OK, ROLES
from tests.test_authorisation_matrix import CASES, world  # noqa: F401 - `world` is a fixture used here

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "Ann\x0bSmith",
    "\x1b[31mred",
    "\x7f\x85\x9b",
    "²",
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes, int() too, the database may not
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "31/02/2026",
    "0000-00-00",
    "x" * 10_000,
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "\u202eevil",
    "\ufeff",
    "\uffff",
]
# Text hypothesis makes up: any character but lone surrogates, which no browser can send.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUE = st.one_of(st.sampled_from(HOSTILE), TEXT, st.integers().map(str))

# Pages whose server errors belong to code fixed elsewhere (forums, training) at the time of writing: listed so
# that the lead can remove each line once that fix is merged. Each is skipped with its reason, not hidden.
KNOWN_ELSEWHERE: dict[str, str] = {}


class FormReader(HTMLParser):
    """The forms of a page: method, action, and each field's name with the values the page offers for it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.current = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken" or attrs.get("type") == "file":
                return
            offered = self.current["fields"].setdefault(name, [])
            if attrs.get("value") is not None:
                offered.append(attrs["value"])
            if tag == "select":
                self.select = offered
        elif tag == "option" and self.select is not None and attrs.get("value") is not None:
            self.select.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _allowed_role(expected: dict) -> str | None:
    return next((role for role in ROLES if role != "anonymous" and expected[role] == OK), None)


GET_CASES = [c for c in CASES if c[2] == "get" and _allowed_role(c[3])]


def _values(fields: dict[str, list[str]]):
    """One value per field: hostile, made up, or one the page offers (to reach further into the view)."""
    return st.fixed_dictionaries(
        {name: st.one_of(VALUE, st.sampled_from(offered)) if offered else VALUE for name, offered in fields.items()}
    )


def _query_names(url: str, page: str) -> set[str]:
    """Query parameters the page uses in its own links (pagination, sorting, filters)."""
    names = {"page"}
    for part in page.split('href="')[1:]:
        link = part.split('"', 1)[0].replace("&amp;", "&")
        split = urlsplit(link)
        if split.query and (not split.path or split.path == url):
            names.update(pair.split("=", 1)[0] for pair in split.query.split("&") if pair)
    return names


@pytest.mark.parametrize(("name", "args", "method", "expected"), GET_CASES, ids=[c[0] for c in GET_CASES])
def test_no_form_or_query_parameter_causes_a_server_error(request, world, name, args, method, expected):  # noqa: F811
    if name in KNOWN_ELSEWHERE:
        pytest.skip(KNOWN_ELSEWHERE[name])
    user = request.getfixturevalue(_allowed_role(expected))
    client = Client()
    client.force_login(user)
    url = reverse(name, args=args(world))
    response = client.get(url)
    assert response.status_code == OK, url
    if "html" not in response.get("Content-Type", ""):
        return
    page = response.content.decode()
    assert "(optional) (optional)" not in page, url
    reader = FormReader()
    reader.feed(page)
    targets = [("get", url, dict.fromkeys(_query_names(url, page), []))]
    for form in reader.forms:
        action = urlsplit(form["action"]).path or url
        if action.startswith("/") and form["fields"]:
            targets.append((form["method"], action, form["fields"]))

    # Every form sent empty says what to do in the field's own words (the GOV.UK pattern), never Django's default.
    for how, target, fields in targets[1:]:
        empty = dict.fromkeys(fields, "")
        response = client.get(target, empty) if how == "get" else client.post(target, empty)
        assert response.status_code < 500, f"{how.upper()} {target} empty"
        assert "This field is required." not in response.content.decode(errors="replace"), f"{how.upper()} {target}"

    @settings(
        max_examples=EXAMPLES * len(targets),
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: the traceback already names the field and the value
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def send(data):
        how, target, fields = data.draw(st.sampled_from(targets))
        values = data.draw(_values(fields))
        response = client.get(target, values) if how == "get" else client.post(target, values)
        assert response.status_code < 500, f"{how.upper()} {target} {values!r}: {response.status_code}"

    send()
