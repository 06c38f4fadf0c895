"""Meeting, booking and calendar pages."""

from django.urls import path

from carenetwork.forums import views_meetings as views

MEETING = "<slug:slug>/meetings/<int:pk>/"

urlpatterns = [
    path("<slug:slug>/meetings/add/", views.meeting_edit, name="meeting-add"),
    path(MEETING, views.meeting_detail, name="meeting-detail"),
    path(f"{MEETING}edit/", views.meeting_edit, name="meeting-edit"),
    path(f"{MEETING}cancel/", views.meeting_cancel, name="meeting-cancel"),
    path(f"{MEETING}book/", views.booking_create, name="booking-create"),
    path(f"{MEETING}bookings/<int:booking_pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path(f"{MEETING}attendees/", views.meeting_attendees, name="meeting-attendees"),
    path(f"{MEETING}attendees.csv", views.meeting_attendees_csv, name="meeting-attendees-csv"),
    path(f"{MEETING}attendees.xlsx", views.meeting_attendees_csv, {"fmt": "xlsx"}, name="meeting-attendees-xlsx"),
    path(f"{MEETING}meeting.ics", views.meeting_ics, name="meeting-ics"),
    # The person's own calendar, not a forum's (forums.urls puts these patterns before "<slug:slug>/").
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
