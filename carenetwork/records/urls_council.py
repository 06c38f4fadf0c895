"""URLs of the records council pages, included by records/urls.py."""

urlpatterns = []
