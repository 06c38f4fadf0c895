"""Template context every page needs: the council's branding and the person's navigation."""

from django.conf import settings

from carenetwork.organisations import permissions
from carenetwork.portal.navigation import footer_links_for, navigation_for


def portal(request):
    user = request.user
    memberships = permissions.active_memberships(user)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.COUNCIL_SERVICE_NAME,
        "brand_colour": settings.COUNCIL_BRAND_COLOUR,
        "navigation": navigation_for(user, request.path),
        "footer_links": footer_links_for(user),
        "my_memberships": memberships,
    }
