from django.conf import settings
from django.urls import path

from carenetwork.core import views

app_name = "core"
urlpatterns = [path("", views.home, name="home")]
if settings.BENCHMARK_VIEWS:
    urlpatterns += [
        path("bench/trivial/", views.bench_trivial, name="bench-trivial"),
        path("bench/baseline/", views.bench_baseline, name="bench-baseline"),
    ]
