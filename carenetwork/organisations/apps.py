from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "carenetwork.organisations"
    label = "organisations"
    verbose_name = "Organisations"
