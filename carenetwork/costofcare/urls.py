from django.urls import path

from carenetwork.costofcare import views

app_name = "costofcare"

urlpatterns = [
    path("home-care/", views.home_care, name="home-care"),
    path("calculations/", views.calculation_list, name="calculation-list"),
    path("calculations/<int:pk>/", views.calculation_detail, name="calculation-detail"),
    path("calculations/<int:pk>/submit/", views.calculation_submit, name="calculation-submit"),
    path("returns/", views.cost_returns, name="returns"),
    path("assumptions/", views.assumption_list, name="assumption-list"),
    path("assumptions/new/", views.assumption_new, name="assumption-new"),
    path("assumptions/<int:pk>/edit/", views.assumption_edit, name="assumption-edit"),
]
