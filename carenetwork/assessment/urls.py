from django.urls import path

from carenetwork.assessment import views, views_questions

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("score/", views.score_council, name="score"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/new/", views.checklist_new, name="checklist-new"),
    path("checklist/<int:pk>/", views.checklist_round, name="checklist-round"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("<slug:tool>/", views.tool_page, name="tool"),
    path("<slug:tool>/new/", views.round_new, name="round-new"),
    path("<slug:tool>/questions/", views_questions.questions, name="questions"),
    path("<slug:tool>/questions/details/", views_questions.questions_details, name="questions-details"),
    path("<slug:tool>/questions/add/", views_questions.question_add, name="question-add"),
    path("<slug:tool>/questions/<int:key>/", views_questions.question_change, name="question-change"),
    path("<slug:tool>/questions/<int:key>/remove/", views_questions.question_remove, name="question-remove"),
]
