"""What the API offers the portal (carenetwork.core.registry): the reference in every page's footer, and the tokens
page on an organisation's page for its admins."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carenetwork.api.permissions import can_manage_tokens
from carenetwork.core.registry import (
    BenchmarkContext,
    BenchmarkPage,
    Capability,
    NavigationEntry,
    OrganisationLink,
    register,
)

# The API's busiest lists, timed as the benchmark member's session (the same permissions as a token): a page of 50
# as the program would ask for it. Each is (name, URL name, as the council officer).
BENCHMARK = [
    ("API staff register", "api:records-staff-list", False),
    ("API training records", "api:records-record-list", False),
    ("API training matrix", "api:records-matrix", False),
    ("API directory", "api:directory-organisation-list", False),
    ("API locations", "api:directory-location-list", False),
    ("API course runs", "api:training-run-list", False),
    ("API meetings", "api:forums-meeting-list", False),
    ("API skills gap (council)", "api:council-skills-gap-list", True),
    ("API compliance (council)", "api:council-compliance-list", True),
]


def _tokens_href(user, organisation) -> str | None:
    return reverse("api:tokens", args=[organisation.pk]) if can_manage_tokens(user, organisation) else None


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    return [BenchmarkPage(name, reverse(url), as_officer=officer) for name, url, officer in BENCHMARK]


register(
    Capability(
        name="api",
        benchmark=_benchmark,
        footer_links=[NavigationEntry(label=_("API for developers"), href_for=lambda user: reverse("api:reference"))],
        organisation_links=[OrganisationLink(label=_("API tokens"), href_for=_tokens_href)],
    )
)
