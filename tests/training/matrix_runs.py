"""Authorisation matrix rows for a run's pages, places, decisions and bookings.

The World's run (`w.run`) is open, of an approved course of `w.training_org`, and Willow (the provider) has an
interest in 2 places (`w.interest`). Partners do not see a run until places are offered to them (404).
"""

from tests.matrix_roles import DENIED, MISSING, only

COUNCIL = ("council_officer", "council_admin")
SEES_RUN = ("provider_member", "provider_admin", "other_admin", "training_admin", *COUNCIL)


def _run(w):
    return [w.run.pk]


def _interest(w):
    return [w.interest.pk]


RUNS_CASES = [
    ("training:run-add", lambda w: [w.course.pk], "get", only(*COUNCIL)),
    ("training:run-detail", _run, "get", only(*SEES_RUN, other=MISSING)),
    ("training:run-ics", _run, "get", only(*SEES_RUN, other=MISSING)),
    ("training:run-edit", _run, "get", only(*COUNCIL) | {"partner_member": MISSING}),
    ("training:interest-edit", _run, "get", only("provider_admin", "other_admin") | {"partner_member": MISSING}),
    ("training:interest-withdraw", _run, "get", only("provider_admin", other=MISSING)),
    ("training:run-decide", _run, "get", only(*COUNCIL) | {"partner_member": MISSING}),
    (
        "training:my-bookings",
        lambda w: [],
        "get",
        only("provider_admin", "other_admin", "partner_member", other=DENIED),
    ),
    ("training:booking-detail", _interest, "get", only("provider_admin", "training_admin", *COUNCIL, other=MISSING)),
    (
        "training:booking-cancel",
        _interest,
        "get",
        only("provider_admin", other=MISSING)
        | {"training_admin": DENIED, "council_officer": DENIED, "council_admin": DENIED},
    ),
]
