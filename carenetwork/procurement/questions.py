"""Clarification questions, answered to all.

A supplier organisation's admin or member asks a question on an open opportunity, up to and including its questions
deadline; the council's mailbox and administrators are told that a question waits. Council staff answer it (and may
reword the question so that nothing in it says who asked); the question and answer are then published on the
opportunity and emailed to every organisation that registered interest, and to the asking organisation, without
saying who asked. Answering again is a correction, sent again as one. Only council staff ever learn who asked, and
only on the list of questions waiting for an answer.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carenetwork.core import audit
from carenetwork.core.access import PAGE_SIZE, require
from carenetwork.core.email import absolute_url, send_templated
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.selectors import organisation_recipients
from carenetwork.procurement import permissions
from carenetwork.procurement.models import Interest, Opportunity, Question

QUESTION_FIELDS = ["text", "answer"]


def questions_closed_reason(opportunity: Opportunity, *, today=None) -> str:
    """Why the opportunity takes no questions now, or "" while it does: open, up to and including its questions
    deadline (or, without one, its tender deadline)."""
    if opportunity.status != Opportunity.Status.OPEN:
        return _("This opportunity is %(status)s, so it is not taking questions.") % {
            "status": opportunity.get_status_display().lower()
        }
    today = today or timezone.localdate()
    if opportunity.questions_deadline:
        if today > opportunity.questions_deadline:
            return _("The deadline for questions was %(date)s. The council is not taking more questions on it.") % {
                "date": formats.date_format(opportunity.questions_deadline, "j F Y")
            }
    elif opportunity.tender_deadline and today > opportunity.tender_deadline:
        return _("The tender deadline was %(date)s, so the council is not taking more questions on it.") % {
            "date": formats.date_format(opportunity.tender_deadline, "j F Y")
        }
    return ""


# Selectors -------------------------------------------------------------------------------------------------------


def opportunity_get_for(*, user, pk: int) -> Opportunity:
    """An opportunity this person may see: a draft is known only to council staff (404 for anyone else)."""
    opportunity = get_object_or_404(Opportunity, pk=pk)
    if not permissions.can_view(user, opportunity):
        raise Http404
    return opportunity


LATEST_SHOWN = 5  # answered questions shown on the opportunity's own page; the rest are on its questions page


def _answered(user, opportunity: Opportunity) -> QuerySet[Question] | None:
    """An opportunity's answered questions in the order asked, or None for someone who may not read them."""
    if not permissions.can_read_clarifications(user):
        return None
    return (
        Question.objects.filter(opportunity=opportunity, answered_at__isnull=False)
        .only("pk", "opportunity_id", "organisation_id", "text", "answer", "answered_at")
        .order_by("pk")
    )


def _marked(user, found: list[Question], *, first_number: int) -> list[Question]:
    """Number the questions in the order asked and say what the reader may do with each. Nothing here says who
    asked: for a supplier, `yours` marks their own organisation's questions; for council staff, `can_correct`
    offers a correction."""
    manage = permissions.can_manage(user)
    own = {o.pk for o in permissions.supplier_organisations(user)}
    for number, question in enumerate(found, start=first_number):
        question.number = number
        question.can_correct = manage
        question.yours = not manage and question.organisation_id in own
    return found


def answered_page_for(*, user, opportunity: Opportunity, page=None) -> Page | None:
    """One page of the answered questions in the order asked, numbered, or None for someone who may not read them."""
    found = _answered(user, opportunity)
    if found is None:
        return None
    shown = Paginator(found, PAGE_SIZE).get_page(page)
    shown.object_list = _marked(user, list(shown.object_list), first_number=shown.start_index())
    return shown


def answered_page_number(question: Question) -> int:
    """Which page of its opportunity's questions page an answered question is on."""
    before = Question.objects.filter(
        opportunity_id=question.opportunity_id, answered_at__isnull=False, pk__lt=question.pk
    ).count()
    return before // PAGE_SIZE + 1


def clarifications_context(*, user, opportunity: Opportunity) -> dict:
    """What procurement/_questions.html needs on an opportunity's page: the latest `answered_questions` (None for
    someone who may not read them), how many there are in all (`answered_count`), and `can_ask`."""
    found = _answered(user, opportunity)
    latest, count = None, 0
    if found is not None:
        count = found.count()
        latest = list(found.reverse()[:LATEST_SHOWN])[::-1]
        latest = _marked(user, latest, first_number=count - len(latest) + 1)
    return {
        "answered_questions": latest,
        "answered_count": count,
        "can_ask": permissions.can_take_part(user) and not questions_closed_reason(opportunity),
    }


