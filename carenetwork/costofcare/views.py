"""The fair cost of care pages: the home care and care home calculators and saved calculations (a provider's admins
and members), the dated assumption sets (council administrators) and the submitted returns as quartiles (council
staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import PAGE_SIZE, id_param, require
from carenetwork.core.forms_errors import apply_errors, submitted
from carenetwork.costofcare import permissions, selectors, services
from carenetwork.costofcare.calculators import CareHomeInputs, CostInputError, HomeCareInputs
from carenetwork.costofcare.forms import AssumptionSetForm, CareHomeForm, HomeCareForm
from carenetwork.costofcare.inputs import care_home_category, care_home_from_json, home_care_from_json
from carenetwork.costofcare.models import AssumptionSet, CostCalculation


def _home_care_initial(calculation) -> dict:
    if calculation is None:
        return HomeCareForm.initial_from(HomeCareInputs(), None)
    return HomeCareForm.initial_from(home_care_from_json(calculation.inputs), calculation.as_at)


def _care_home_initial(calculation) -> dict:
    if calculation is None:
        return CareHomeForm.initial_from(CareHomeInputs(), None)
    inputs = calculation.inputs
    return CareHomeForm.initial_from(care_home_from_json(inputs), calculation.as_at, care_home_category(inputs))


def _from_saved(request, kind: str, initial_for) -> dict | None:
    """The form's figures from the provider's own saved calculation named by ?from= (another provider's: 404); None
    when there is none, it is of the other kind, or its figures can no longer be read (the defaults are shown)."""
    if request.method != "GET" or not request.GET.get("from"):
        return None
    calculation = selectors.calculation_get_for(user=request.user, pk=id_param(request.GET["from"]))
    if calculation.kind != kind:
        return None
    try:
        return initial_for(calculation)
    except CostInputError:
        return None


@login_required
def home_care(request):
    """A provider's figures in, the price per contact hour out, line by line; "Save as draft" keeps it."""
    require(permissions.can_calculate(request.user))
    organisation = permissions.calculating_organisations(request.user)[0]
    initial = _from_saved(request, CostCalculation.Kind.HOME_CARE, _home_care_initial) or _home_care_initial(None)
    form = HomeCareForm(request.POST or None, initial=initial)
    result = assumption_set = None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "save":
                saved = services.calculation_save(
                    actor=request.user,
                    organisation=organisation,
                    as_at=form.cleaned_data["as_at"],
                    inputs=form.inputs(),
                )
                messages.success(request, _("Your calculation has been saved as a draft"))
                return redirect("costofcare:calculation-detail", saved.pk)
            assumption_set, result = services.home_care_calculate(
                as_at=form.cleaned_data["as_at"], inputs=form.inputs()
            )
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "costofcare/home_care.html",
        {"form": form, "result": result, "assumption_set": assumption_set, "organisation": organisation},
    )


@login_required
def care_home(request):
    """A care home's figures in, the weekly fee of each category out, line by line; "Save as draft" keeps it with
    the category its return is for."""
    require(permissions.can_calculate(request.user))
    organisation = permissions.calculating_organisations(request.user)[0]
    initial = _from_saved(request, CostCalculation.Kind.CARE_HOME, _care_home_initial) or _care_home_initial(None)
    form = CareHomeForm(request.POST or None, initial=initial)
    result = assumption_set = category = None
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "save":
                saved = services.calculation_save(
                    actor=request.user,
                    organisation=organisation,
                    as_at=form.cleaned_data["as_at"],
                    inputs=form.inputs(),
                    kind=CostCalculation.Kind.CARE_HOME,
                    category=form.chosen_category(),
                )
                messages.success(request, _("Your calculation has been saved as a draft"))
                return redirect("costofcare:calculation-detail", saved.pk)
            assumption_set, result = services.care_home_calculate(
                as_at=form.cleaned_data["as_at"], inputs=form.inputs()
            )
            category = form.chosen_category()
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "costofcare/care_home.html",
        {
            "form": form,
            "result": result,
            "assumption_set": assumption_set,
            "organisation": organisation,
            "category": category,
            "fees": _fees(result, category),
        },
    )


