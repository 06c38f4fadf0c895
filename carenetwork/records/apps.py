from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carenetwork.records"
    label = "records"
    verbose_name = "Staff and training records"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark).
        from carenetwork.records import portal_registration  # noqa: F401
