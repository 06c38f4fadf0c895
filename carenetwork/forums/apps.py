from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "carenetwork.forums"
    label = "forums"
    verbose_name = "Forums"

    def ready(self):
        # Organisations may not import forums: forums asks to hear when a membership ends.
        from carenetwork.forums.services import on_membership_ended
        from carenetwork.organisations.membership_hooks import register_membership_ended

        register_membership_ended(on_membership_ended)
