"""/healthz and /readyz for the council's IT team and load balancers: JSON, never cached, no session, no cookies.

Neither needs a sign-in, and neither says more than yes, no, a number or a fixed word (carenetwork.core.health).
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from carenetwork.core import health

OK, UNAVAILABLE = 200, 503


def _answer(report: dict, serving: bool) -> JsonResponse:
    response = JsonResponse(report, status=OK if serving else UNAVAILABLE)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request):
    """Every check, for monitoring: 200 "ok" or "degraded" (the worker is behind), 503 "unavailable"."""
    serving, report = health.health()
    return _answer(report, serving)


@require_safe
def readyz(request):
    """For the load balancer: 200 when this server can take requests (database and migrations), else 503."""
    serving = health.ready()
    return _answer({"status": "ready" if serving else "not ready"}, serving)
