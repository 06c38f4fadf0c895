from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "carenetwork.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark).
        from carenetwork.forums import portal_registration  # noqa: F401
