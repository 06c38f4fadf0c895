from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carenetwork.core"
    label = "core"
    verbose_name = "Core"
