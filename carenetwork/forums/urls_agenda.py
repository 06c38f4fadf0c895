"""Agenda, record, issue-log and paper pages."""

from django.urls import path

from carenetwork.forums import views_agenda as views

urlpatterns = [
    path("<slug:slug>/items/raise/", views.item_raise, name="item-raise"),
    path("<slug:slug>/items/<int:pk>/", views.item_detail, name="item-detail"),
    path("<slug:slug>/items/<int:pk>/comment/", views.item_comment, name="item-comment"),
    path("<slug:slug>/items/<int:pk>/accept/", views.item_accept, name="item-accept"),
    path("<slug:slug>/items/<int:pk>/decline/", views.item_decline, name="item-decline"),
    path("<slug:slug>/items/<int:pk>/merge/", views.item_merge, name="item-merge"),
    path("<slug:slug>/items/<int:pk>/defer/", views.item_defer, name="item-defer"),
    path("<slug:slug>/items/<int:pk>/close/", views.item_close, name="item-close"),
    path("<slug:slug>/items/<int:pk>/actions/add/", views.action_edit, name="action-add"),
    path("<slug:slug>/items/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action-edit"),
    path("<slug:slug>/meetings/<int:pk>/agenda/", views.agenda_manage, name="agenda-manage"),
    path("<slug:slug>/meetings/<int:pk>/agenda/move/", views.agenda_move, name="agenda-move"),
    path("<slug:slug>/meetings/<int:pk>/agenda/publish/", views.agenda_publish, name="agenda-publish"),
    path("<slug:slug>/meetings/<int:pk>/record/", views.record_manage, name="record-manage"),
    path("<slug:slug>/meetings/<int:pk>/record/items/<int:item_pk>/", views.record_item, name="record-item"),
    path("<slug:slug>/meetings/<int:pk>/record/publish/", views.record_publish, name="record-publish"),
    path("<slug:slug>/meetings/<int:pk>/papers/add/", views.paper_add, name="paper-add"),
    path("<slug:slug>/meetings/<int:pk>/papers/<int:paper_pk>/", views.paper_download, name="paper-download"),
    path("<slug:slug>/issues/", views.issue_log_page, name="issue-log"),
    path("<slug:slug>/issues.csv", views.issue_log_csv, name="issue-log-csv"),
    path("<slug:slug>/issues.xlsx", views.issue_log_csv, {"fmt": "xlsx"}, name="issue-log-xlsx"),
]
