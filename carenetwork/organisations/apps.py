import datetime

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "carenetwork.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        # The directory is no capability, but its CQC sync runs daily from the scheduler (carenetwork.core.registry).
        from carenetwork.core.registry import ScheduledJob, register_jobs
        from carenetwork.organisations.tasks import sync_cqc

        register_jobs("organisations", [ScheduledJob("sync_cqc", sync_cqc, daily_at=datetime.time(6, 15))])
        from carenetwork.organisations import request_log  # noqa: F401  (tells the request log the organisation)
