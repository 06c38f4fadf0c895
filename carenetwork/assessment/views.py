"""The self-assessment pages: council staff answer the toolkit's questionnaires in dated rounds and read how the
answers changed and how providers score them; providers score the council's engagement, anonymously, and complete
their own checklist on the market position statement, which only they see. Changing the questions is in
views_questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.assessment import permissions, selectors, services
from carenetwork.assessment.forms import AnswersForm, ScoresForm
from carenetwork.assessment.models import QuestionSet
from carenetwork.assessment.scores import MIN_PROVIDERS
from carenetwork.core.access import require
from carenetwork.core.forms_errors import submitted


@login_required
def index(request):
    """The toolkit's self-assessments, each with its rounds (council staff); for providers' people, their own
    checklist and, while the council asks, scoring its engagement."""
    if permissions.can_complete_checklist(request.user) and not permissions.can_manage_assessments(request.user):
        return render(request, "assessment/index_provider.html", {"scoring": selectors.scoring_round() is not None})
    sets = selectors.question_set_list_for(user=request.user)
    return render(request, "assessment/index.html", {"sets": sets})


@login_required
def tool_page(request, tool: str):
    """One self-assessment: its rounds, how each answer changed, for tool 4 the gap between the council's own scores
    and providers', and its versions (council staff). For tool 2, providers' own checklist, only its questions and
    how many providers have completed it."""
    require(permissions.can_manage_assessments(request.user))
    question_set = selectors.question_set_current(tool=tool)
    context = {
        "question_set": question_set,
        "versions": selectors.version_list_for(user=request.user, tool=tool),
        "can_change": permissions.can_change_questions(request.user),
        "min_providers": MIN_PROVIDERS,
    }
    if question_set.for_providers:
        context["completed"] = selectors.checklist_completed_count()
        return render(request, "assessment/tool.html", context)
    rounds, trend = selectors.trend_for(user=request.user, question_set=question_set)
    latest = rounds[-1] if rounds else None
    gap = None
    if question_set.tool == QuestionSet.Tool.ENGAGEMENT and latest:
        gap = selectors.gap_for(user=request.user, round=latest)
    context.update(
        rounds=rounds,
        trend=trend,
        latest=latest,
        open_round=next((r for r in rounds if r.is_open), None),
        gap=gap,
    )
    return render(request, "assessment/tool.html", context)


@login_required
@require_POST
def round_new(request, tool: str):
    """Start a dated round of a self-assessment (council staff)."""
    require(permissions.can_manage_assessments(request.user))
    question_set = selectors.question_set_current(tool=tool)
    try:
        started = services.round_start(actor=request.user, question_set=question_set)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment:tool", tool=tool)
    return redirect("assessment:round", pk=started.pk)


@login_required
def round_page(request, pk: int):
    """A round on one page: the form while it is open, its answers once closed (council staff)."""
    round = selectors.round_get_for(user=request.user, pk=pk)
    answers = selectors.answers_for(round)
    if not round.is_open:
        rows = [(q, answers.get(q.pk)) for q in round.question_set.questions.all()]
        return render(request, "assessment/round_closed.html", {"round": round, "rows": rows})
    form = AnswersForm(
        request.POST if request.method == "POST" else None, question_set=round.question_set, answers=answers
    )
    saved = submitted(
        request, form, lambda data: services.round_answers_save(actor=request.user, round=round, answers=form.answers())
    )
    if saved:
        messages.success(request, _("Your answers have been saved"))
        return redirect("assessment:tool", tool=round.question_set.tool)
    return render(request, "assessment/round_edit.html", {"round": round, "form": form})


@login_required
@require_POST
def round_close(request, pk: int):
    """Close a round: its answers are kept as they are, and providers' scoring of it ends (council staff)."""
    round = selectors.round_get_for(user=request.user, pk=pk)
    try:
        services.round_close(actor=request.user, round=round)
        messages.success(request, _("The round has been closed"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assessment:tool", tool=round.question_set.tool)


@login_required
def score_council(request):
    """A provider scores the council's engagement methods 0–5, anonymously, and may change its scores until the
    round closes; it sees only its own scores."""
    require(permissions.can_score_council(request.user))
    round = selectors.scoring_round()
    if round is None:
        return render(request, "assessment/score_none.html", {})
    own = selectors.own_scores_for(user=request.user, round=round)
    form = ScoresForm(
        request.POST if request.method == "POST" else None, questions=round.question_set.questions.all(), own=own
    )
    saved = submitted(
        request, form, lambda data: services.provider_scores_save(actor=request.user, round=round, scores=form.scores())
    )
    if saved is not None:
        messages.success(request, _("Your scores have been saved. You can change them until the round closes"))
        return redirect("assessment:score")
    return render(
        request,
        "assessment/score.html",
        {"round": round, "form": form, "answered": bool(own), "min_providers": MIN_PROVIDERS},
    )


@login_required
def checklist(request):
    """The provider's own checks against the market position statement: how each answer changed, and a way to check
    again (providers' admins and members; no one else sees them)."""
    require(permissions.can_complete_checklist(request.user))
    question_set = selectors.question_set_current(tool=QuestionSet.Tool.MPS)
    rounds, trend = selectors.checklist_rounds_for(user=request.user)
    return render(
        request,
        "assessment/checklist.html",
        {
            "question_set": question_set,
            "provider": permissions.checklist_organisation(request.user),
            "rounds": rounds,
            "trend": trend,
        },
    )


@login_required
def checklist_new(request):
    """Complete the checklist, starting from the provider's last answers; saved as today's check."""
    require(permissions.can_complete_checklist(request.user))
    question_set = selectors.question_set_current(tool=QuestionSet.Tool.MPS)
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        question_set=question_set,
        answers=selectors.checklist_answers_for(user=request.user, question_set=question_set),
    )
    # Questions are named by id, and a change of questions makes new ones: answers to the old would be lost.
    asked = ",".join(name.removeprefix("answer_") for name in form.fields if name.startswith("answer_"))
    changed = request.method == "POST" and request.POST.get("asked") != asked
    if changed and form.is_valid():
        form.add_error(None, _("The questions changed while you were answering: check your answers and save again"))
    saved = (
        None
        if changed
        else submitted(request, form, lambda data: services.checklist_save(actor=request.user, answers=form.answers()))
    )
    if saved:
        messages.success(request, _("Your checklist has been saved"))
        return redirect("assessment:checklist")
    return render(
        request,
        "assessment/checklist_edit.html",
        {
            "question_set": question_set,
            "form": form,
            "asked": asked,
            "provider": permissions.checklist_organisation(request.user),
        },
    )


@login_required
def checklist_round(request, pk: int):
    """One of the provider's earlier checks, as it was saved (404 for another provider's)."""
    round = selectors.checklist_round_get_for(user=request.user, pk=pk)
    answers = selectors.answers_for(round)
    rows = [(q, answers.get(q.pk)) for q in round.question_set.questions.all()]
    return render(request, "assessment/checklist_round.html", {"round": round, "rows": rows})
