"""Authorisation matrix rows for the self-assessment pages (see tests/test_authorisation_matrix.py).

Council staff start, answer and close rounds and read the trend and providers' scores; council administrators alone
change the questions; members and admins of a care provider score the council's engagement (an empty POST is a valid
"no scores" and redirects) and complete their own checklist (tool 2), whose checks only their provider sees: another
provider gets 404 for one, the council 403. Everyone else is refused, and anonymous people are sent to sign in.
"""

from tests.matrix_roles import MISSING, REDIRECT, only

COUNCIL = only("council_officer", "council_admin")
PROVIDERS = ("provider_member", "provider_admin", "other_admin")
ADMIN = only("council_admin")

ASSESSMENT_CASES = [
    ("assessment:index", lambda w: [], "get", only("council_officer", "council_admin", *PROVIDERS)),
    ("assessment:tool", lambda w: ["tool-4"], "get", COUNCIL),
    ("assessment:tool", lambda w: ["tool-1"], "get", COUNCIL),
    ("assessment:tool", lambda w: ["tool-2"], "get", COUNCIL),
    ("assessment:questions", lambda w: ["tool-1"], "get", ADMIN),
    ("assessment:questions-details", lambda w: ["tool-1"], "get", ADMIN),
    # An empty form comes back with its errors.
    ("assessment:questions-details", lambda w: ["tool-1"], "post", ADMIN),
    ("assessment:question-add", lambda w: ["tool-4"], "get", ADMIN),
    ("assessment:question-change", lambda w: ["tool-1", 1], "get", ADMIN),
    ("assessment:question-remove", lambda w: ["tool-5", 2], "get", ADMIN),
    ("assessment:question-remove", lambda w: ["tool-5", 2], "post", only("council_admin", status=REDIRECT)),
    ("assessment:checklist", lambda w: [], "get", only(*PROVIDERS)),
    ("assessment:checklist-new", lambda w: [], "get", only(*PROVIDERS)),
    # An empty POST does not say which questions it answered, so the form is shown again (saving is tested in
    # tests/assessment/test_checklist.py).
    ("assessment:checklist-new", lambda w: [], "post", only(*PROVIDERS)),
    (
        "assessment:checklist-round",
        lambda w: [provider_check_for(w).pk],
        "get",
        {**only("provider_member", "provider_admin"), "other_admin": MISSING},
    ),
    # The world's tool 1 has no open round, so a new one starts.
    ("assessment:round-new", lambda w: ["tool-1"], "post", only("council_officer", "council_admin", status=REDIRECT)),
    ("assessment:round", lambda w: [open_round_for(w).pk], "get", COUNCIL),
    (
        "assessment:round",
        lambda w: [open_round_for(w).pk],
        "post",
        only("council_officer", "council_admin", status=REDIRECT),
    ),
    (
        "assessment:round-close",
        lambda w: [open_round_for(w).pk],
        "post",
        only("council_officer", "council_admin", status=REDIRECT),
    ),
    ("assessment:score", lambda w: no_args_with_open_round(w), "get", only(*PROVIDERS)),
    ("assessment:score", lambda w: no_args_with_open_round(w), "post", only(*PROVIDERS, status=REDIRECT)),
]


def open_round_for(w):
    """An open round of tool 4 (made once per world)."""
    if not hasattr(w, "assessment_round"):
        from carenetwork.assessment.models import QuestionSet, Round

        w.assessment_round = Round.objects.create(
            question_set=QuestionSet.objects.get(tool="tool-4", version=1), date="2026-11-01"
        )
    return w.assessment_round


def no_args_with_open_round(w):
    open_round_for(w)
    return []


def provider_check_for(w):
    """The provider's own check of tool 2 (made once per world)."""
    if not hasattr(w, "assessment_check"):
        from carenetwork.assessment.models import QuestionSet, Round

        w.assessment_check = Round.objects.create(
            question_set=QuestionSet.objects.get(tool="tool-2", version=1),
            organisation=w.provider,
            date="2026-11-01",
            status=Round.Status.CLOSED,
        )
    return w.assessment_check
