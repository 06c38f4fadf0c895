"""Rate limits per token and per person, counted in the shared cache (Redis in production), answered with 429
and Retry-After by DRF."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from carenetwork.api.models import ApiToken


class Throttle(SimpleRateThrottle):
    def get_rate(self):
        # Read when asked, not when the class was made, so that a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenRateThrottle(Throttle):
    """Calls through one token, whoever made it."""

    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class PersonRateThrottle(Throttle):
    """Calls by one person, through the session or any of their tokens; by address before signing in."""

    scope = "person"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
