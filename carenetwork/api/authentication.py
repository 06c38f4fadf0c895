"""Organisation tokens as DRF authentication: `Authorization: Bearer cn_...`.

A token acts as the person who made it, limited to its organisation: the person's memberships are narrowed to
that one for the request, so every capability's predicates answer for the organisation alone. When the person
leaves the organisation (or loses the admin role the token needs) the token stops working.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from carenetwork.api.permissions import can_manage_tokens
from carenetwork.api.services import token_for_secret, token_touch
from carenetwork.organisations.permissions import active_memberships

INVALID = _("The token is not valid: it may be mistyped, revoked or past its expiry date.")


class OrganisationTokenAuthentication(authentication.BaseAuthentication):
    """A bearer token made on the portal's API tokens page."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after 'Bearer' and one space."))
        try:
            secret = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(INVALID) from error
        token = token_for_secret(secret)
        user = token.created_by if token else None
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        memberships = [m for m in active_memberships(user) if m.organisation_id == token.organisation_id]
        user._cn_memberships = memberships
        user._cn_acting_organisation_id = token.organisation_id
        if not can_manage_tokens(user, token.organisation):
            raise exceptions.AuthenticationFailed(
                _("The token no longer works: the person who made it is no longer an admin of the organisation.")
            )
        user.acting_via = str(token.description)
        token_touch(token)
        return user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
