from django.urls import include, path

from carenetwork.core import views_health

urlpatterns = [
    # For load balancers and monitoring: no sign-in, no session, JSON (carenetwork.core.views_health).
    path("healthz", views_health.healthz, name="healthz"),
    path("readyz", views_health.readyz, name="readyz"),
    path("accounts/", include("carenetwork.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("carenetwork.organisations.urls")),
    path("forums/", include("carenetwork.forums.urls")),
    path("records/", include("carenetwork.records.urls")),
    path("training/", include("carenetwork.training.urls")),
    path("market/", include("carenetwork.market.urls")),
    path("cost-of-care/", include("carenetwork.costofcare.urls")),
    path("assessment/", include("carenetwork.assessment.urls")),
    path("procurement/", include("carenetwork.procurement.urls")),
    path("api/", include("carenetwork.api.urls")),
    path("openreferral/", include("carenetwork.api.openreferral.urls")),
    path("", include("carenetwork.portal.urls", namespace="core")),
]

# Problem details for a missing address under /api/; the portal's own 404 page everywhere else.
handler404 = "carenetwork.api.problems.page_not_found"
handler500 = "carenetwork.api.problems.server_error"
