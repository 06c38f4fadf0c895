"""Who may manage tokens, and what a request through the API may reach. The areas' own rules stay in each
capability's predicates: the API's views call them as the HTML views do."""

from carenetwork.organisations.permissions import can_manage_organisation


def can_manage_tokens(user, organisation) -> bool:
    """An organisation's admins (the council's administrators for the council) make and revoke its tokens."""
    return organisation.is_active and can_manage_organisation(user, organisation)


def token_allows(token, area: str, *, write: bool) -> bool:
    """Whether the token was given the area, for changing when `write`."""
    return area in (token.write_areas if write else token.read_areas)
