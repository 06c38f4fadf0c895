from django.urls import path

from carenetwork.costofcare import views, views_fee_gaps

app_name = "costofcare"

urlpatterns = [
    path("home-care/", views.home_care, name="home-care"),
    path("care-home/", views.care_home, name="care-home"),
    path("calculations/", views.calculation_list, name="calculation-list"),
    path("calculations/<int:pk>/", views.calculation_detail, name="calculation-detail"),
    path("calculations/<int:pk>/submit/", views.calculation_submit, name="calculation-submit"),
    path("returns/", views.cost_returns, name="returns"),
    path("assumptions/", views.assumption_list, name="assumption-list"),
    path("assumptions/new/", views.assumption_new, name="assumption-new"),
    path("assumptions/<int:pk>/edit/", views.assumption_edit, name="assumption-edit"),
    path("fee-gaps/", views_fee_gaps.fee_gap_page, name="fee-gaps"),
    path("fee-gaps.csv", views_fee_gaps.fee_gaps_download, name="fee-gaps-csv"),
    path("fee-gaps.xlsx", views_fee_gaps.fee_gaps_download, {"fmt": "xlsx"}, name="fee-gaps-xlsx"),
    path("rates/", views_fee_gaps.rate_list, name="rate-list"),
    path("rates/new/", views_fee_gaps.rate_form, name="rate-new"),
    path("rates/<int:pk>/edit/", views_fee_gaps.rate_form, name="rate-edit"),
]
