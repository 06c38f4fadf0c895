"""The training brokerage. Each part of it keeps its URLs in its own module."""

from django.urls import include, path

from carenetwork.training import urls_council, urls_courses, urls_delivery, urls_runs

app_name = "training"
urlpatterns = [
    path("", include(urls_courses)),
    path("", include(urls_runs)),
    path("", include(urls_delivery)),
    path("council/", include(urls_council)),
]
