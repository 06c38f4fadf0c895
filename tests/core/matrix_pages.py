"""Authorisation matrix rows for the footer's pages, which everyone may read, and the session keep-alive."""

from tests.matrix_roles import ROLES, SIGNED_IN, only

EVERYONE = only(*ROLES, anonymous=200)

PAGES_CASES = [
    ("core:help", lambda w: [], "get", EVERYONE),
    ("core:accessibility", lambda w: [], "get", EVERYONE),
    ("core:privacy", lambda w: [], "get", EVERYONE),
    ("core:cookies", lambda w: [], "get", EVERYONE),
    # 200 while signed in; 401 (not a redirect to sign in) once the session has ended, for the page's script.
    ("core:session-keep-alive", lambda w: [], "post", only(*SIGNED_IN, anonymous=401)),
]
