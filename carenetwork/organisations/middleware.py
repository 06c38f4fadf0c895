"""Council staff must set up two-factor authentication before using the portal.

It lives with organisations because council staff are whoever holds a council membership; accounts sits below
organisations and does not know about memberships.
"""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect

from carenetwork.organisations import permissions

# Sign-in pages, files, the footer's pages and the keep-alive stay open while two-factor is being set up.
ALLOWED_PREFIXES = (
    "/accounts/",
    "/static/",
    "/media/",
    "/help/",
    "/accessibility-statement/",
    "/privacy/",
    "/cookies/",
    "/session/",
)
# The health checks (carenetwork.core.views_health), exactly.
EXEMPT_PATHS = {"/healthz", "/readyz"}


class CouncilMfaRequiredMiddleware:
    """Sends council staff without an authenticator app to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.COUNCIL_MFA_REQUIRED
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and request.path not in EXEMPT_PATHS
            and permissions.is_council_staff(user)
            and not is_mfa_enabled(user)
        ):
            return redirect("accounts:mfa-required")
        return self.get_response(request)
