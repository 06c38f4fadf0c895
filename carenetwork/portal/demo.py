"""The demo borough: the organisations and people, then each registered capability's demo on top of them."""

from django.db import transaction
from django.test.utils import override_settings

from carenetwork.core.registry import DemoBorough, capabilities
from carenetwork.organisations.demo import build_borough


def build_demo_borough() -> dict:
    """Create (or complete) the whole demo borough without sending its emails; return the demo sign-ins."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        result = build_borough()
        people = result["people"]
        borough = DemoBorough(
            council=result["council"],
            officer=people["council_officer"],
            administrator=people["council_admin"],
            providers=result["providers"],
            featured=result["provider"],
            people=people,
            rng=result["rng"],
        )
        for capability in capabilities():
            if capability.demo:
                capability.demo(borough)
    return result
