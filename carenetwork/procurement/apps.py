from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    """Procurement for SMEs: the opportunities board with dated rule advice (Procurement Act 2023), questions
    answered to all, the consortium finder, award feedback, payment on time, and the board in OCDS."""

    name = "carenetwork.procurement"
    label = "procurement"
    verbose_name = "Procurement"

    def ready(self):
        from carenetwork.procurement import portal_registration  # noqa: F401  (registers itself)
