from django.conf import settings
from django.urls import path

from carenetwork.core import views, views_pages

app_name = "core"
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
