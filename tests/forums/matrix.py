"""Rows of the authorisation matrix for the forum pages (see tests/test_authorisation_matrix.py).

The provider (with provider_admin and provider_member) is a member of the residential and nursing care
forum; council_officer leads it; council_admin is council staff but not a lead, so to them the forum's pages
do not exist, as to everyone outside it.
"""

from tests.matrix_roles import DENIED, MISSING, REDIRECT, only

IN_FORUM = ("provider_member", "provider_admin", "council_officer")
SIGNED_IN = (
    "provider_member",
    "provider_admin",
    "other_admin",
    "training_admin",
    "partner_member",
    "council_officer",
    "council_admin",
)


def forum_only(*allowed, status=200):
    """Allowed roles get `status`; other people in the forum 403; everyone outside it 404."""
    return only(*allowed, status=status) | {
        role: (DENIED if role in IN_FORUM else MISSING) for role in SIGNED_IN if role not in allowed
    }


FORUM_CASES = [
    ("forums:forum-list", lambda w: [], "get", only(*SIGNED_IN)),
    ("forums:forum-add", lambda w: [], "get", only("council_officer", "council_admin")),
    ("forums:forum-detail", lambda w: [w.forum.slug], "get", forum_only(*IN_FORUM)),
    ("forums:forum-edit", lambda w: [w.forum.slug], "get", forum_only("council_officer") | {"council_admin": MISSING}),
    # Only eligible organisations' admins may ask to join; the provider is already a member.
    ("forums:membership-request", lambda w: [w.other_forum.slug], "get", only("other_admin", other=MISSING)),
    ("forums:members", lambda w: [w.forum.slug], "get", forum_only("council_officer")),
    ("forums:membership-add", lambda w: [w.forum.slug], "get", forum_only("council_officer")),
    (
        "forums:membership-decide",
        lambda w: [w.forum.slug, w.forum_request.pk],
        "post",
        forum_only("council_officer", status=REDIRECT),
    ),
    (
        "forums:membership-remove",
        lambda w: [w.forum.slug, w.forum_request.pk],
        "post",
        forum_only("council_officer", status=REDIRECT),
    ),
]