def waiting_list_for(*, user, opportunity: Opportunity) -> list[Question]:
    """The questions the person's own organisations asked on an opportunity that wait for an answer."""
    own = [o.pk for o in permissions.supplier_organisations(user)]
    if not own:
        return []
    return list(
        Question.objects.filter(opportunity=opportunity, organisation_id__in=own, answered_at__isnull=True).order_by(
            "pk"
        )
    )


def waiting_for_answer() -> QuerySet[Question]:
    """Questions not yet answered on an opportunity not yet decided (open, or closed and awaiting the award)."""
    return Question.objects.filter(
        answered_at__isnull=True, opportunity__status__in=[Opportunity.Status.OPEN, Opportunity.Status.CLOSED]
    )


def unanswered_list_for(*, user) -> QuerySet[Question]:
    """Every question waiting for an answer, oldest first, with who asked: council staff."""
    require(permissions.can_manage(user))
    return waiting_for_answer().select_related("opportunity", "organisation").order_by("created_at", "pk")


def question_get_for(*, user, pk: int) -> Question:
    """One question with its opportunity, for council staff to answer."""
    require(permissions.can_manage(user))
    return get_object_or_404(Question.objects.select_related("opportunity"), pk=pk)


def council_recipients() -> list[str]:
    """Where the council hears of a waiting question: each council organisation's administrators and mailbox."""
    addresses = set()
    for council in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, is_active=True):
        addresses.update(organisation_recipients(council))
    return sorted(addresses)


def answer_organisations(question: Question) -> QuerySet[Organisation]:
    """Who is sent an answer: every organisation interested in the opportunity, and the one that asked."""
    interested = Interest.objects.filter(opportunity_id=question.opportunity_id).values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=interested) | Q(pk=question.organisation_id), is_active=True).order_by(
        "name", "pk"
    )


# Services --------------------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(*, actor, opportunity: Opportunity, text: str, organisation: Organisation | None = None) -> Question:
    """Ask a question for one of the person's supplier organisations while the opportunity takes questions."""
    require(permissions.can_take_part(actor))
    asking = permissions.acting_organisation(actor, organisation.pk if organisation else None)
    if asking is None:
        raise ValidationError({"organisation": _("Choose one of your organisations")})
    # Lock the opportunity so that it cannot close between the check and the question being saved.
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    closed = questions_closed_reason(opportunity)
    if closed:
        raise ValidationError(closed)
    question = Question(opportunity=opportunity, organisation=asking, asked_by=actor, text=(text or "").strip())
    question.full_clean()
    question.save()
    audit.record(
        actor=actor,
        action="question.asked",
        obj=question,
        organisation=asking,
        label=_("A question on %(title)s") % {"title": opportunity.title},
    )
    send_templated(
        to=council_recipients(),
        template="procurement/email/question_asked",
        context={
            "opportunity": opportunity,
            "question_text": question.text,
            "url": absolute_url(reverse("procurement:answer", args=[question.pk])),
            "list_url": absolute_url(reverse("procurement:unanswered")),
        },
    )
    return question


@transaction.atomic
def question_answer(*, actor, question: Question, text: str, answer: str) -> Question:
    """Publish the answer (or a correction) with the question as reworded, and email it to every organisation
    interested and the asking one, without saying who asked; council staff only."""
    require(permissions.can_manage(actor))
    question = Question.objects.select_for_update(of=("self",)).select_related("opportunity").get(pk=question.pk)
    text, answer = (text or "").strip(), (answer or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Enter the question")
    if not answer:
        errors["answer"] = _("Enter the answer")
    if errors:
        raise ValidationError(errors)
    corrected = question.answered_at is not None
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.text, question.answer = text, answer
    question.answered_by, question.answered_at = actor, timezone.now()
    question.full_clean()
    question.save(update_fields=["text", "answer", "answered_by", "answered_at", "modified_at"])
    opportunity = question.opportunity
    audit.record(
        actor=actor,
        action="question.corrected" if corrected else "question.answered",
        obj=question,
        changes=audit.diff(before, audit.snapshot(question, QUESTION_FIELDS)),
        label=_("A question on %(title)s") % {"title": opportunity.title},
    )
    context = {
        "opportunity": opportunity,
        "question_text": question.text,
        "answer": question.answer,
        "corrected": corrected,
        "url": absolute_url(reverse("procurement:ask", args=[opportunity.pk]) + f"#question-{question.pk}"),
    }
    # One email per organisation, the same for each: nothing in it says which one asked.
    for organisation in answer_organisations(question):
        send_templated(
            to=organisation_recipients(organisation), template="procurement/email/question_answered", context=context
        )
    return question
