from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Integration: the REST API with organisation tokens (calling the capabilities' own selectors, services and
    permission predicates) and the directory in the Open Referral UK profile of HSDS 3.0."""

    name = "carenetwork.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from carenetwork.api import (
            portal_registration,  # noqa: F401  (registers itself)
            schema,  # noqa: F401  (registers the token scheme with drf-spectacular)
        )
