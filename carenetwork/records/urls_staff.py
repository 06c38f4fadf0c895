"""URLs of the records staff pages, included by records/urls.py."""

urlpatterns = []
