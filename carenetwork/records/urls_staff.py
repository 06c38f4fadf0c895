"""URLs of the provider's staff register, training records, matrix and overview (included by records/urls.py)."""

from django.urls import path

from carenetwork.records import views

urlpatterns = [
    path("mine/", views.my_training, name="my-training"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/staff/", views.staff_list, name="staff-list"),
    path("<int:pk>/staff/add/", views.staff_edit, name="staff-add"),
    path("<int:pk>/staff/<int:staff_pk>/", views.staff_detail, name="staff-detail"),
    path("<int:pk>/staff/<int:staff_pk>/edit/", views.staff_edit, name="staff-edit"),
    path("<int:pk>/staff/<int:staff_pk>/leave/", views.staff_leave, name="staff-leave"),
    path("<int:pk>/staff/<int:staff_pk>/records/add/", views.record_edit, name="record-add"),
    path("<int:pk>/records/<int:record_pk>/edit/", views.record_edit, name="record-edit"),
    path("<int:pk>/records/<int:record_pk>/delete/", views.record_delete, name="record-delete"),
    path("<int:pk>/records/<int:record_pk>/certificate/", views.certificate, name="certificate"),
    path("<int:pk>/matrix/", views.matrix, name="matrix"),
    path("<int:pk>/matrix.csv", views.matrix_csv, name="matrix-csv"),
    path("<int:pk>/matrix.xlsx", views.matrix_csv, {"fmt": "xlsx"}, name="matrix-xlsx"),
    path("<int:pk>/requirements/", views.requirements, name="requirements"),
    path("<int:pk>/requirements/<int:rule_pk>/remove/", views.requirement_remove, name="requirement-remove"),
]
