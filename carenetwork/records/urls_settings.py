"""URLs of the records settings pages, included by records/urls.py under council/settings/."""

from django.urls import path

from carenetwork.records import views_settings as views

urlpatterns = [
    path("", views.index, name="settings"),
    path("categories/", views.categories, name="settings-categories"),
    path("categories/add/", views.category_edit, name="settings-category-add"),
    path("categories/<int:pk>/edit/", views.category_edit, name="settings-category-edit"),
    path("job-roles/", views.job_roles, name="settings-job-roles"),
    path("job-roles/add/", views.job_role_edit, name="settings-job-role-add"),
    path("job-roles/<int:pk>/edit/", views.job_role_edit, name="settings-job-role-edit"),
    path("mandatory/<int:sector_pk>/", views.mandatory, name="settings-mandatory"),
    path("mandatory/<int:sector_pk>/add/", views.mandatory_add, name="settings-mandatory-add"),
    path("mandatory/<int:sector_pk>/<int:pk>/remove/", views.mandatory_remove, name="settings-mandatory-remove"),
    path("retention/", views.retention, name="settings-retention"),
]
