from django.apps import AppConfig


class CostOfCareConfig(AppConfig):
    """The fair cost of care: calculators for a home care hourly rate and a care home weekly fee, from dated
    public assumptions (a capability of its own: the market app is past the size the issue allows it)."""

    name = "carenetwork.costofcare"
    label = "costofcare"
    verbose_name = "Fair cost of care"

    def ready(self):
        from carenetwork.costofcare import portal_registration  # noqa: F401  (registers itself)
