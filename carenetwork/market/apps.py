from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "carenetwork.market"
    label = "market"
    verbose_name = "Market shaping"

    def ready(self):
        from carenetwork.market import portal_registration  # noqa: F401  (shows this capability to the portal)
