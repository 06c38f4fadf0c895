from django.urls import path

from carenetwork.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("two-factor-required/", views.mfa_required, name="mfa-required"),
]
