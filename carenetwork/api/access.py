"""The API's permission class: signed in (a session or a token), and for a token, the view's area in its scopes.

What the person may do with each object is the capability's own predicate, called by the view or the service,
exactly as the HTML views call it.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from carenetwork.api.models import ApiToken
from carenetwork.api.permissions import token_allows


class AreaAccess(permissions.BasePermission):
    """Signed-in people reach every area their roles allow; a token only the areas it was given."""

    message = _("This token was not given this part of the portal.")

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        if not token_allows(token, view.area, write=False):
            return False
        if request.method not in permissions.SAFE_METHODS and not token_allows(token, view.area, write=True):
            self.message = _("This token may read this part of the portal but not change it.")
            return False
        return True
