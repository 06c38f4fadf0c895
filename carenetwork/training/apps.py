from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "carenetwork.training"
    label = "training"
    verbose_name = "Training brokerage"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark).
        from carenetwork.training import portal_registration  # noqa: F401
