"""Authorisation matrix rows for clarification questions and the consortium finder (see
tests/test_authorisation_matrix.py).

Signed in, the admins and members of any organisation but the council (suppliers) and council staff read an
opportunity's questions and answers and its consortium posts; a draft's are known only to council staff (anyone else:
404). Suppliers ask questions, post their organisation's offer and message another organisation's post (never their
own organisation's: 403). Council staff alone see the questions waiting, with who asked, and answer them; they
neither ask, post nor send messages.
"""

from carenetwork.procurement.models import ConsortiumPost, Opportunity, Question
from tests.matrix_roles import DENIED, MISSING, SIGNED_IN, only
from tests.procurement.factories import opportunity_for

COUNCIL = ("council_officer", "council_admin")
SUPPLIERS = tuple(r for r in SIGNED_IN if r not in COUNCIL)
# Suppliers other than the provider, whose post the contact rows write to.
OTHER_SUPPLIERS = tuple(r for r in SUPPLIERS if r not in ("provider_member", "provider_admin"))


def opportunity_of(w):
    """An open opportunity with a waiting question and a consortium post, both the provider's (once per world)."""
    if not hasattr(w, "questions_opportunity"):
        w.questions_opportunity = opportunity_for(title="Home care: questions and consortia")
        w.question = Question.objects.create(
            opportunity=w.questions_opportunity, organisation=w.provider, text="Is travel time paid?"
        )
        w.consortium_post = ConsortiumPost.objects.create(
            opportunity=w.questions_opportunity,
            organisation=w.provider,
            offers="Home care in the north.",
            seeks="A partner in the south.",
        )
    return w.questions_opportunity


def question_of(w):
    opportunity_of(w)
    return w.question


def post_of(w):
    opportunity_of(w)
    return w.consortium_post


def draft_of(w):
    if not hasattr(w, "questions_draft"):
        w.questions_draft = opportunity_for(status=Opportunity.Status.DRAFT, title="A draft with questions")
    return w.questions_draft


QUESTIONS_CASES = [
    ("procurement:ask", lambda w: [opportunity_of(w).pk], "get", only(*SIGNED_IN)),
    # An empty POST: the form's errors for a supplier; council staff do not ask.
    ("procurement:ask", lambda w: [opportunity_of(w).pk], "post", only(*SUPPLIERS)),
    ("procurement:ask", lambda w: [draft_of(w).pk], "get", only(*COUNCIL, other=MISSING)),
    ("procurement:ask", lambda w: [draft_of(w).pk], "post", only(*COUNCIL, other=MISSING, status=DENIED)),
    ("procurement:unanswered", lambda w: [], "get", only(*COUNCIL)),
    ("procurement:answer", lambda w: [question_of(w).pk], "get", only(*COUNCIL)),
    # An empty POST: the form's errors.
    ("procurement:answer", lambda w: [question_of(w).pk], "post", only(*COUNCIL)),
    ("procurement:consortium", lambda w: [opportunity_of(w).pk], "get", only(*SIGNED_IN)),
    ("procurement:consortium", lambda w: [draft_of(w).pk], "get", only(*COUNCIL, other=MISSING)),
    ("procurement:consortium-post", lambda w: [opportunity_of(w).pk], "get", only(*SUPPLIERS)),
    # An empty POST: the form's errors.
    ("procurement:consortium-post", lambda w: [opportunity_of(w).pk], "post", only(*SUPPLIERS)),
    ("procurement:consortium-post", lambda w: [draft_of(w).pk], "get", only(*COUNCIL, other=MISSING, status=DENIED)),
    ("procurement:consortium-contact", lambda w: [post_of(w).pk], "get", only(*OTHER_SUPPLIERS)),
    # An empty POST: the form's errors; the provider's own people may not write to its post.
    ("procurement:consortium-contact", lambda w: [post_of(w).pk], "post", only(*OTHER_SUPPLIERS)),
]
