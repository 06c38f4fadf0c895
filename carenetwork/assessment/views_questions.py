"""Council administrators change a questionnaire: its title and introduction, and its questions (add, reword, move,
remove). A version a round has used never changes: the first change after a round makes the next version, which the
next round uses; later changes go into that version until a round uses it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenetwork.assessment import permissions, selectors, services
from carenetwork.assessment.forms import DetailsForm, QuestionForm
from carenetwork.assessment.models import QuestionSet
from carenetwork.core.access import require
from carenetwork.core.forms_errors import submitted


def _newest(request, tool: str) -> QuestionSet:
    require(permissions.can_change_questions(request.user))
    return selectors.question_set_current(tool=tool)


def _saved(request, before: QuestionSet, after: QuestionSet):
    """Say which version the change went into, and go back to the questions."""
    if after.version != before.version:
        messages.success(
            request,
            _("Saved as version %(n)s. Rounds already completed keep the questions they were asked.")
            % {"n": after.version},
        )
    else:
        messages.success(request, _("Version %(n)s has been changed") % {"n": after.version})
    return redirect("assessment:questions", tool=after.tool)


@login_required
def questions(request, tool: str):
    """The newest version's title, introduction and questions, each with a way to change it (council
    administrators)."""
    question_set = _newest(request, tool)
    return render(
        request,
        "assessment/questions.html",
        {
            "question_set": question_set,
            "questions": list(question_set.questions.all()),
            "used": selectors.question_set_used(question_set),
            "open_round": selectors.open_round_for(user=request.user, tool=tool),
        },
    )


@login_required
def questions_details(request, tool: str):
    """Change the questionnaire's title and introduction (council administrators)."""
    question_set = _newest(request, tool)
    form = DetailsForm(
        request.POST if request.method == "POST" else None,
        initial={"title": question_set.title, "intro": question_set.intro},
    )
    saved = submitted(
        request,
        form,
        lambda data: services.question_set_details_save(
            actor=request.user, tool=tool, title=data["title"], intro=data["intro"]
        ),
    )
    if saved:
        return _saved(request, question_set, saved)
    return render(
        request,
        "assessment/question_form.html",
        {"question_set": question_set, "form": form, "heading": _("Change the title and introduction")},
    )


@login_required
def question_add(request, tool: str):
    """Add a question, at the end or at a chosen position (council administrators)."""
    question_set = _newest(request, tool)
    places = question_set.questions.count() + 1
    form = QuestionForm(request.POST if request.method == "POST" else None, places=places, initial={"position": places})
    saved = submitted(
        request,
        form,
        lambda data: services.question_add(
            actor=request.user, tool=tool, text=data["text"], help=data["help"], position=data["position"]
        ),
    )
    if saved:
        return _saved(request, question_set, saved)
    return render(
        request,
        "assessment/question_form.html",
        {"question_set": question_set, "form": form, "heading": _("Add a question")},
    )


@login_required
def question_change(request, tool: str, key: int):
    """Reword a question or move it (council administrators). It keeps its place in the trend."""
    question_set = _newest(request, tool)
    question = selectors.question_get_for(user=request.user, question_set=question_set, key=key)
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        places=question_set.questions.count(),
        initial={"text": question.text, "help": question.help, "position": question.order},
    )
    saved = submitted(
        request,
        form,
        lambda data: services.question_change(
            actor=request.user, tool=tool, key=key, text=data["text"], help=data["help"], position=data["position"]
        ),
    )
    if saved:
        return _saved(request, question_set, saved)
    return render(
        request,
        "assessment/question_form.html",
        {
            "question_set": question_set,
            "form": form,
            "heading": _("Change question %(n)s") % {"n": question.order},
            "rewording": True,
        },
    )


@login_required
def question_remove(request, tool: str, key: int):
    """Ask, then take a question out from the next round on; earlier rounds keep it (council administrators)."""
    question_set = _newest(request, tool)
    question = selectors.question_get_for(user=request.user, question_set=question_set, key=key)
    if request.method == "POST":
        try:
            return _saved(request, question_set, services.question_remove(actor=request.user, tool=tool, key=key))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessment:questions", tool=tool)
    return render(request, "assessment/question_remove.html", {"question_set": question_set, "question": question})
