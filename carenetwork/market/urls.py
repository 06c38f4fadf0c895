from django.urls import path

from carenetwork.market import views

app_name = "market"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("demand/", views.demand_page, name="demand"),
    path("supply/", views.supply_page, name="supply"),
    path("sustainability/", views.sustainability_page, name="sustainability"),
    path("settings/", views.settings_page, name="settings"),
    path("returns/", views.returns_list, name="returns"),
    path("returns/completion/", views.returns_completion, name="returns-completion"),
    path("returns/<int:pk>/", views.return_edit, name="return-edit"),
    path("returns/<int:pk>/no-change/", views.return_no_change, name="return-no-change"),
]
