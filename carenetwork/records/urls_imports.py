"""URLs of the records imports pages, included by records/urls.py."""

from django.urls import path

from carenetwork.records import views_imports

urlpatterns = [
    path("<int:pk>/imports/", views_imports.import_start, name="import-start"),
    path("<int:pk>/imports/<int:run_pk>/", views_imports.import_detail, name="import-detail"),
    path("<int:pk>/imports/<int:run_pk>/confirm/", views_imports.import_confirm, name="import-confirm"),
    path("<int:pk>/imports/<int:run_pk>/progress/", views_imports.import_progress, name="import-progress"),
    path("<int:pk>/imports/<int:run_pk>/report.csv", views_imports.import_report, name="import-report"),
    path(
        "<int:pk>/imports/templates/<slug:kind>.<slug:extension>",
        views_imports.import_template,
        name="import-template",
    ),
    path("<int:pk>/export/", views_imports.export, name="export"),
]
