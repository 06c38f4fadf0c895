"""Pages every visitor can read from the footer (help, accessibility, privacy, cookies), and the request
that keeps a signed-in session alive when the person chooses to stay signed in."""

import datetime

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from carenetwork.core.middleware import refresh_idle_clock

MESSAGES_COOKIE_NAME = "messages"  # django.contrib.messages' CookieStorage.cookie_name


def _retention() -> dict:
    """How long the records capability keeps leavers' data and import files, looked up by name: core sits
    below every capability and imports none of them."""
    if not apps.is_installed("carenetwork.records"):
        return {}
    return {
        "leaver_months": apps.get_model("records", "RecordsSettings").current().retention_months,
        "import_file_days": import_string("carenetwork.records.retention.IMPORT_FILE_DAYS"),
    }


def help_page(request):
    """How to get help with the service, and the council's contact address."""
    return render(
        request,
        "core/pages/help.html",
        {"contact_email": settings.COUNCIL_CONTACT_EMAIL, "idle_minutes": settings.SESSION_IDLE_SECONDS // 60},
    )


def accessibility_statement(request):
    """The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 require."""
    return render(
        request,
        "core/pages/accessibility.html",
        {
            "contact_email": settings.COUNCIL_CONTACT_EMAIL,
            "prepared_on": datetime.date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_PREPARED),
            "reviewed_on": datetime.date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_REVIEWED),
            "site_url": settings.SITE_URL,
        },
    )


def privacy_notice(request):
    """What personal data the service holds, why, for how long, and people's rights."""
    return render(
        request,
        "core/pages/privacy.html",
        {
            "dpo_email": settings.COUNCIL_DPO_EMAIL,
            "contact_email": settings.COUNCIL_CONTACT_EMAIL,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
            **_retention(),
        },
    )


def cookies_page(request):
    """The cookies the service sets: only those it needs to work, so no consent is asked for."""
    return render(
        request,
        "core/pages/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "messages_cookie": MESSAGES_COOKIE_NAME,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
            "csrf_days": settings.CSRF_COOKIE_AGE // 86400,
        },
    )


@require_POST
def session_keep_alive(request):
    """'Stay signed in' from the timeout warning: restarts the idle clock.

    Says how many seconds the session now has (the absolute limit cannot be extended); 401 when the
    session has already ended, so the page can send the person to sign in.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    return JsonResponse({"expires_in": refresh_idle_clock(request)})
