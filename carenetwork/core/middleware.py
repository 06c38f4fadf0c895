"""Session rules that apply to every request."""

import time

from django.conf import settings
from django.contrib.auth import logout

# Refresh the idle clock at most this often, so most requests do not write the session.
IDLE_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without activity or SESSION_ABSOLUTE_SECONDS in all."""

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
            elif now - seen >= IDLE_RESOLUTION_SECONDS:
                session["_cn_seen"] = now
        return self.get_response(request)
