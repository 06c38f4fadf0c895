"""API endpoints: training. Course runs with their live position, the caller organisation's interest in a run, its
course bookings and their delegates, and a run's bookings for its training provider and the council."""

from django.urls import path

from carenetwork.api.training import bookings, runs

urlpatterns = [
    path("course-runs/", runs.RunList.as_view(), name="training-run-list"),
    path("course-runs/<int:pk>/", runs.RunDetail.as_view(), name="training-run-detail"),
    path("course-runs/<int:pk>/interest/", runs.RunInterest.as_view(), name="training-run-interest"),
    path("course-runs/<int:pk>/bookings/", runs.RunBookings.as_view(), name="training-run-bookings"),
    path("course-bookings/", bookings.BookingList.as_view(), name="training-booking-list"),
    path("course-bookings/<int:pk>/", bookings.BookingDetail.as_view(), name="training-booking-detail"),
    path("course-bookings/<int:pk>/cancel/", bookings.BookingCancel.as_view(), name="training-booking-cancel"),
    path("course-bookings/<int:pk>/invoice/", bookings.BookingInvoice.as_view(), name="training-booking-invoice"),
    path("course-bookings/<int:pk>/delegates/", bookings.Delegates.as_view(), name="training-delegate-list"),
    path(
        "course-bookings/<int:pk>/delegates/<int:delegate_pk>/",
        bookings.DelegateDetail.as_view(),
        name="training-delegate-detail",
    ),
    path(
        "course-bookings/<int:pk>/staff-choices/",
        bookings.StaffChoices.as_view(),
        name="training-booking-staff-choices",
    ),
]
