from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "carenetwork.assessment"
    label = "assessment"
    verbose_name = "Self-assessment"

    def ready(self):
        # Shows this capability to the portal (carenetwork.core.registry).
        from carenetwork.assessment import portal_registration  # noqa: F401
