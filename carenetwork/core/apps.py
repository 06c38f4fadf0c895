from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carenetwork.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from carenetwork.core import checks  # noqa: F401  (registers the deployment checks)
