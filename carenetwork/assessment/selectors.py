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
    """The newest version of each tool (council staff), with `round_count`: the council's rounds of the tool in
    every version, or for tool 2 how many providers have completed it (three queries)."""
    require(permissions.can_manage_assessments(user))
    newest = {}
    for qs in QuestionSet.objects.order_by("tool", "-version"):
        newest.setdefault(qs.tool, qs)
    rows = Round.objects.filter(organisation=None).values("question_set__tool").annotate(n=Count("pk")).order_by()
    counts = {row["question_set__tool"]: row["n"] for row in rows}
    counts[QuestionSet.Tool.MPS] = checklist_completed_count()
    for qs in newest.values():
        qs.round_count = counts.get(qs.tool, 0)
    return list(newest.values())


def version_list_for(*, user, tool: str) -> list[QuestionSet]:
    """Every version of a tool, newest first, each with its questions and `round_count`, the rounds that used it
    (council staff; two queries)."""
    require(permissions.can_manage_assessments(user))
    return list(
        QuestionSet.objects.filter(tool=tool)
        .annotate(round_count=Count("rounds"))
        .prefetch_related("questions")
        .order_by("-version")
    )


def question_set_used(question_set: QuestionSet) -> bool:
    """Whether any round (the council's or a provider's) has used this version, which then never changes."""
    return question_set.rounds.exists()


def open_round_for(*, user, tool: str) -> Round | None:
    """The council's open round of a tool, whichever version it uses (council staff)."""
    require(permissions.can_manage_assessments(user))
    return (
        Round.objects.filter(question_set__tool=tool, organisation=None, status=Round.Status.OPEN)
        .select_related("question_set")
        .first()
    )


def question_get_for(*, user, question_set: QuestionSet, key: int) -> Question:
    """The question with this key in the version (council administrators; 404 when it has none)."""
    require(permissions.can_change_questions(user))
    try:
        return question_set.questions.get(key=key)
    except Question.DoesNotExist:
        raise Http404 from None


def round_list_for(*, user, tool: str) -> list[Round]:
    """The council's rounds of a tool in every version, oldest first (council staff)."""
    require(permissions.can_manage_assessments(user))
    return list(
        Round.objects.filter(question_set__tool=tool, organisation=None)
        .select_related("question_set", "completed_by")
        .order_by("date", "pk")
    )


def round_get_for(*, user, pk: int) -> Round:
    """One of the council's rounds (council staff; 404 when there is none, and for a provider's own checklist)."""
    require(permissions.can_manage_assessments(user))
    try:
        return Round.objects.select_related("question_set", "completed_by").get(pk=pk, organisation=None)
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
class Cell:
    """One question in one round: whether that round's version asked it, the answer, and providers' summary."""

    asked: bool
    answer: Answer | None = None
    providers: Summary | None = None


@dataclass
class TrendRow:
    question: Question  # in its newest wording
    current: bool  # whether the newest version still asks it
    cells: list[Cell]  # one per round


def _trend(rounds: list[Round], newest: QuestionSet, summaries: dict) -> list[TrendRow]:
    """Rows by question key, so a question reworded or moved in a later version stays on one row: the newest
    version's questions in its order, then questions taken out, newest first (2 queries)."""
    versions = {r.question_set_id for r in rounds} | {newest.pk}
    asked = defaultdict(dict)  # key -> {question set id: question}
    for q in Question.objects.filter(question_set__in=versions).select_related("question_set"):
        asked[q.key][q.question_set_id] = q
    answers = {(a.round_id, a.question_id): a for a in Answer.objects.filter(round__in=rounds)}

    wording = {key: max(by_set.values(), key=lambda q: q.question_set.version) for key, by_set in asked.items()}
    keys = sorted(asked, key=lambda k: (newest.pk not in asked[k], -wording[k].question_set.version, wording[k].order))
    rows = []
    for key in keys:
        cells = []
        for r in rounds:
            q = asked[key].get(r.question_set_id)
            cells.append(Cell(True, answers.get((r.pk, q.pk)), summaries.get((r.pk, q.pk))) if q else Cell(False))
        rows.append(TrendRow(wording[key], newest.pk in asked[key], cells))
    return rows


def trend_for(*, user, question_set: QuestionSet) -> tuple[list[Round], list[TrendRow]]:
    """How each answer or score changed across the council's rounds of the tool, whichever version each used, with
    providers' mean beside each score (4 queries)."""
    rounds = round_list_for(user=user, tool=question_set.tool)
    summaries = _summaries(rounds) if question_set.scored else {}
    return rounds, _trend(rounds, question_set, summaries)


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


def checklist_completed_count() -> int:
    """How many providers have completed their checklist on the market position statement: a count, never who."""
    return Round.objects.filter(question_set__tool=QuestionSet.Tool.MPS).values("organisation").distinct().count()


def checklist_rounds_for(*, user) -> tuple[list[Round], list[TrendRow]]:
    """The person's own provider's checks against the market position statement, oldest first, with how each answer
    changed: never another provider's (5 queries)."""
    organisation = permissions.checklist_organisation(user)
    require(organisation is not None)
    rounds = list(
        Round.objects.filter(question_set__tool=QuestionSet.Tool.MPS, organisation=organisation)
        .select_related("question_set", "completed_by")
        .order_by("date", "pk")
    )
    return rounds, _trend(rounds, question_set_current(tool=QuestionSet.Tool.MPS), {})


def checklist_round_get_for(*, user, pk: int) -> Round:
    """One of the person's own provider's checks (404 for anyone else's, which they may not know exists)."""
    organisation = permissions.checklist_organisation(user)
    require(organisation is not None)
    try:
        return Round.objects.select_related("question_set", "completed_by", "organisation").get(
            pk=pk, organisation=organisation, question_set__tool=QuestionSet.Tool.MPS
        )
    except Round.DoesNotExist:
        raise Http404 from None


def checklist_answers_for(*, user, question_set: QuestionSet) -> dict[int, Answer]:
    """The provider's latest answers, by the question ids of `question_set` (matched by key, so they carry into a
    new version): what the next check starts from."""
    organisation = permissions.checklist_organisation(user)
    require(organisation is not None)
    latest = (
        Round.objects.filter(question_set__tool=QuestionSet.Tool.MPS, organisation=organisation)
        .order_by("-date", "-pk")
        .first()
    )
    if latest is None:
        return {}
    by_key = {a.question.key: a for a in latest.answers.select_related("question")}
    return {q.pk: by_key[q.key] for q in question_set.questions.all() if q.key in by_key}
