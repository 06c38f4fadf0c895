"""Every write of the self-assessments: the questionnaires' versions (audited), the council's rounds and answers
(audited), providers' own checklists (private to them, so not in the audit trail) and their anonymous scores."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.assessment import permissions
from carenetwork.assessment.models import Answer, ProviderScore, Question, QuestionSet, Round
from carenetwork.core import audit
from carenetwork.core.access import require


class RoundClosed(ValidationError):
    """The round is closed: its answers and scores no longer change."""

    def __init__(self):
        super().__init__(_("This round is closed: its answers can no longer be changed"))


class QuestionSetMissing(ValidationError):
    """There is no such questionnaire (or no such question in it)."""

    def __init__(self):
        super().__init__(_("There is no such question"))


def _newest_locked(tool: str) -> QuestionSet:
    """The newest version of a tool's question set, locked: changes to the questions and new rounds of them queue."""
    # Lock the first version, a row that stays: locking the newest, a waiting change would get it back after another
    # had made a newer one. Read after the lock is held, the newest is the one the change before made.
    if QuestionSet.objects.select_for_update().filter(tool=tool).order_by("version").first() is None:
        raise QuestionSetMissing
    return QuestionSet.objects.filter(tool=tool).order_by("-version").first()


@transaction.atomic
def round_start(*, actor, question_set: QuestionSet) -> Round:
    """Start a dated round of the newest version of the question set's tool; one round of a tool is open at a time."""
    require(permissions.can_manage_assessments(actor))
    question_set = _newest_locked(question_set.tool)
    if question_set.for_providers:
        raise ValidationError(_("Providers complete this checklist for themselves"))
    if Round.objects.filter(question_set__tool=question_set.tool, organisation=None, status=Round.Status.OPEN).exists():
        raise ValidationError(_("A round of this self-assessment is already open: finish it first"))
    obj = Round(question_set=question_set, date=timezone.localdate(), completed_by=actor)
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action="assessment_round.started", obj=obj)
    return obj


@transaction.atomic
def round_answers_save(*, actor, round: Round, answers: dict[int, dict]) -> Round:
    """Save the council's answers to an open round: {question id: {"answer" or "score", "note"}}."""
    require(permissions.can_manage_assessments(actor) and round.organisation_id is None)
    round = Round.objects.select_for_update().select_related("question_set").get(pk=round.pk)
    if not round.is_open:
        raise RoundClosed
    scored = round.question_set.scored
    existing = {a.question_id: a for a in round.answers.all()}
    changes = {}
    for question in round.question_set.questions.all():
        data = answers.get(question.pk)
        if data is None:
            continue
        obj = existing.get(question.pk) or Answer(round=round, question=question)
        before = (obj.answer, obj.score, obj.note)
        if scored:
            obj.score = data.get("score")
        else:
            obj.answer = data.get("answer") or ""
        obj.note = data.get("note") or ""
        if (obj.answer, obj.score, obj.note) == before and obj.pk:
            continue
        obj.full_clean()
        obj.save()
        changes[str(question.order)] = [list(before), [obj.answer, obj.score, obj.note]]
    round.completed_by = actor
    round.save(update_fields=["completed_by", "modified_at"])
    audit.record(actor=actor, action="assessment_round.answered", obj=round, changes=changes)
    return round


@transaction.atomic
def round_close(*, actor, round: Round) -> Round:
    """Close a round: its answers are kept as they are and providers can no longer change their scores."""
    require(permissions.can_manage_assessments(actor) and round.organisation_id is None)
    round = Round.objects.select_for_update().get(pk=round.pk)
    if not round.is_open:
        raise RoundClosed
    round.status = Round.Status.CLOSED
    round.closed_on = timezone.localdate()
    round.full_clean()
    round.save()
    audit.record(actor=actor, action="assessment_round.closed", obj=round)
    return round


