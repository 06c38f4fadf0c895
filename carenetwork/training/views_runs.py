"""A run's pages: its live position and places, the council's decision, an organisation's booking and delegates."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carenetwork.core.access import require
from carenetwork.core.forms_errors import apply_errors, submitted
from carenetwork.organisations.models import Organisation
from carenetwork.records.models import StaffMember
from carenetwork.training import bookings, calendar, decisions, interests, notify, permissions, runs, selectors
from carenetwork.training.forms_runs import CancelPlacesForm, DecideForm, DelegatesForm, InterestForm, RunForm
from carenetwork.training.models import CourseRun, Delegate, Evaluation, Interest
from carenetwork.training.position import position_of

BOOKINGS_PAGE_SIZE = 25


def _takers(user, run: CourseRun) -> list[Organisation]:
    """The person's organisations that may take places on the run now."""
    if interests.closed_reason(run):
        return []
    return [o for o in permissions.booking_organisations(user) if permissions.can_take_places(user, run, o)]


def _organisation_asked(request) -> int | None:
    """The organisation the form or the address names, if it is a plausible id ("²", "abc" or 5,000 digits are not)."""
    value = (request.POST.get("organisation") or request.GET.get("organisation") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@login_required
def run_detail(request, pk):
    """The live position of a run for everyone who may see it, and the person's own organisations' places."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    tiers = list(run.tiers.all())
    mine = selectors.interests_for_organisations(user=request.user, run=run)
    takers = _takers(request.user, run)
    new_takers = [o for o in takers if o.pk not in mine]
    can_decide = permissions.can_decide_run(request.user, run)
    form = InterestForm(organisations=new_takers, locked=run.locked_price is not None) if new_takers else None
    context = {
        "run": run,
        "course": run.course,
        "position": position_of(run, [(t.from_places, t.price) for t in tiers]),
        "tiers": tiers,
        "sectors": list(run.sectors.all()),
        "mine": list(mine.values()),
        "takers": {o.pk for o in takers},
        "form": form,
        **run.interests.filter(status__in=Interest.LIVE).aggregate(
            organisations_interested=Count("pk", filter=Q(places__gt=0)), waiting_places=Sum("waiting_places")
        ),
        "can_decide": can_decide,
        "can_view_bookings": permissions.can_view_run_bookings(request.user, run),
        "can_deliver": permissions.can_deliver_run(request.user, run),
        "decisions": list(run.decisions.select_related("decided_by")) if can_decide else [],
        "charged_now": interests.cancellation_charged(run),
        # The person's own places (through their staff record): they are told, and rate the course afterwards.
        "my_places": list(
            Delegate.objects.filter(
                interest__run=run, interest__status=Interest.Status.BOOKED, staff__user_id=request.user.pk
            ).select_related("evaluation", "interest__organisation")
        ),
        "ended": run.ends_at <= timezone.now(),
    }
    return render(request, "training/runs/detail.html", context)


def _interest_saved_message(interest: Interest) -> str:
    run, n = interest.run, interest.places
    if interest.status == Interest.Status.BOOKED:
        text = ngettext(
            "%(org)s has %(n)s place booked at £%(price)s: £%(amount)s in all.",
            "%(org)s has %(n)s places booked at £%(price)s each: £%(amount)s in all.",
            n,
        ) % {"org": interest.organisation, "n": n, "price": interest.price, "amount": interest.amount_due}
    else:
        text = ngettext(
            "%(org)s's interest in %(n)s place is registered. It will cost at most £%(price)s.",
            "%(org)s's interest in %(n)s places is registered. Each place will cost at most £%(price)s.",
            n,
        ) % {"org": interest.organisation, "n": n, "price": run.current_price}
        if interest.ceiling is not None and run.current_price is not None and interest.ceiling < run.current_price:
            text += " " + _(
                "That is more than your limit of £%(ceiling)s: unless more places are taken, your interest will be "
                "withdrawn at the deadline."
            ) % {"ceiling": f"{interest.ceiling:,.2f}"}
    if interest.waiting_places:
        waiting = ngettext(
            "%(n)s more place is on the waiting list.",
            "%(n)s more places are on the waiting list.",
            interest.waiting_places,
        )
        text += " " + waiting % {"n": interest.waiting_places}
    return text


@login_required
def interest_edit(request, pk):
    """Register interest in places, change how many (or the limit), or book places on a confirmed run."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    mine = selectors.interests_for_organisations(user=request.user, run=run)
    takers = _takers(request.user, run)
    require(bool(takers))
    chosen = _organisation_asked(request)
    existing = mine.get(chosen) if chosen else next(iter(mine.values())) if len(mine) == 1 else None
    initial = {}
    if existing:
        initial = {
            "organisation": existing.organisation_id,
            "places": existing.places + existing.waiting_places,
            "ceiling": existing.ceiling,
        }
    form = InterestForm(
        request.POST or None,
        initial=initial,
        organisations=[o for o in takers if existing is None or o.pk == existing.organisation_id],
        locked=run.locked_price is not None,
    )
    saved = submitted(
        request,
        form,
        lambda data: interests.interest_save(
            actor=request.user,
            run=run,
            organisation=data["organisation"],
            places=data["places"],
            ceiling=data["ceiling"],
        ),
    )
    if saved:
        messages.success(request, _interest_saved_message(saved))
        return redirect("training:run-detail", pk=run.pk)
    return render(
        request,
        "training/runs/interest.html",
        {"run": run, "course": run.course, "form": form, "existing": existing, "position": position_of(run)},
    )


@login_required
def interest_withdraw(request, pk):
    """Withdraw an organisation's interest before the decision."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    mine = selectors.interests_for_organisations(user=request.user, run=run)
    asked = request.POST.get("organisation") or request.GET.get("organisation")
    chosen = _organisation_asked(request)
    # A bad value never falls back to another organisation's interest: only an absent one picks the first.
    interest = mine.get(chosen) if chosen else None if asked else next(iter(mine.values()), None)
    if interest is None:
        raise Http404
    require(permissions.can_manage_interest(request.user, interest))
    error = None
    if request.method == "POST":
        try:
            interests.interest_withdraw(actor=request.user, interest=interest)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("%(org)s's interest has been withdrawn.") % {"org": interest.organisation})
            return redirect("training:run-detail", pk=run.pk)
    return render(
        request, "training/runs/withdraw.html", {"run": run, "course": run.course, "interest": interest, "error": error}
    )


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


def _decide_confirmation(request, run: CourseRun, data: dict):
    """Are you sure: what the decision does and the emails it sends, before anything is written."""
    preview = decisions.decision_preview(run=run, outcome=data["outcome"])
    status, price = preview["status"], preview["price"]
    happens = {
        CourseRun.Status.CONFIRMED: _("The run is confirmed at £%(price)s a place, locked whoever joins later.")
        % {"price": price},
        CourseRun.Status.PARTNERS: _(
            "The spare places are offered to partner organisations until the partner "
            "deadline; then the run is decided again."
        ),
        CourseRun.Status.CANCELLED: _("The run is cancelled. Nobody is charged for it, and this cannot be undone."),
    }[status]
    lines = [happens]
    if data["outcome"] == "rules":
        lines.insert(0, _("By the rules, the run will be: %(status)s.") % {"status": preview["label"]})
    if data["reason"]:
        lines.append(_("Your reason is recorded: %(reason)s") % {"reason": data["reason"]})
    questions = {
        CourseRun.Status.CONFIRMED: _("Are you sure you want to confirm the run?"),
        CourseRun.Status.PARTNERS: _("Are you sure you want to offer the places to partners?"),
        CourseRun.Status.CANCELLED: _("Are you sure you want to cancel the run?"),
    }
    buttons = {
        CourseRun.Status.CONFIRMED: _("Yes, confirm the run"),
        CourseRun.Status.PARTNERS: _("Yes, offer the places to partners"),
        CourseRun.Status.CANCELLED: _("Yes, cancel the run"),
    }
    return render(
        request,
        "training/runs/_confirm.html",
        {
            "question": questions[status],
            "caption": f"{run.course.title}, {date_format(timezone.localtime(run.starts_at), 'j F Y')}",
            "happens": lines,
            "emails": preview["emails"],
            "hidden": {"outcome": data["outcome"], "reason": data["reason"]},
            "action": reverse("training:run-decide", args=[run.pk]),
            "button": buttons[status],
            "warning": status == CourseRun.Status.CANCELLED,
            "back_url": reverse("training:run-decide", args=[run.pk]),
            "back_text": _("Go back without deciding"),
        },
    )


@login_required
def run_decide(request, pk):
    """A council officer decides the run now by the rules, or overrides them with a recorded reason, after seeing
    what will happen and the emails that will be sent."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    require(permissions.can_decide_run(request.user, run))

    def decide(data):
        if data["outcome"] == "rules":
            return decisions.run_decide(run=run, actor=request.user, reason=data["reason"])
        return decisions.run_override(actor=request.user, run=run, outcome=data["outcome"], reason=data["reason"])

    form = DecideForm(request.POST or None)
    decision = None
    if request.method == "POST" and not _confirmed(request) and form.is_valid():
        data = form.cleaned_data
        if data["outcome"] != "rules" and not data["reason"].strip():
            form.add_error("reason", _("Say why you are overriding the decision"))
        elif run.is_live or data["outcome"] == CourseRun.Status.CANCELLED:
            return _decide_confirmation(request, run, data)
        else:  # nothing to confirm: the service says why it cannot be done
            decision = submitted(request, form, decide, error_field="outcome")
    elif _confirmed(request):
        decision = submitted(request, form, decide, error_field="outcome")
    if decision:
        messages.success(request, _("The run is now: %(status)s.") % {"status": decision.get_to_status_display()})
        return redirect("training:run-detail", pk=run.pk)
    return render(
        request,
        "training/runs/decide.html",
        {"run": run, "course": run.course, "form": form, "position": position_of(run)},
    )


@login_required
def run_edit(request, pk=None, course_pk=None):
    """A council officer adds a run of an approved course, or changes one."""
    run = selectors.run_get_for(user=request.user, pk=pk) if pk else None
    course = run.course if run else selectors.course_get_for(user=request.user, pk=course_pk)
    require(permissions.can_manage_runs(request.user))
    form = RunForm(request.POST or None, run=run)

    def save(data):
        data = dict(data)
        tiers = data.pop("tiers")
        try:
            return runs.run_save(actor=request.user, course=course, run=run, data=data, tiers=tiers)
        except ValidationError as error:
            raise form.service_error(error) from None

    saved = submitted(request, form, save)
    if saved:
        messages.success(request, _("The run has been saved."))
        return redirect("training:run-detail", pk=saved.pk)
    return render(request, "training/runs/edit.html", {"run": run, "course": course, "form": form})


@login_required
def run_ics(request, pk):
    """The run as a calendar file."""
    run = selectors.run_get_for(user=request.user, pk=pk)
    response = HttpResponse(calendar.run_ics(run), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{run.pk}.ics"'
    return response


@login_required
def my_bookings(request):
    """The places the person's organisations have taken or want, newest course first."""
    require(bool(permissions.booking_organisations(request.user)))
    page = Paginator(selectors.bookings_list_for(user=request.user), BOOKINGS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "training/runs/my_bookings.html", {"page": page})


@login_required
def booking_detail(request, pk):
    """An organisation's places on a run: what it owes, and who goes (named and changed until the cut-off)."""
    interest = selectors.interest_get_for(user=request.user, pk=pk)
    run = interest.run
    manage = permissions.can_manage_interest(request.user, interest)
    closed = bookings.substitution_closed_reason(interest)
    form = None
    if manage and not closed:
        staff_choices = None  # a partner has no staff register: it types names
        if interest.organisation.kind != Organisation.Kind.PARTNER:
            current_staff = StaffMember.objects.filter(
                organisation=interest.organisation, leaving_date__isnull=True, personal_data_removed_at__isnull=True
            ).order_by("name")
            # People can share a name: their job role and reference tell them apart.
            staff_choices = [
                (pk, f"{name} ({', '.join(part for part in (role, reference) if part)})")
                for pk, name, role, reference in current_staff.values_list("pk", "name", "job_role__name", "reference")
            ]
        form = DelegatesForm(
            request.POST or None,
            staff_choices=staff_choices,
            places=interest.places,
            current=interest.delegates.all(),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            staff = list(StaffMember.objects.filter(pk__in=data.get("staff_ids", [])))
            try:
                bookings.delegates_set(actor=request.user, interest=interest, staff=staff, names=data.get("names", []))
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("Who goes has been saved."))
                return redirect("training:booking-detail", pk=interest.pk)
    show_names = manage or permissions.can_deliver_run(request.user, run)
    return render(
        request,
        "training/runs/booking.html",
        {
            "interest": interest,
            "run": run,
            "course": run.course,
            "manage": manage,
            "closed": closed,
            "form": form,
            "delegates": list(
                interest.delegates.select_related("staff").annotate(
                    has_evaluation=Exists(Evaluation.objects.filter(delegate=OuterRef("pk")))
                )
            )
            if show_names
            else [],
            "charged_now": interests.cancellation_charged(run),
        },
    )


@login_required
def booking_cancel(request, pk):
    """Cancel some or all booked places under the run's cancellation terms, after seeing what it costs and the
    email that will be sent."""
    interest = selectors.interest_get_for(user=request.user, pk=pk)
    require(permissions.can_manage_interest(request.user, interest))
    run = interest.run
    charged = interests.cancellation_charged(run)
    form = CancelPlacesForm(request.POST or None, initial={"places": interest.places})
    confirmable = interest.status == Interest.Status.BOOKED and not run.has_started
    if request.method == "POST" and not _confirmed(request) and confirmable and form.is_valid():
        places = form.cleaned_data["places"]
        if places > interest.places:
            form.add_error("places", _("Enter between 1 and %(n)s places") % {"n": interest.places})
        else:
            return _cancel_confirmation(request, interest, places, charged)
    saved = None
    if _confirmed(request) or not confirmable:  # nothing to confirm: the service says why it cannot be done
        saved = submitted(
            request,
            form,
            lambda data: interests.booking_cancel(actor=request.user, interest=interest, places=data["places"]),
            error_field="places",
        )
    if saved:
        messages.success(request, _("The places have been cancelled."))
        return redirect("training:booking-detail", pk=saved.pk)
    return render(
        request,
        "training/runs/cancel.html",
        {"interest": interest, "run": run, "course": run.course, "form": form, "charged_now": charged},
    )


def _cancel_confirmation(request, interest: Interest, places: int, charged: bool):
    run = interest.run
    after = copy.copy(interest)  # the booking as the email would read it
    kept = interest.places - places
    after.places = kept
    after.amount_due = (run.locked_price or 0) * (interest.charged_places + (places if charged else 0) + kept)
    happens = [
        ngettext(
            "%(org)s gives up %(n)s place; %(kept)s stay booked.",
            "%(org)s gives up %(n)s places; %(kept)s stay booked.",
            places,
        )
        % {"org": interest.organisation, "n": places, "kept": kept},
        _("Free cancellation has ended: the places are still charged. Now due: £%(amount)s.")
        % {"amount": after.amount_due}
        if charged
        else _("The places are not charged. Now due: £%(amount)s.") % {"amount": after.amount_due},
        _("The places go to anyone on the waiting list. You cannot take them back except by booking again."),
    ]
    if kept:
        happens.append(_("Those named last give up their places; the others keep theirs."))
    email = notify.preview(
        "booking_cancelled", run=run, organisation=interest.organisation, interest=after, places=places, charged=charged
    )
    return render(
        request,
        "training/runs/_confirm.html",
        {
            "question": ngettext(
                "Are you sure you want to cancel %(n)s place?", "Are you sure you want to cancel %(n)s places?", places
            )
            % {"n": places},
            "caption": f"{run.course.title}, {date_format(timezone.localtime(run.starts_at), 'j F Y')}",
            "happens": happens,
            "emails": [{**email, "organisations": [interest.organisation]}],
            "hidden": {"places": places},
            "action": reverse("training:booking-cancel", args=[interest.pk]),
            "button": ngettext("Yes, cancel the place", "Yes, cancel the places", places),
            "warning": True,
            "back_url": reverse("training:booking-detail", args=[interest.pk]),
            "back_text": _("No, keep them"),
        },
    )
