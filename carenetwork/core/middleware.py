"""Session rules that apply to every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

# Refresh the idle clock at most this often, so most requests do not write the session.
IDLE_RESOLUTION_SECONDS = 60


def refresh_idle_clock(request) -> int:
    """Restart the idle clock now ('Stay signed in'), whatever the resolution above; the seconds now left."""
    now = int(time.time())
    request.session["_cn_seen"] = now
    left_absolute = settings.SESSION_ABSOLUTE_SECONDS - (now - request.session.get("_cn_started", now))
    request.session_expires_in = min(settings.SESSION_IDLE_SECONDS, left_absolute)
    return request.session_expires_in


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without activity or SESSION_ABSOLUTE_SECONDS in all.

    Sets request.session_expires_in, the seconds left before the idle timeout, for the page's timeout warning.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault("_cn_started", now)
            seen = session.setdefault("_cn_seen", now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS or now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("You were signed out to protect your information. Sign in again."))
            else:
                if now - seen >= IDLE_RESOLUTION_SECONDS:
                    session["_cn_seen"] = seen = now
                left_idle = settings.SESSION_IDLE_SECONDS - (now - seen)
                left_absolute = settings.SESSION_ABSOLUTE_SECONDS - (now - started)
                request.session_expires_in = min(left_idle, left_absolute)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds a Permissions-Policy to every response and keeps the app's own pages out of caches.

    Placed before WhiteNoise so that static files get the Permissions-Policy too. Every response the
    app itself makes (pages, CSVs, certificates) may carry personal data, so it gets
    ``Cache-Control: private, no-store`` unless the view set its own Cache-Control; static files keep
    WhiteNoise's long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not request.path.startswith(settings.STATIC_URL):
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response
