from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carenetwork.records"
    label = "records"
    verbose_name = "Staff and training records"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark).
        # An organisation's sectors decide which council rules apply to its staff: its figures follow them, however
        # they are changed (the organisations app knows nothing of records).
        from django.db.models.signals import m2m_changed

        from carenetwork.organisations.models import Organisation
        from carenetwork.records import portal_registration  # noqa: F401
        from carenetwork.records.figures import sectors_changed

        m2m_changed.connect(sectors_changed, sender=Organisation.sectors.through, dispatch_uid="records-figures")
