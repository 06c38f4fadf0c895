"""The demo borough's self-assessments: two rounds each of tools 1 and 4 (last year's closed, this year's open),
with providers' anonymous scores of the engagement methods in both (six providers last year, five so far this
year, the featured provider still to answer); and the featured provider's own two checks against the market position
statement (tool 2), six months apart."""

import datetime

from django.apps import apps

from carenetwork.assessment import toolkit
from carenetwork.assessment.models import Answer, ProviderScore, QuestionSet, Round

# The council's own scores per engagement method, last year and this year, and what it says needs doing.
OWN_SCORES = [(3, 4), (2, 3), (3, 4), (2, 2), (1, 2), (2, 3), (1, 1), (2, 3), (None, None)]
IMPROVE = "Ask providers what would help before the next round; publish notes after each session."
TOOL_1_ANSWERS = [
    ("no", "yes"),
    ("dont-know", "yes"),
    ("no", "no"),
    ("dont-know", "no"),
    ("yes", "yes"),
    ("no", "dont-know"),
    ("no", "yes"),
    ("dont-know", "yes"),
    ("yes", "yes"),
    ("yes", "yes"),
    ("no", "no"),
    ("no", "dont-know"),
]
COMMENTS = [
    "Meetings are at times when managers are on shift.",
    "Useful, but the agenda is set without us.",
    "",
    "We rarely hear back on what we raised.",
    "",
    "",
]


# The featured provider's answers to tool 2's four questions, six months ago and a fortnight ago, with its notes.
CHECKLIST = [
    (("yes", ""), ("yes", "")),
    (("no", "Ask the commissioning team for the link."), ("yes", "Saved in the shared drive; the JSNA too.")),
    (("no", ""), ("dont-know", "The provider forum sent comments; check whether ours were included.")),
    (("dont-know", ""), ("yes", "Discussed at the management meeting: extra care housing is the opportunity.")),
]


def build_assessment_demo(borough) -> None:
    """Two dated rounds of tools 1 and 4 with providers' scores, and the featured provider's two checks of tool 2
    (idempotent: each part only where it has no rounds yet)."""
    toolkit.seed(apps)
    if not Round.objects.filter(organisation=None).exists():
        _council_rounds(borough)
    featured = getattr(borough, "featured", None)
    if featured is not None and not Round.objects.filter(organisation=featured).exists():
        _checklist(featured, (getattr(borough, "people", None) or {}).get("provider_admin"))


def _checklist(provider, person) -> None:
    tool_2 = QuestionSet.objects.get(tool=QuestionSet.Tool.MPS, version=1)
    today = borough_today()
    rounds = [
        Round.objects.create(
            question_set=tool_2,
            organisation=provider,
            date=date,
            status=Round.Status.CLOSED,
            closed_on=date,
            completed_by=person,
        )
        for date in (today - datetime.timedelta(days=182), today - datetime.timedelta(days=14))
    ]
    Answer.objects.bulk_create(
        Answer(round=r, question=q, answer=answer, note=note)
        for q, pair in zip(tool_2.questions.all(), CHECKLIST, strict=True)
        for r, (answer, note) in zip(rounds, pair, strict=True)
    )


def _council_rounds(borough) -> None:
    today = borough_today()
    last_year, this_year = today - datetime.timedelta(days=365), today - datetime.timedelta(days=14)
    tool_1 = QuestionSet.objects.get(tool=QuestionSet.Tool.COSTS, version=1)
    tool_4 = QuestionSet.objects.get(tool=QuestionSet.Tool.ENGAGEMENT, version=1)
    officer = borough.officer
    rounds = {}
    for qs in (tool_1, tool_4):
        rounds[qs.tool] = (
            Round.objects.create(
                question_set=qs,
                date=last_year,
                status=Round.Status.CLOSED,
                closed_on=last_year + datetime.timedelta(days=42),
                completed_by=officer,
            ),
            Round.objects.create(question_set=qs, date=this_year, completed_by=officer),
        )
    answers = []
    for q, pair in zip(tool_1.questions.all(), TOOL_1_ANSWERS, strict=True):
        for r, value in zip(rounds[tool_1.tool], pair, strict=True):
            answers.append(Answer(round=r, question=q, answer=value))
    methods = list(tool_4.questions.all())
    for q, pair in zip(methods, OWN_SCORES, strict=True):
        for r, value in zip(rounds[tool_4.tool], pair, strict=True):
            answers.append(Answer(round=r, question=q, score=value, note=IMPROVE if value is not None else ""))
    Answer.objects.bulk_create(answers)

    providers = [p for p in borough.providers if p.pk != getattr(borough.featured, "pk", None)]
    scores = []
    for n, provider in enumerate(providers[:6]):
        for i, q in enumerate(methods[:-1]):
            own_last, own_now = OWN_SCORES[i]
            # Providers see the council less well than it sees itself, a little better this year than last.
            last = max(0, min(5, own_last - 2 + (n + i) % 3))
            scores.append(
                ProviderScore(
                    round=rounds[tool_4.tool][0],
                    question=q,
                    organisation=provider,
                    score=last,
                    comment=COMMENTS[n] if i == 0 else "",
                )
            )
            if n < 5:
                now = max(0, min(5, own_now - 1 + (n + i) % 3 - 1))
                scores.append(
                    ProviderScore(
                        round=rounds[tool_4.tool][1],
                        question=q,
                        organisation=provider,
                        score=now,
                        comment=COMMENTS[(n + 1) % 6] if i == 0 else "",
                    )
                )
    ProviderScore.objects.bulk_create(scores)


def borough_today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
