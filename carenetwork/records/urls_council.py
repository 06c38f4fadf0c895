"""URLs of the records council pages, included by records/urls.py."""

from django.urls import path

from carenetwork.records import views_council

urlpatterns = [
    path("compliance/", views_council.compliance, name="compliance"),
    path("compliance.csv", views_council.compliance_csv, name="compliance-csv"),
    path("compliance.xlsx", views_council.compliance_csv, {"fmt": "xlsx"}, name="compliance-xlsx"),
    path("compliance/<int:pk>/", views_council.provider_compliance, name="provider-compliance"),
    path("compliance/<int:pk>.csv", views_council.provider_compliance_csv, name="provider-compliance-csv"),
    path(
        "compliance/<int:pk>.xlsx",
        views_council.provider_compliance_csv,
        {"fmt": "xlsx"},
        name="provider-compliance-xlsx",
    ),
    path("skills-gap/", views_council.skills_gap, name="skills-gap"),
    path("skills-gap.csv", views_council.skills_gap_csv, name="skills-gap-csv"),
    path("skills-gap.xlsx", views_council.skills_gap_csv, {"fmt": "xlsx"}, name="skills-gap-xlsx"),
]
