"""Clarification questions: suppliers ask on an opportunity's questions page; council staff answer from the list of
questions waiting, and the answer goes to all without saying who asked (rules: questions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carenetwork.core.access import PAGE_SIZE, query_without_page, require
from carenetwork.core.forms_errors import submitted
from carenetwork.procurement import permissions, questions
from carenetwork.procurement.forms_questions import AnswerForm, QuestionForm


@login_required
def ask(request, pk: int):
    """An opportunity's questions: the answers published so far, the person's own waiting questions, and (for a
    supplier, while the opportunity takes questions) the form to ask one."""
    user = request.user
    opportunity = questions.opportunity_get_for(user=user, pk=pk)
    require(permissions.can_read_clarifications(user))
    closed = questions.questions_closed_reason(opportunity)
    supplier = permissions.can_take_part(user)
    form = None
    if request.method == "POST":
        require(supplier)
        if closed:
            messages.error(request, _("Your question was not sent. %(reason)s") % {"reason": closed})
            return redirect("procurement:ask", pk=opportunity.pk)
        form = QuestionForm(request.POST, organisations=permissions.supplier_organisations(user))
        saved = submitted(
            request,
            form,
            lambda data: questions.question_ask(
                actor=user, opportunity=opportunity, text=data["text"], organisation=data["organisation"]
            ),
        )
        if saved:
            messages.success(
                request,
                _("Your question has been sent to the council. Its answer will be published here and emailed to you"),
            )
            return redirect(reverse("procurement:ask", args=[opportunity.pk]) + "#waiting")
    elif supplier and not closed:
        form = QuestionForm(organisations=permissions.supplier_organisations(user))
    answered = questions.answered_page_for(user=user, opportunity=opportunity, page=request.GET.get("page"))
    return render(
        request,
        "procurement/questions_ask.html",
        {
            "opportunity": opportunity,
            "form": form,
            "closed": closed,
            "can_manage": permissions.can_manage(user),
            "answered": answered,
            "answered_questions": answered.object_list if answered else None,
            "query": query_without_page(request),
            "waiting": questions.waiting_list_for(user=user, opportunity=opportunity),
        },
    )


@login_required
def unanswered(request):
    """Council staff: every question waiting for an answer on an open opportunity, oldest first, with who asked."""
    found = questions.unanswered_list_for(user=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "procurement/questions_unanswered.html", {"page": page, "query": query_without_page(request)}
    )


@login_required
def answer(request, pk: int):
    """Council staff answer a question (or correct an answer), rewording it if it could show who asked."""
    question = questions.question_get_for(user=request.user, pk=pk)
    was_answered = question.answered_at is not None
    form = AnswerForm(request.POST if request.method == "POST" else None, question=question)
    saved = submitted(
        request,
        form,
        lambda data: questions.question_answer(
            actor=request.user, question=question, text=data["text"], answer=data["answer"]
        ),
    )
    if saved:
        if was_answered:
            messages.success(request, _("Your corrected answer has been published and emailed to everyone interested"))
            on_page = questions.answered_page_number(question)
            return redirect(
                reverse("procurement:ask", args=[question.opportunity_id]) + f"?page={on_page}#question-{question.pk}"
            )
        messages.success(request, _("Your answer has been published and emailed to everyone interested"))
        return redirect("procurement:unanswered")
    return render(
        request,
        "procurement/questions_answer.html",
        {"form": form, "question": question, "opportunity": question.opportunity, "was_answered": was_answered},
    )
