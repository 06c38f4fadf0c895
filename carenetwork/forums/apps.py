from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "carenetwork.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark), and asks to
        # hear when a membership ends (organisations may not import forums).
        from carenetwork.forums import portal_registration  # noqa: F401
        from carenetwork.forums.services import on_membership_ended
        from carenetwork.organisations.membership_hooks import register_membership_ended

        register_membership_ended(on_membership_ended)
