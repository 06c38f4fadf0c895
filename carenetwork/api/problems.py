"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail, and for invalid
input the fields at fault. A service's ValidationError is the same 400 as a serializer's."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Your request has errors",
    401: "Sign in or give a valid token",
    403: "You may not do this",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _errors(detail, path="") -> list[dict]:
    """A serializer's nested errors as a flat list of {pointer, detail}: JSON pointers (RFC 6901) into the body."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _errors(value, f"{path}/{key}")]
    if isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        return [{"pointer": path or "/", "detail": str(d)} for d in detail]
    if isinstance(detail, list):
        return [e for i, value in enumerate(detail) for e in _errors(value, f"{path}/{i}")]
    return [{"pointer": path or "/", "detail": str(detail)}]


def problem_handler(exc, context):
    """DRF's exception handler, answering in problem details; Django's own exceptions mapped first."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    problem = {"type": "about:blank", "title": _(TITLES.get(code, "Error")), "status": code}
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = _("Correct the fields listed in errors.")
        problem["errors"] = _errors(exc.detail)
    else:
        problem["detail"] = str(getattr(exc, "detail", "")) or problem["title"]
    return Response(problem, status=code, headers=_headers(response), content_type=CONTENT_TYPE)


def _headers(response) -> dict:
    return {name: response[name] for name in ("WWW-Authenticate", "Retry-After", "Allow") if response.has_header(name)}


def page_not_found(request, exception):
    """The site's 404 handler: problem details for an address under /api/, the portal's page elsewhere."""
    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    problem = {"type": "about:blank", "title": _(TITLES[404]), "status": 404, "detail": _("There is no such address.")}
    return JsonResponse(problem, status=404, content_type=CONTENT_TYPE)


def server_error(request):
    """The site's 500 handler: problem details under /api/ (a program reads JSON), the portal's page elsewhere."""
    if not request.path.startswith("/api/"):
        return defaults.server_error(request)
    problem = {"type": "about:blank", "title": "Server error", "status": 500, "detail": "Something went wrong."}
    return JsonResponse(problem, status=500, content_type=CONTENT_TYPE)
