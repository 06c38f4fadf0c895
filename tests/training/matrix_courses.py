"""Authorisation matrix rows for the brokerage's catalogue and courses pages.

Everyone with a membership browses the catalogue and the approved courses. A course under review is its training
provider's and the council's: anyone else gets 404. Only the training provider's people propose and change its
courses; only council staff review them.
"""

from tests.matrix_roles import DENIED, MISSING, SIGNED_IN, only

COUNCIL = ("council_officer", "council_admin")


def _submitted(w):
    from carenetwork.training.models import Course
    from tests.training.factories import course_for

    return [course_for(w.training_org, status=Course.Status.SUBMITTED, title="Dementia awareness").pk]


def _approved(w):
    return [w.course.pk]


def _training_org(w):
    return [w.training_org.pk]


def _with(expected: dict, **changes) -> dict:
    return {**expected, **changes}


COURSES_CASES = [
    ("training:catalogue", lambda w: [], "get", only(*SIGNED_IN)),
    ("training:course-list", lambda w: [], "get", only(*SIGNED_IN)),
    ("training:course-detail", _approved, "get", only(*SIGNED_IN)),
    ("training:course-detail", _submitted, "get", only("training_admin", *COUNCIL, other=MISSING)),
    ("training:course-edit", _approved, "get", only("training_admin")),
    (
        "training:course-edit",
        _submitted,
        "get",
        _with(only("training_admin", other=MISSING), council_officer=DENIED, council_admin=DENIED),
    ),
    ("training:course-review-queue", lambda w: [], "get", only(*COUNCIL)),
    ("training:course-review", _approved, "get", only(*COUNCIL)),
    ("training:course-review", _submitted, "get", _with(only(*COUNCIL, other=MISSING), training_admin=DENIED)),
    ("training:provider-courses", _training_org, "get", only("training_admin")),
    ("training:course-add", _training_org, "get", only("training_admin")),
]
