"""URLs of the brokerage's delivery pages: bookings and invoices, attendance, evaluations and their scores
(included by training/urls.py)."""

from django.urls import path

from carenetwork.training import views_delivery as views

urlpatterns = [
    path("runs/<int:pk>/bookings/", views.run_bookings, name="run-bookings"),
    path("runs/<int:pk>/bookings/csv/", views.run_bookings_csv, name="run-bookings-csv"),
    path("runs/<int:pk>/bookings/xlsx/", views.run_bookings_csv, {"fmt": "xlsx"}, name="run-bookings-xlsx"),
    path("runs/<int:pk>/bookings/<int:interest_pk>/invoice/", views.invoice_mark, name="invoice-mark"),
    path("runs/<int:pk>/attendance/", views.run_attendance, name="run-attendance"),
    path("places/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("courses/<int:pk>/evaluations/", views.course_evaluations, name="course-evaluations"),
    path("providers/<int:pk>/evaluations/", views.provider_evaluations, name="provider-evaluations"),
]
