from django.urls import path

from carenetwork.market import views, views_needed, views_statement, views_upload

app_name = "market"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("demand/", views.demand_page, name="demand"),
    path("supply/", views.supply_page, name="supply"),
    path("sustainability/", views.sustainability_page, name="sustainability"),
    path("settings/", views.settings_page, name="settings"),
    path("returns/", views.returns_list, name="returns"),
    path("returns/completion/", views.returns_completion, name="returns-completion"),
    path("returns/completion/<slug:table>.csv", views.returns_completion_download, name="returns-completion-csv"),
    path(
        "returns/completion/<slug:table>.xlsx",
        views.returns_completion_download,
        {"fmt": "xlsx"},
        name="returns-completion-xlsx",
    ),
    path("returns/<int:pk>/", views.return_edit, name="return-edit"),
    path("returns/<int:pk>/no-change/", views.return_no_change, name="return-no-change"),
    path("returns/upload/", views_upload.returns_upload_page, name="returns-upload"),
    path("returns/upload/template.csv", views_upload.returns_template, name="returns-template"),
    path("needed/", views_needed.needed_list, name="needed"),
    path("needed/new/", views_needed.needed_edit, name="needed-new"),
    path("needed/<int:pk>/", views_needed.needed_detail, name="needed-detail"),
    path("needed/<int:pk>/edit/", views_needed.needed_edit, name="needed-edit"),
    path("needed/interest/<int:pk>/reply/", views_needed.interest_reply, name="needed-interest-reply"),
]

urlpatterns += [
    path("statement/", views_statement.statement_current, name="statement"),
    path("statement/versions/", views_statement.statement_history, name="statement-history"),
    path("statement/versions/<int:number>/", views_statement.statement_version, name="statement-version"),
    path("statement/compare/", views_statement.statement_compare, name="statement-compare"),
    path("statement/draft/", views_statement.statement_draft, name="statement-draft"),
    path("statement/draft/preview/", views_statement.statement_preview, name="statement-preview"),
    path("statement/draft/new/", views_statement.statement_section_edit, name="statement-section-new"),
    path("statement/draft/<int:pk>/", views_statement.statement_section_edit, name="statement-section"),
    path("statement/draft/<int:pk>/delete/", views_statement.statement_section_delete, name="statement-section-delete"),
    path("statement/sections/<int:pk>/comment/", views_statement.section_comment, name="statement-comment"),
    path("statement/comments/", views_statement.statement_comments, name="statement-comments"),
    path("statement/comments/<int:pk>/respond/", views_statement.comment_response, name="statement-respond"),
]