def _fees(result, category) -> list[tuple]:
    """A care home result's (category, weekly fee, breakdown, is the chosen one) rows, for the template."""
    if result is None:
        return []
    return [(c, b.total, b, c == category) for c, b in result.by_category.items()]


@login_required
def calculation_list(request):
    """The provider's saved calculations: drafts, the submitted return and those it replaced."""
    require(permissions.can_calculate(request.user))
    page = Paginator(selectors.calculation_list_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "costofcare/calculation_list.html", {"page": page})


@login_required
def calculation_detail(request, pk: int):
    """One saved calculation worked again with the figures it used, with a button to submit it."""
    calculation = selectors.calculation_get_for(user=request.user, pk=pk)
    error = result = category = None
    care_home_kind = calculation.kind == CostCalculation.Kind.CARE_HOME
    try:
        result, _price = selectors.calculation_result(calculation)
        if care_home_kind:
            category = care_home_category(calculation.inputs)
    except (selectors.AssumptionsMissing, ValueError) as problem:
        error = str(problem)
    return render(
        request,
        "costofcare/calculation_detail.html",
        {
            "calculation": calculation,
            "result": result,
            "error": error,
            "assumption_set": calculation.assumption_set,
            "care_home": care_home_kind,
            "category": category,
            "fees": _fees(result, category) if care_home_kind else [],
        },
    )


@require_POST
@login_required
def calculation_submit(request, pk: int):
    """Submit a draft as the provider's cost return for its year."""
    calculation = selectors.calculation_get_for(user=request.user, pk=pk)
    try:
        services.calculation_submit(actor=request.user, calculation=calculation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Submitted as your cost return for %(year)s") % {"year": calculation.assumption_set}
        )
    return redirect("costofcare:calculation-detail", calculation.pk)


@login_required
def cost_returns(request):
    """Council staff: submitted returns as quartiles, only once at least five providers have submitted."""
    require(permissions.can_view_cost_returns(request.user))
    return render(
        request,
        "costofcare/returns.html",
        {
            "summaries": selectors.cost_return_summary_for(user=request.user),
            "minimum": selectors.MIN_PROVIDERS,
            "can_manage": permissions.can_manage_assumptions(request.user),
        },
    )


@login_required
def assumption_list(request):
    """Every dated assumption set, newest first, with its sources."""
    sets = list(selectors.assumption_set_list_for(user=request.user))
    for s in sets:
        s.rows = [
            (name, AssumptionSet._meta.get_field(name).verbose_name, _shown(getattr(s, name)))
            for name in services.FIGURES
        ]
    return render(request, "costofcare/assumption_list.html", {"sets": sets})


def _shown(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return value


@login_required
def assumption_new(request):
    """A new dated set, filled in from the latest one."""
    require(permissions.can_manage_assumptions(request.user))
    latest = AssumptionSet.objects.order_by("-effective_from").first()
    initial = {}
    if latest:
        initial = {name: getattr(latest, name) for name in AssumptionSetForm._meta.fields}
        initial.pop("effective_from")
        initial.pop("label")
    form = AssumptionSetForm(request.POST or None, initial=initial)
    saved = submitted(request, form, lambda data: services.assumption_set_create(actor=request.user, data=data))
    if saved:
        messages.success(request, _("The %(label)s assumptions have been added") % {"label": saved.label})
        return redirect("costofcare:assumption-list")
    return render(request, "costofcare/assumption_form.html", {"form": form, "assumption_set": None})


@login_required
def assumption_edit(request, pk: int):
    """Correct a set (audited); once used, only its blank figures may be filled in."""
    assumption_set = selectors.assumption_set_get_for(user=request.user, pk=pk)
    form = AssumptionSetForm(request.POST or None, instance=assumption_set)
    saved = submitted(
        request,
        form,
        lambda data: services.assumption_set_update(actor=request.user, assumption_set=assumption_set, data=data),
    )
    if saved:
        messages.success(request, _("The %(label)s assumptions have been saved") % {"label": saved.label})
        return redirect("costofcare:assumption-list")
    return render(request, "costofcare/assumption_form.html", {"form": form, "assumption_set": assumption_set})
