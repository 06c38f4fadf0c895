"""The API under /api/: version 1's endpoints, each area in its own module, the schema and its reference pages,
and the tokens pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from carenetwork.api import views_reference, views_tokens

app_name = "api"

v1 = [
    path("", include("carenetwork.api.records")),
    path("", include("carenetwork.api.training")),
    path("", include("carenetwork.api.forums")),
    path("", include("carenetwork.api.directory")),
    path("", include("carenetwork.api.council")),
    path("", include("carenetwork.api.market")),
]

urlpatterns = [
    path("", views_reference.reference, name="reference"),
    path("organisations/<int:pk>/tokens/", views_tokens.token_list, name="tokens"),
    path("organisations/<int:pk>/tokens/new/", views_tokens.token_new, name="token-new"),
    path("organisations/<int:pk>/tokens/<int:token_pk>/revoke/", views_tokens.token_revoke, name="token-revoke"),
    path("v1/", include(v1)),
    path("v1/schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
]
