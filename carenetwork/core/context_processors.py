"""Template context every page needs: the council's branding and the person's navigation."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from carenetwork.organisations import permissions
from carenetwork.organisations.models import Organisation, Role
from carenetwork.training import permissions as training_permissions


def navigation_for(user, path: str) -> list[dict]:
    """The service navigation links this person's roles give them, marking the current one."""
    if not user.is_authenticated:
        return []
    items = [
        (_("Home"), reverse("core:home")),
        (_("Forums"), reverse("forums:forum-list")),
        (_("Directory"), reverse("organisations:directory")),
    ]
    provider = next(
        (
            m.organisation
            for m in permissions.active_memberships(user)
            if m.organisation.kind == Organisation.Kind.PROVIDER and m.role == Role.ADMIN
        ),
        None,
    )
    if provider:
        items.append((_("Staff and training"), reverse("records:dashboard", args=[provider.pk])))
    if training_permissions.can_browse_catalogue(user):
        items.append((_("Training courses"), reverse("training:catalogue")))
    if permissions.is_council_staff(user):
        items.append((_("Skills picture"), reverse("records:skills-gap")))
    if permissions.is_council_admin(user):
        items.append((_("Administration"), reverse("organisations:council-admin")))
    return [
        {"label": label, "href": href, "active": path == href or (href != "/" and path.startswith(href))}
        for label, href in items
    ]


def portal(request):
    user = request.user
    memberships = permissions.active_memberships(user)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.COUNCIL_SERVICE_NAME,
        "brand_colour": settings.COUNCIL_BRAND_COLOUR,
        "navigation": navigation_for(user, request.path),
        "my_memberships": memberships,
    }
