"""Meeting and booking pages (filled in by the meetings work)."""

urlpatterns: list = []
