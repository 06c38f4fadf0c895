"""Authorisation matrix rows for the self-assessment pages (see tests/test_authorisation_matrix.py).

Council staff start, answer and close rounds and read the trend and providers' scores; members and admins of a care
provider score the council's engagement (an empty POST is a valid "no scores" and redirects). Everyone else is
refused, and anonymous people are sent to sign in.
"""

from tests.matrix_roles import REDIRECT, only

COUNCIL = only("council_officer", "council_admin")
PROVIDERS = ("provider_member", "provider_admin", "other_admin")

ASSESSMENT_CASES = [
    ("assessment:index", lambda w: [], "get", COUNCIL),
    ("assessment:tool", lambda w: ["tool-4"], "get", COUNCIL),
    ("assessment:tool", lambda w: ["tool-1"], "get", COUNCIL),
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
