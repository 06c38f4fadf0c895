from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carenetwork.records"
    label = "records"
    verbose_name = "Staff and training records"
