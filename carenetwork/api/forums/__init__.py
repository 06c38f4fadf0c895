"""API endpoints for forums: meetings and their agenda items (area "forums"), and bookings (area "bookings")."""

from django.urls import path

from carenetwork.api.forums import bookings, meetings

urlpatterns = [
    path("meetings/", meetings.MeetingList.as_view(), name="forums-meeting-list"),
    path("meetings/<int:pk>/", meetings.MeetingDetail.as_view(), name="forums-meeting-detail"),
    path(
        "meetings/<int:pk>/agenda-items/",
        meetings.MeetingAgendaItemList.as_view(),
        name="forums-meeting-agenda-item-list",
    ),
    path("agenda-items/<int:pk>/", meetings.AgendaItemDetail.as_view(), name="forums-agenda-item-detail"),
    path("bookings/", bookings.BookingList.as_view(), name="bookings-booking-list"),
    path("bookings/<int:pk>/", bookings.BookingDetail.as_view(), name="bookings-booking-detail"),
    path("bookings/<int:pk>/cancel/", bookings.BookingCancel.as_view(), name="bookings-booking-cancel"),
]
