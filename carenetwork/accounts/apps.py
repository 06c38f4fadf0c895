from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carenetwork.accounts"
    label = "accounts"
    verbose_name = "Accounts"
