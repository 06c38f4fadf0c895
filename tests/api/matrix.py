"""Authorisation matrix rows for the API and its pages (see tests/test_authorisation_matrix.py), signed in through
the portal's session, which reaches the API with the person's own permissions. Without a session or a token the
API answers 401; the scopes of tokens are tested for every operation in tests/api/test_scope_matrix.py.

The staff register is for a provider's admins: each reaches their own organisation's, so another provider's admin
gets their own (200) from the list and 404 for the provider's person; members and other kinds of organisation 403.
"""

import datetime

from django.utils import timezone

from carenetwork.api.openreferral import ids
from tests.matrix_roles import MISSING, OK, ROLES, SIGNED_IN, only

UNAUTHORISED = 401
EVERYONE = only(*ROLES, anonymous=OK)
PROVIDER_ADMINS = only("provider_admin", "other_admin", anonymous=UNAUTHORISED)
OWN_ADMIN = {**PROVIDER_ADMINS, "other_admin": MISSING}
# A record is looked for in the caller's own organisation first: elsewhere it is not there to find.
OWN_RECORD = {
    **OWN_ADMIN,
    **dict.fromkeys(("training_admin", "partner_member", "council_officer", "council_admin"), MISSING),
}
SIGNED_IN_API = only(*SIGNED_IN, anonymous=UNAUTHORISED)
ADMINS = only("provider_admin")
COUNCIL = ("council_officer", "council_admin")
COUNCIL_ONLY = only(*COUNCIL, anonymous=UNAUTHORISED)
FORUM = only("provider_member", "provider_admin", "council_officer", other=MISSING, anonymous=UNAUTHORISED)
# Ids of nothing: whoever asks, it is not there (401 before that without a session).
NONE = 999999
NOT_FOUND = only(other=MISSING, anonymous=UNAUTHORISED)

