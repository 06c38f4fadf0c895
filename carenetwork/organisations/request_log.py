"""The organisation a request acted for, as the request log records it (carenetwork.core.request_log).

The rule: the token's organisation when the request came with an organisation's API token; otherwise the
person's organisation when they belong to exactly one; otherwise none (several organisations, none, or their
memberships were not read in this request). It answers only from what the request already loaded and never
queries: a request that did not read the person's memberships is logged without an organisation rather than
made slower.
"""

from carenetwork.core.request_log import register_organisation_lookup
from carenetwork.organisations.permissions import acting_organisation_id


def logged_organisation_id(user) -> int | None:
    """The organisation id the request log gives this person's request, or None (see the rule above)."""
    acting = acting_organisation_id(user)
    if acting is not None:
        return acting
    # The memberships `permissions.active_memberships` cached on the user, if this request read them.
    memberships = getattr(user, "_cn_memberships", None)
    organisations = {m.organisation_id for m in memberships or ()}
    return organisations.pop() if len(organisations) == 1 else None


register_organisation_lookup(logged_organisation_id)
