"""The portal's pages. Mounted (config/urls.py) under the instance namespace "core", so the names the templates,
settings and README have always used (core:home, core:bench-trivial, core:bench-baseline) keep working."""

from django.conf import settings
from django.urls import path

from carenetwork.portal import views

app_name = "portal"
urlpatterns = [path("", views.home, name="home")]
if settings.BENCHMARK_VIEWS:
    urlpatterns += [
        path("bench/trivial/", views.bench_trivial, name="bench-trivial"),
        path("bench/baseline/", views.bench_baseline, name="bench-baseline"),
    ]
