"""The roles of the authorisation matrix and a helper to say who gets which status."""

ROLES = [
    "anonymous",
    "provider_member",
    "provider_admin",
    "other_admin",
    "training_admin",
    "partner_member",
    "council_officer",
    "council_admin",
]
SIGNED_IN = ROLES[1:]
OK, LOGIN, DENIED, MISSING = 200, 302, 403, 404
REDIRECT = 302  # a POST that succeeds redirects


def only(*allowed, other=DENIED, anonymous=LOGIN, status=OK):
    """Expected status per role: `status` for the allowed roles, `other` for the rest."""
    return {role: (anonymous if role == "anonymous" else status if role in allowed else other) for role in ROLES}