@transaction.atomic
def provider_scores_save(*, actor, round: Round, scores: dict[int, dict]) -> int:
    """Save the person's provider's scores of the engagement methods ({question id: {"score", "comment"}}); a method
    left unscored takes back any earlier score. Returns how many methods the provider has scored."""
    organisation = permissions.scoring_organisation(actor)
    require(organisation is not None)
    round = Round.objects.select_for_update().select_related("question_set").get(pk=round.pk)
    if not round.is_open or round.question_set.tool != QuestionSet.Tool.ENGAGEMENT:
        raise RoundClosed
    existing = {s.question_id: s for s in round.provider_scores.filter(organisation=organisation)}
    errors = {}
    for question in round.question_set.questions.all():
        data = scores.get(question.pk) or {}
        score, comment = data.get("score"), (data.get("comment") or "").strip()
        if score is None:
            if comment:
                errors[f"comment_{question.pk}"] = _("Give a score for %(method)s to add a comment") % {
                    "method": question.text
                }
            elif question.pk in existing:
                existing.pop(question.pk).delete()
            continue
        obj = existing.get(question.pk) or ProviderScore(round=round, question=question, organisation=organisation)
        obj.score, obj.comment = score, comment
        obj.full_clean()
        obj.save()
        existing[question.pk] = obj
    if errors:
        raise ValidationError(errors)
    # Anonymous: the trail says that a provider's scores changed, not whose (no actor, no organisation).
    audit.record(actor=None, action="assessment_provider_scores.saved", obj=round, label=str(round))
    return len(existing)


@transaction.atomic
def checklist_save(*, actor, answers: dict[int, dict]) -> Round:
    """Save the person's provider's check against the market position statement (tool 2), dated today: a new round,
    or today's again if there is one. Private to the provider: the audit trail, which the council reads, leaves it
    out."""
    organisation = permissions.checklist_organisation(actor)
    require(organisation is not None)
    question_set = _newest_locked(QuestionSet.Tool.MPS)
    today = timezone.localdate()
    round = Round.objects.filter(question_set=question_set, organisation=organisation, date=today).first() or Round(
        question_set=question_set, organisation=organisation, date=today, status=Round.Status.CLOSED, closed_on=today
    )
    round.completed_by = actor
    round.full_clean()
    round.save()
    existing = {a.question_id: a for a in round.answers.all()}
    for question in question_set.questions.all():
        data = answers.get(question.pk) or {}
        obj = existing.get(question.pk) or Answer(round=round, question=question)
        obj.answer, obj.note = data.get("answer") or "", (data.get("note") or "").strip()
        obj.full_clean(validate_constraints=False)
        obj.save()
    return round


# Changing the questionnaires. A version a round has used never changes: the first change after a round makes the
# next version (the questions copied with their keys); later changes go into that version until a round uses it.


@dataclass(frozen=True)
class Draft:
    """A question as it will be worded; a new question has no key until it is saved."""

    key: int | None
    text: str
    help: str = ""


Edit = Callable[[str, str, list[Draft]], tuple[str, str, list[Draft]]]


@transaction.atomic
def _questions_save(*, actor, tool: str, edit: Edit) -> QuestionSet:
    """Apply `edit` to the newest version's (title, introduction, questions): in place while no round has used that
    version, otherwise as the next version. Nothing changes when the edit changes nothing."""
    require(permissions.can_change_questions(actor))
    newest = _newest_locked(tool)
    before = [Draft(q.key, q.text, q.help) for q in newest.questions.all()]
    title, intro, after = edit(newest.title, newest.intro, list(before))
    title, intro = title.strip(), intro.strip()
    after = [replace(d, text=d.text.strip(), help=d.help.strip()) for d in after]
    if (title, intro, after) == (newest.title, newest.intro, before):
        return newest
    if not after:
        raise ValidationError(_("A questionnaire needs at least one question"))
    changes = _changes(newest, before, title, intro, after)
    next_key = Question.objects.filter(question_set__tool=tool).aggregate(n=Max("key"))["n"] or 0
    target = newest
    if newest.rounds.exists():
        target = QuestionSet(tool=tool, version=newest.version + 1, kind=newest.kind)
        changes["version"] = [newest.version, target.version]
    target.title, target.intro = title, intro
    target.full_clean(validate_constraints=False)
    target.save()
    target.questions.all().delete()  # an unused version's questions have no answers
    questions = []
    for order, draft in enumerate(after, start=1):
        if draft.key is None:
            next_key += 1
        question = Question(
            question_set=target, key=draft.key or next_key, order=order, text=draft.text, help=draft.help
        )
        question.full_clean(validate_constraints=False)
        questions.append(question)
    Question.objects.bulk_create(questions)
    audit.record(actor=actor, action="assessment_questions.changed", obj=target, changes=changes)
    return target


