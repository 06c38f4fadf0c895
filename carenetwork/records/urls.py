"""Staff and training records. Provider pages sit under the organisation; council pages under council/."""

from django.urls import include, path

from carenetwork.records import urls_council, urls_imports, urls_settings, urls_staff

app_name = "records"
urlpatterns = [
    path("", include(urls_staff)),
    path("", include(urls_imports)),
    path("council/", include(urls_council)),
    path("council/settings/", include(urls_settings)),
]
