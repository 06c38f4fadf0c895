"""Every write of the self-assessments: the council's rounds and answers (audited), and providers' anonymous scores."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenetwork.assessment import permissions
from carenetwork.assessment.models import Answer, ProviderScore, QuestionSet, Round
from carenetwork.core import audit
from carenetwork.core.access import require


class RoundClosed(ValidationError):
    """The round is closed: its answers and scores no longer change."""

    def __init__(self):
        super().__init__(_("This round is closed: its answers can no longer be changed"))


@transaction.atomic
def round_start(*, actor, question_set: QuestionSet) -> Round:
    """Start a dated round of a question set; one round of a set is open at a time."""
    require(permissions.can_manage_assessments(actor))
    QuestionSet.objects.select_for_update().get(pk=question_set.pk)
    if question_set.rounds.filter(status=Round.Status.OPEN).exists():
        raise ValidationError(_("A round of this self-assessment is already open: finish it first"))
    obj = Round(question_set=question_set, date=timezone.localdate(), completed_by=actor)
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action="assessment_round.started", obj=obj)
    return obj


@transaction.atomic
def round_answers_save(*, actor, round: Round, answers: dict[int, dict]) -> Round:
    """Save the council's answers to an open round: {question id: {"answer" or "score", "note"}}."""
    require(permissions.can_manage_assessments(actor))
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
    require(permissions.can_manage_assessments(actor))
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
