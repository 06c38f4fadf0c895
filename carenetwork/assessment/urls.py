from django.urls import path

from carenetwork.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("score/", views.score_council, name="score"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("<slug:tool>/", views.tool_page, name="tool"),
    path("<slug:tool>/new/", views.round_new, name="round-new"),
]
