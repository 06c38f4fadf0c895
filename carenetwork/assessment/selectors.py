"""Every read of the self-assessments. Providers' scores leave here only as counts, means and unsigned comments, and
only for methods at least MIN_PROVIDERS providers have scored."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from carenetwork.assessment import permissions
from carenetwork.assessment.models import Answer, ProviderScore, Question, QuestionSet, Round
from carenetwork.assessment.scores import Summary, summarise
from carenetwork.core.access import require


def question_set_current(*, tool: str) -> QuestionSet:
    """The newest version of a tool's question set (404 for a tool we do not hold)."""
    found = QuestionSet.objects.filter(tool=tool).order_by("-version").first()
    if found is None:
        raise Http404
    return found


def question_set_list_for(*, user) -> list[QuestionSet]:
    """The newest version of each tool, with its rounds counted (council staff)."""
    require(permissions.can_manage_assessments(user))
    newest = {}
    for qs in QuestionSet.objects.annotate(round_count=Count("rounds")).order_by("tool", "-version"):
        newest.setdefault(qs.tool, qs)
    return list(newest.values())


def round_list_for(*, user, question_set: QuestionSet) -> list[Round]:
    """A question set's rounds, oldest first (council staff)."""
    require(permissions.can_manage_assessments(user))
    return list(question_set.rounds.select_related("completed_by").order_by("date", "pk"))


def round_get_for(*, user, pk: int) -> Round:
    """One round (council staff; 404 when there is none)."""
    require(permissions.can_manage_assessments(user))
    try:
        return Round.objects.select_related("question_set", "completed_by").get(pk=pk)
    except Round.DoesNotExist:
        raise Http404 from None


def answers_for(round: Round) -> dict[int, Answer]:
    """The round's answers by question id."""
    return {a.question_id: a for a in round.answers.all()}


def _summaries(rounds) -> dict[tuple[int, int], Summary]:
    """Providers' scores per (round id, question id), counted in the database in one query."""
    counts = defaultdict(dict)
    rows = (
        ProviderScore.objects.filter(round__in=rounds)
        .values("round_id", "question_id", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[(row["round_id"], row["question_id"])][row["score"]] = row["n"]
    return {key: summarise(value) for key, value in counts.items()}


@dataclass
class TrendRow:
    question: Question
    cells: list  # per round: (Answer or None, providers' Summary or None)


def trend_for(*, user, question_set: QuestionSet) -> tuple[list[Round], list[TrendRow]]:
    """How each answer or score changed across the set's rounds, with providers' mean beside each score (3 queries)."""
    rounds = round_list_for(user=user, question_set=question_set)
    answers = {(a.round_id, a.question_id): a for a in Answer.objects.filter(round__in=rounds)}
    summaries = _summaries(rounds) if question_set.scored else {}
    rows = [
        TrendRow(q, [(answers.get((r.pk, q.pk)), summaries.get((r.pk, q.pk))) for r in rounds])
        for q in question_set.questions.all()
    ]
    return rounds, rows


@dataclass
class GapRow:
    question: Question
    own: Answer | None
    providers: Summary
    comments: list[str]

    @property
    def gap(self):
        return self.providers.gap(self.own.score if self.own else None)


def gap_for(*, user, round: Round) -> list[GapRow]:
    """Per engagement method: the council's own score beside providers' distribution and mean, and their comments
    without who wrote them, for methods enough providers have scored (4 queries)."""
    require(permissions.can_manage_assessments(user))
    answers = answers_for(round)
    summaries = _summaries([round])
    comments = defaultdict(list)
    # Comments in the order of their text, not of when they came: the order must not point at anyone.
    for question_id, comment in (
        round.provider_scores.exclude(comment="")
        .order_by("question_id", "comment")
        .values_list("question_id", "comment")
    ):
        comments[question_id].append(comment)
    rows = []
    for q in round.question_set.questions.all():
        summary = summaries.get((round.pk, q.pk)) or summarise({})
        rows.append(GapRow(q, answers.get(q.pk), summary, comments[q.pk] if summary.shown else []))
    return rows


def scoring_round() -> Round | None:
    """The open round of the newest engagement self-assessment, which providers score; None when none is open."""
    return (
        Round.objects.filter(question_set__tool=QuestionSet.Tool.ENGAGEMENT, status=Round.Status.OPEN)
        .select_related("question_set")
        .order_by("-question_set__version")
        .first()
    )


def own_scores_for(*, user, round: Round) -> dict[int, ProviderScore]:
    """The person's own provider's scores in the round, by question id: never another provider's."""
    organisation = permissions.scoring_organisation(user)
    require(organisation is not None)
    return {s.question_id: s for s in round.provider_scores.filter(organisation=organisation)}


def has_scored(*, organisation, round: Round) -> bool:
    """Whether the provider has scored any method in the round."""
    return round.provider_scores.filter(organisation=organisation).exists()
