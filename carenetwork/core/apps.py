import datetime

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carenetwork.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Registers the deployment checks; logs each background task with the id of the request that queued it.
        from carenetwork.core import checks, task_log  # noqa: F401
        from carenetwork.core.registry import ScheduledJob, register_jobs
        from carenetwork.core.tasks import prune_history

        register_jobs("core", [ScheduledJob("prune_history", prune_history, daily_at=datetime.time(3, 0))])
