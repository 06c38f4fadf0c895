"""Authorisation matrix rows for the records settings pages (see tests/test_authorisation_matrix.py).

Training settings are for council administrators only: everyone else signed in gets 403, whatever the page.
`w.sector` is the provider's sector (residential care), which has the seeded mandatory training rules.
"""

from carenetwork.records.models import JobRole, MandatoryTraining, TrainingCategory
from tests.matrix_roles import REDIRECT, only

ADMIN = only("council_admin")


def _rule(w):
    return [w.sector.pk, MandatoryTraining.objects.filter(sector=w.sector).order_by("pk").first().pk]


SETTINGS_CASES = [
    ("records:settings", lambda w: [], "get", ADMIN),
    ("records:settings-categories", lambda w: [], "get", ADMIN),
    ("records:settings-category-add", lambda w: [], "get", ADMIN),
    ("records:settings-category-edit", lambda w: [TrainingCategory.objects.get(code=20).pk], "get", ADMIN),
    ("records:settings-job-roles", lambda w: [], "get", ADMIN),
    ("records:settings-job-role-add", lambda w: [], "get", ADMIN),
    ("records:settings-job-role-edit", lambda w: [JobRole.objects.get(code=8).pk], "get", ADMIN),
    ("records:settings-mandatory", lambda w: [w.sector.pk], "get", ADMIN),
    ("records:settings-mandatory-add", lambda w: [w.sector.pk], "get", ADMIN),
    ("records:settings-mandatory-remove", _rule, "get", ADMIN),
    ("records:settings-mandatory-remove", _rule, "post", only("council_admin", status=REDIRECT)),
    ("records:settings-retention", lambda w: [], "get", ADMIN),
]
