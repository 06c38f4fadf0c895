from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "carenetwork.records"
    label = "records"
    verbose_name = "Staff and training records"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark).
        # An organisation's sectors decide which council rules apply to its staff: its figures follow them, however
        # they are changed (the organisations app knows nothing of records).
        # Its kind, activity and area decide where its figures count in the market's sums.
        from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

        from carenetwork.organisations.models import Organisation
        from carenetwork.records import figures, portal_registration  # noqa: F401

        m2m_changed.connect(
            figures.sectors_changed, sender=Organisation.sectors.through, dispatch_uid="records-figures"
        )
        pre_save.connect(figures.organisation_saving, sender=Organisation, dispatch_uid="records-market")
        post_save.connect(figures.organisation_saved, sender=Organisation, dispatch_uid="records-market")
        pre_delete.connect(figures.organisation_deleting, sender=Organisation, dispatch_uid="records-market")
