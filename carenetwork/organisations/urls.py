from django.urls import path

from carenetwork.organisations import council_views, views

app_name = "organisations"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("add/", council_views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/locations/add/", views.location_edit, name="location-add"),
    path("<int:pk>/locations/<int:location_pk>/edit/", views.location_edit, name="location-edit"),
    path("<int:pk>/people/", views.members, name="members"),
    path("<int:pk>/people/invite/", views.invite, name="invite"),
    path("<int:pk>/people/<int:membership_pk>/role/", views.member_role, name="member-role"),
    path("<int:pk>/people/<int:membership_pk>/remove/", views.member_remove, name="member-remove"),
    path("<int:pk>/invitations/<int:invitation_pk>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    path("<int:pk>/hand-on/", views.hand_on, name="hand-on"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/requests/<int:request_pk>/decide/", views.join_request_decide, name="join-request-decide"),
    path("<int:pk>/requests/<int:request_pk>/withdraw/", views.join_request_withdraw, name="join-request-withdraw"),
    path("<int:pk>/appoint-admin/", council_views.appoint_admin, name="appoint-admin"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("council/", council_views.council_admin, name="council-admin"),
    path("council/without-admin/", council_views.without_admin, name="without-admin"),
    path("council/import-cqc/", council_views.cqc_import, name="cqc-import"),
    path("council/audit/", council_views.audit_log, name="audit-log"),
    path("council/sectors/", council_views.sectors, name="sectors"),
    path("council/sectors/add/", council_views.sector_edit, name="sector-add"),
    path("council/sectors/<int:sector_pk>/edit/", council_views.sector_edit, name="sector-edit"),
]
