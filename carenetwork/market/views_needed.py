"""The needed services' pages: the public list and a service's page (where people register interest and council staff
read it and reply), and the officers' form for a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import PAGE_SIZE, query_without_page, require
from carenetwork.core.forms_errors import submitted
from carenetwork.market import needed, permissions
from carenetwork.market.forms_needed import InterestForm, NeededFilterForm, NeededServiceForm, ReplyForm
from carenetwork.market.models_statement import ServiceInterest


def _render(request, template: str, context: dict, status: int = 200):
    """A needed services page, with the market's navigation for those who have the market pages."""
    context.setdefault("market_nav", permissions.can_view_market(request.user))
    context.setdefault("can_view_sustainability", permissions.can_view_sustainability(request.user))
    context.setdefault("can_manage", permissions.can_manage_needed_services(request.user))
    after = urlencode({"next": request.path})
    context.setdefault("login_url", f"{reverse('account_login')}?{after}")
    context.setdefault("signup_url", f"{reverse('account_signup')}?{after}")
    return render(request, template, context, status=status)


def needed_list(request):
    """Every needed service still taking interest (or, filtered, the filled and withdrawn ones), for anyone."""
    form = NeededFilterForm(request.GET or None)
    criteria = form.criteria()
    found = needed.needed_list_for(user=request.user, **criteria)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "market/needed_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "show": criteria["show"],
            "filtered": any(criteria.values()),
        },
    )


def _detail(request, need, *, interest_form=None, reply_form=None, status: int = 200):
    """A service's page: what is needed; the person's own interest and its reply, or the form to register it; for
    council staff, everyone's interest with a reply form under each."""
    user = request.user
    interests = needed.interest_list_for(user=user, need=need)
    manage = permissions.can_manage_needed_services(user)
    rows = []
    if manage:
        for interest in interests:
            form = reply_form if reply_form is not None and reply_form.prefix == f"reply-{interest.pk}" else None
            rows.append((interest, form or ReplyForm(interest=interest)))
    may_register = permissions.can_register_interest(user) and not interests and needed.takes_interest(need)
    if interest_form is None and may_register:
        interest_form = InterestForm(
            organisations=needed.interest_organisations(user), initial={"name": user.full_name}
        )
    return _render(
        request,
        "market/needed_detail.html",
        {
            "need": need,
            "mine": None if manage else (interests[0] if interests else None),
            "rows": rows,
            "interest_form": interest_form,
            # The page's title says "Error:" when a form on it has errors (base.html reads `form`).
            "form": reply_form if reply_form is not None else interest_form,
            "takes_interest": needed.takes_interest(need),
        },
        status=status,
    )


def needed_detail(request, pk: int):
    """A needed service, for anyone; signed in, register interest in it here (POST)."""
    need = needed.needed_get_for(user=request.user, pk=pk)
    if request.method != "POST":
        return _detail(request, need)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(permissions.can_register_interest(request.user))
    if not needed.takes_interest(need) or needed.interest_list_for(user=request.user, need=need):
        # A form sent again from an old page: say why nothing more was registered.
        if needed.takes_interest(need):
            messages.error(request, _("You have already registered your interest in this service"))
        else:
            messages.error(request, _("This service is not taking interest now"))
        return redirect("market:needed-detail", pk=need.pk)
    form = InterestForm(request.POST, organisations=needed.interest_organisations(request.user))
    saved = submitted(
        request,
        form,
        lambda data: needed.interest_register(
            actor=request.user,
            need=need,
            name=data["name"],
            note=data["note"],
            organisation=data.get("organisation"),
        ),
    )
    if saved:
        messages.success(request, _("Your interest has been registered. The council will reply by email"))
        return redirect(reverse("market:needed-detail", args=[need.pk]) + "#your-interest")
    return _detail(request, need, interest_form=form)


@login_required
def needed_edit(request, pk: int | None = None):
    """Council staff add a needed service, or change one and its status."""
    require(permissions.can_manage_needed_services(request.user))
    need = needed.needed_get_for(user=request.user, pk=pk) if pk else None
    form = NeededServiceForm(request.POST or None, instance=need)
    saved = submitted(request, form, lambda data: needed.needed_save(actor=request.user, need=need, data=data))
    if saved:
        messages.success(request, _("%(service)s has been saved") % {"service": saved.service})
        return redirect("market:needed-detail", pk=saved.pk)
    return _render(request, "market/needed_edit.html", {"form": form, "need": need})


@require_POST
@login_required
def interest_reply(request, pk: int):
    """Council staff reply to someone's interest; the reply is emailed to them."""
    require(permissions.can_manage_needed_services(request.user))
    interest = get_object_or_404(ServiceInterest.objects.select_related("need"), pk=pk)
    form = ReplyForm(request.POST, interest=interest)
    saved = submitted(
        request, form, lambda data: needed.interest_reply(actor=request.user, interest=interest, reply=data["reply"])
    )
    if saved:
        messages.success(request, _("Your reply to %(name)s has been sent") % {"name": saved.name})
        return redirect(reverse("market:needed-detail", args=[interest.need_id]) + f"#interest-{interest.pk}")
    return _detail(request, interest.need, reply_form=form)
