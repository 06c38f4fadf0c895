"""The home page (what needs the person's attention), and the two reference pages the benchmark measures against."""

from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.shortcuts import render

from carenetwork.core.registry import attention_for
from carenetwork.organisations import selectors
from carenetwork.portal.attention import PANELS


def home(request):
    """Signed in: what needs the person's attention, from every capability's panels. Otherwise: what this is."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    return render(
        request,
        "portal/home.html",
        {
            "panels": attention_for(request.user, also=PANELS),
            "join_requests": selectors.own_join_request_list_for(user=request.user),
        },
    )


def bench_trivial(request):
    """The trivial view: the server's floor."""
    return HttpResponse("ok", content_type="text/plain")


def bench_baseline(request):
    """The baseline page: the portal's layout around a 12-row table from one query."""
    rows = list(Permission.objects.order_by("pk").values_list("pk", "codename")[:12])
    return render(request, "core/baseline.html", {"rows": rows})
