"""URLs of the records settings pages, included by records/urls.py."""

urlpatterns = []
