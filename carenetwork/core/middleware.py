"""Session rules that apply to every request."""

import time

from django.conf import settings
from django.contrib.auth import logout


class SessionTimeoutMiddleware:
    """Ends a session after an absolute lifetime; the idle timeout is the session cookie's age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault("_cn_started", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