API_CASES = [
    ("api:reference", lambda w: [], "get", EVERYONE),
    ("api:schema", lambda w: [], "get", EVERYONE),
    ("api:tokens", lambda w: [w.provider.pk], "get", ADMINS),
    ("api:token-new", lambda w: [w.provider.pk], "get", ADMINS),
    # An empty POST: the form's errors.
    ("api:token-new", lambda w: [w.provider.pk], "post", ADMINS),
    ("api:token-revoke", lambda w: [w.provider.pk, token_for(w).pk], "get", ADMINS),
    ("api:records-staff-list", lambda w: [], "get", PROVIDER_ADMINS),
    ("api:records-staff-detail", lambda w: [w.staff.pk], "get", OWN_ADMIN),
    ("api:records-record-list", lambda w: [], "get", PROVIDER_ADMINS),
    ("api:records-record-detail", lambda w: [w.record.pk], "get", OWN_RECORD),
    ("api:records-matrix", lambda w: [], "get", PROVIDER_ADMINS),
    ("api:records-category-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:records-job-role-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:training-run-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:training-run-detail", lambda w: [w.run.pk], "get", {**SIGNED_IN_API, "partner_member": MISSING}),
    (
        "api:training-run-interest",
        lambda w: [w.run.pk],
        "get",
        {**only("provider_admin", anonymous=UNAUTHORISED), "other_admin": MISSING, "partner_member": MISSING},
    ),
    (
        "api:training-run-bookings",
        lambda w: [w.run.pk],
        "get",
        {**only("training_admin", *COUNCIL, anonymous=UNAUTHORISED), "partner_member": MISSING},
    ),
    (
        "api:training-booking-list",
        lambda w: [],
        "get",
        only("provider_admin", "other_admin", "partner_member", anonymous=UNAUTHORISED),
    ),
    ("api:training-booking-detail", lambda w: [NONE], "get", NOT_FOUND),
    ("api:training-delegate-list", lambda w: [NONE], "get", NOT_FOUND),
    ("api:training-delegate-detail", lambda w: [NONE, NONE], "get", NOT_FOUND),
    ("api:training-booking-staff-choices", lambda w: [NONE], "get", NOT_FOUND),
    ("api:training-booking-cancel", lambda w: [NONE], "post", NOT_FOUND),
    ("api:training-booking-invoice", lambda w: [NONE], "post", NOT_FOUND),
    ("api:forums-meeting-list", lambda w: [], "get", SIGNED_IN_API),
    # The forum's members and its lead (the council officer); nobody else may know the meeting exists.
    ("api:forums-meeting-detail", lambda w: [w.meeting.pk], "get", FORUM),
    ("api:forums-meeting-agenda-item-list", lambda w: [w.meeting.pk], "get", FORUM),
    ("api:forums-agenda-item-detail", lambda w: [NONE], "get", NOT_FOUND),
    ("api:bookings-booking-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:bookings-booking-detail", lambda w: [NONE], "get", NOT_FOUND),
    ("api:bookings-booking-cancel", lambda w: [NONE], "post", NOT_FOUND),
    ("api:directory-organisation-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:directory-organisation-detail", lambda w: [w.provider.pk], "get", SIGNED_IN_API),
    ("api:directory-location-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:directory-location-detail", lambda w: [w.location.pk], "get", SIGNED_IN_API),
    # Each person's own organisation's people.
    ("api:directory-person-list", lambda w: [], "get", SIGNED_IN_API),
    ("api:council-skills-gap-list", lambda w: [], "get", COUNCIL_ONLY),
    ("api:council-compliance-list", lambda w: [], "get", COUNCIL_ONLY),
    ("api:council-provider-compliance-list", lambda w: [w.provider.pk], "get", COUNCIL_ONLY),
    ("api:council-programme-report-list", lambda w: [], "get", COUNCIL_ONLY),
    ("api:council-priorities-list", lambda w: [], "get", COUNCIL_ONLY),
    ("api:market-return-list", lambda w: [], "get", PROVIDER_ADMINS),
    ("api:market-return-detail", lambda w: [w.location.pk], "get", OWN_ADMIN),
    (
        "api:market-return-no-change",
        lambda w: [NONE],
        "post",
        {**PROVIDER_ADMINS, **dict.fromkeys(("provider_admin", "other_admin"), MISSING)},
    ),
    ("api:market-return-completion-provider-list", lambda w: [], "get", COUNCIL_ONLY),
    ("api:market-return-completion-sector-list", lambda w: [], "get", COUNCIL_ONLY),
    ("api:market-return-completion-month-list", lambda w: [], "get", COUNCIL_ONLY),
    ("openreferral:root", lambda w: [], "get", EVERYONE),
    ("openreferral:services", lambda w: [], "get", EVERYONE),
    ("openreferral:service", lambda w: [ids.make(ids.Kind.SERVICE, w.location.pk)], "get", EVERYONE),
    ("openreferral:service-at-locations", lambda w: [], "get", EVERYONE),
    (
        "openreferral:service-at-location",
        lambda w: [ids.make(ids.Kind.SERVICE_AT_LOCATION, w.location.pk)],
        "get",
        EVERYONE,
    ),
    ("openreferral:organizations", lambda w: [], "get", EVERYONE),
    ("openreferral:organization", lambda w: [ids.make(ids.Kind.ORGANIZATION, w.provider.pk)], "get", EVERYONE),
    ("openreferral:taxonomies", lambda w: [], "get", EVERYONE),
    ("openreferral:taxonomy", lambda w: [ids.make(ids.Kind.TAXONOMY, 1)], "get", EVERYONE),
    ("openreferral:taxonomy-terms", lambda w: [], "get", EVERYONE),
    (
        "openreferral:taxonomy-term",
        lambda w: [ids.make(ids.Kind.SERVICE_TYPE_TERM, w.location.service_type_id)],
        "get",
        EVERYONE,
    ),
    ("openreferral:not-found", lambda w: ["nothing-here"], "get", only(other=MISSING, anonymous=MISSING)),
]


def token_for(w):
    """A token of the provider (made once per world)."""
    if not hasattr(w, "api_token"):
        from carenetwork.api.services import token_create

        w.api_token, _secret = token_create(
            actor=w.provider_admin,
            organisation=w.provider,
            name="Rota",
            read_areas=["records"],
            write_areas=[],
            expires_on=timezone.localdate() + datetime.timedelta(days=10),
        )
    return w.api_token
