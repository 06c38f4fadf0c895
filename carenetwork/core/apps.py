from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carenetwork.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Registers the deployment checks; logs each background task with the id of the request that queued it.
        from carenetwork.core import checks, task_log  # noqa: F401
