from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: home page, navigation, demo borough, volume and benchmark, from what capabilities register."""

    name = "carenetwork.portal"
    label = "portal"
    verbose_name = "Portal"
