"""The service navigation: the portal's own links and what each capability registers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from carenetwork.core.registry import NavigationEntry, capabilities
from carenetwork.organisations import permissions


def _home(user) -> str:
    return reverse("core:home")


def _directory(user) -> str | None:
    return reverse("organisations:directory") if permissions.can_view_directory(user) else None


def _administration(user) -> str | None:
    return reverse("organisations:council-admin") if permissions.is_council_admin(user) else None


def entries() -> list[NavigationEntry]:
    """Every navigation entry, the portal's and the capabilities', in order."""
    own = [
        NavigationEntry(label=_("Home"), href_for=_home, order=0),
        NavigationEntry(label=_("Directory"), href_for=_directory, order=20),
        NavigationEntry(label=_("Administration"), href_for=_administration, order=90),
    ]
    registered = [entry for capability in capabilities() for entry in capability.navigation]
    return sorted(own + registered, key=lambda entry: entry.order)


def navigation_for(user, path: str) -> list[dict]:
    """The service navigation links this person's roles give them, marking the current one."""
    if not user.is_authenticated:
        return []
    links = []
    for entry in entries():
        href = entry.href_for(user)
        if href:
            links.append({"label": str(entry.label), "href": href})
    for link in links:
        href = link["href"]
        link["active"] = path == href or (href != "/" and path.startswith(href))
    return links


def footer_links_for(user) -> list[dict]:
    """The public pages capabilities link from every page's footer."""
    links = []
    for entry in sorted((e for c in capabilities() for e in c.footer_links), key=lambda entry: entry.order):
        href = entry.href_for(user)
        if href:
            links.append({"label": entry.label, "href": href})
    return links
