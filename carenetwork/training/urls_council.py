"""URLs of the brokerage's council pages, and the providers' demand survey (included by training/urls.py under
council/: the survey's answers are for the council)."""

from django.urls import path

from carenetwork.training import views_council as views

urlpatterns = [
    path("demand/<int:pk>/", views.demand_survey, name="demand-survey"),
    path("priorities/", views.priorities, name="priorities"),
    path("priorities.csv", views.priorities_csv, name="priorities-csv"),
    path("priorities.xlsx", views.priorities_csv, {"fmt": "xlsx"}, name="priorities-xlsx"),
    path("programme/", views.programme_report, name="programme-report"),
    path("programme.csv", views.programme_report_csv, name="programme-report-csv"),
    path("programme.xlsx", views.programme_report_csv, {"fmt": "xlsx"}, name="programme-report-xlsx"),
    path("settings/", views.brokerage_settings, name="settings"),
]
