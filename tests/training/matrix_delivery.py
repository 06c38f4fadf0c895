"""Authorisation matrix rows for the brokerage's delivery pages.

Bookings (with delegates' names) are for the course's training provider and council staff; attendance and
invoices for the training provider only; rating a course for the delegate's organisation (or the delegate);
evaluation scores for the council and the training provider. A partner that cannot see the run gets 404.
"""

from tests.matrix_roles import DENIED, LOGIN, MISSING, OK, REDIRECT, ROLES, only

BOOKINGS = only("training_admin", "council_officer", "council_admin") | {"partner_member": MISSING}
DELIVER = only("training_admin") | {"partner_member": MISSING}
SCORES = only("training_admin", "council_officer", "council_admin")


def _started(w):
    """The world's run, confirmed with the provider's two places, the staff member named, and started."""
    from carenetwork.training.models import Delegate
    from tests.training.delivery_factories import confirm, start

    if not hasattr(w, "delegate"):
        confirm(w.run)
        w.interest.refresh_from_db()
        w.delegate = Delegate.objects.create(interest=w.interest, staff=w.staff)
        start(w.run)
    return w


def _run(w):
    return [w.run.pk]


def _started_run(w):
    return [_started(w).run.pk]


def _invoice(w):
    _started(w)
    return [w.run.pk, w.interest.pk]


def _delegate(w):
    return [_started(w).delegate.pk]


def _provider(w):
    return [w.training_org.pk]


# Who may rate: the provider's admin; the training provider and council may see the place but not rate it (403);
# everyone else may not know it exists (404).
EVALUATE = {role: MISSING for role in ROLES} | {
    "anonymous": LOGIN,
    "provider_admin": OK,
    "training_admin": DENIED,
    "council_officer": DENIED,
    "council_admin": DENIED,
}
# A POST that succeeds redirects; the provider's own admin may see the booking but not mark its invoice.
INVOICE = {role: MISSING for role in ROLES} | {
    "anonymous": LOGIN,
    "training_admin": REDIRECT,
    "provider_admin": DENIED,
    "council_officer": DENIED,
    "council_admin": DENIED,
}

DELIVERY_CASES = [
    ("training:run-bookings", _run, "get", BOOKINGS),
    ("training:run-bookings-csv", _started_run, "get", BOOKINGS),
    ("training:run-bookings-xlsx", _started_run, "get", BOOKINGS),
    ("training:invoice-mark", _invoice, "post", INVOICE),
    ("training:run-attendance", _started_run, "get", DELIVER),
    ("training:evaluate", _delegate, "get", EVALUATE),
    ("training:course-evaluations", lambda w: [w.course.pk], "get", SCORES),
    ("training:provider-evaluations", _provider, "get", SCORES),
]
