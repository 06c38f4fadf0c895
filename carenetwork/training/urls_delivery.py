"""URLs of the brokerage's delivery pages (included by training/urls.py)."""

urlpatterns = []
