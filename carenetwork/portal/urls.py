"""The portal's pages. Mounted (config/urls.py) under the instance namespace "core", so the names the templates,
settings and README have always used (core:home, core:bench-trivial, core:bench-baseline) keep working."""

from django.conf import settings
from django.urls import path

from carenetwork.core import views_pages
from carenetwork.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views_pages.help_page, name="help"),
    path("accessibility-statement/", views_pages.accessibility_statement, name="accessibility"),
    path("privacy/", views_pages.privacy_notice, name="privacy"),
    path("cookies/", views_pages.cookies_page, name="cookies"),
    path("session/keep-alive/", views_pages.session_keep_alive, name="session-keep-alive"),
]
if settings.BENCHMARK_VIEWS:
    urlpatterns += [
        path("bench/trivial/", views.bench_trivial, name="bench-trivial"),
        path("bench/baseline/", views.bench_baseline, name="bench-baseline"),
    ]
