from django.urls import path

from carenetwork.forums import urls_agenda, urls_meetings, views

app_name = "forums"
urlpatterns = [
    # Meeting pages first: "calendar/..." must not be taken for a forum's slug.
    *urls_meetings.urlpatterns,
    path("", views.forum_list, name="forum-list"),
    path("add/", views.forum_edit, name="forum-add"),
    path("<slug:slug>/", views.forum_detail, name="forum-detail"),
    path("<slug:slug>/edit/", views.forum_edit, name="forum-edit"),
    path("<slug:slug>/join/", views.membership_request, name="membership-request"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/add/", views.membership_add, name="membership-add"),
    path("<slug:slug>/members/<int:membership_pk>/decide/", views.membership_decide, name="membership-decide"),
    path("<slug:slug>/members/<int:membership_pk>/remove/", views.membership_remove, name="membership-remove"),
    *urls_agenda.urlpatterns,
]
