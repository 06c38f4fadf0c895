"""URLs of the brokerage's council pages (included by training/urls.py)."""

urlpatterns = []