def _changes(newest: QuestionSet, before: list[Draft], title: str, intro: str, after: list[Draft]) -> dict:
    """What the edit changed, for the audit trail: title, introduction, each question's wording by key, the order."""
    changes = {}
    if title != newest.title:
        changes["title"] = [newest.title, title]
    if intro != newest.intro:
        changes["intro"] = [newest.intro, intro]
    old = {d.key: (d.text, d.help) for d in before}
    for draft in after:
        if old.get(draft.key) != (draft.text, draft.help):
            changes[f"question {draft.key or 'new'}"] = [old.get(draft.key, [None])[0], draft.text]
    for key in old.keys() - {d.key for d in after}:
        changes[f"question {key}"] = [old[key][0], None]
    kept = [d.key for d in after if d.key in old]
    if kept != [d.key for d in before if d.key in kept]:
        changes["order"] = [[d.key for d in before], kept]
    return changes


def _with_question(key: int, drafts: list[Draft]) -> int:
    """The place of the question with this key (a question changed or removed meanwhile is missing)."""
    for i, draft in enumerate(drafts):
        if draft.key == key:
            return i
    raise QuestionSetMissing


def _worded(text: str, field: str = "text", message: str | None = None) -> str:
    """The text, unless it is blank (checked inside the edit, so only once the person may change questions)."""
    if not text.strip():
        raise ValidationError({field: message or _("Enter the question")})
    return text


def question_set_details_save(*, actor, tool: str, title: str, intro: str) -> QuestionSet:
    """Change a questionnaire's title and introduction."""
    return _questions_save(
        actor=actor, tool=tool, edit=lambda _t, _i, drafts: (_worded(title, "title", _("Enter a title")), intro, drafts)
    )


def _placed(drafts: list[Draft], draft: Draft, position: int | None) -> list[Draft]:
    """The questions with `draft` put at `position` (1 for the first; None for the end)."""
    at = len(drafts) if position is None else max(0, min(len(drafts), position - 1))
    return [*drafts[:at], draft, *drafts[at:]]


def question_add(*, actor, tool: str, text: str, help: str = "", position: int | None = None) -> QuestionSet:
    """Add a question to a questionnaire, at the end or at a position."""
    return _questions_save(
        actor=actor,
        tool=tool,
        edit=lambda t, i, drafts: (t, i, _placed(drafts, Draft(None, _worded(text), help), position)),
    )


def question_change(
    *, actor, tool: str, key: int, text: str, help: str = "", position: int | None = None
) -> QuestionSet:
    """Reword a question or move it to another position; it keeps its key, so the trend shows its answers before and
    after on one row."""

    def edit(title, intro, drafts):
        i = _with_question(key, drafts)
        del drafts[i]
        return title, intro, _placed(drafts, Draft(key, _worded(text), help), i + 1 if position is None else position)

    return _questions_save(actor=actor, tool=tool, edit=edit)


def question_remove(*, actor, tool: str, key: int) -> QuestionSet:
    """Take a question out of the questionnaire from now on; earlier rounds keep it and their answers to it."""

    def edit(title, intro, drafts):
        del drafts[_with_question(key, drafts)]
        return title, intro, drafts

    return _questions_save(actor=actor, tool=tool, edit=edit)
