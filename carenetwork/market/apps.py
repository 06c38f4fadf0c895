from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "carenetwork.market"
    label = "market"
    verbose_name = "Market shaping"

    def ready(self):
        # Shows this capability to the portal, and keeps the sub-markets' figures in step with the directory: a
        # location saved or deleted, a provider opening or closing (market/figures.py).
        from django.db.models.signals import post_delete, post_save, pre_save

        from carenetwork.market import (
            figures,
            portal_registration,  # noqa: F401
        )
        from carenetwork.organisations.models import Location, Organisation

        uid = "market.figures."
        pre_save.connect(figures.location_saving, sender=Location, dispatch_uid=uid + "location-saving")
        post_save.connect(figures.location_saved, sender=Location, dispatch_uid=uid + "location-saved")
        post_delete.connect(figures.location_deleted, sender=Location, dispatch_uid=uid + "location-deleted")
        post_save.connect(figures.organisation_saved, sender=Organisation, dispatch_uid=uid + "organisation")
