"""URLs of a run: its live position, places, the decision, bookings and delegates (included by training/urls.py)."""

from django.urls import path

from carenetwork.training import views_runs as views

urlpatterns = [
    path("courses/<int:course_pk>/runs/add/", views.run_edit, name="run-add"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/edit/", views.run_edit, name="run-edit"),
    path("runs/<int:pk>/calendar.ics", views.run_ics, name="run-ics"),
    path("runs/<int:pk>/places/", views.interest_edit, name="interest-edit"),
    path("runs/<int:pk>/places/withdraw/", views.interest_withdraw, name="interest-withdraw"),
    path("runs/<int:pk>/decide/", views.run_decide, name="run-decide"),
    path("bookings/", views.my_bookings, name="my-bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
]
