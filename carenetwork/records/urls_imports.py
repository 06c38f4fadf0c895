"""URLs of the records imports pages, included by records/urls.py."""

urlpatterns = []
