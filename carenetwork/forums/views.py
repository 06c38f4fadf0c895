"""Forum pages: the list, a forum's home, its settings and its member organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.core.access import require
from carenetwork.core.forms_errors import submitted
from carenetwork.forums import permissions, selectors, services
from carenetwork.forums.bookings import meetings_for_forum
from carenetwork.forums.forms import ForumForm, MembershipAddForm, MembershipRequestForm
from carenetwork.forums.issue_log import forum_home_items


@login_required
def forum_list(request):
    """The forums the person belongs to, leads, may join, or (council staff) knows exist."""
    return render(
        request,
        "forums/forum_list.html",
        {
            "forums": selectors.forum_list_for(user=request.user),
            "can_add": permissions.can_manage_forums(request.user),
        },
    )


@login_required
def forum_detail(request, slug):
    """A forum's home: its meetings, its agenda items and its member organisations."""
    forum = selectors.forum_get_for(user=request.user, slug=slug)
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "is_lead": permissions.is_lead(request.user, forum),
            "leads": permissions.current_leads(forum),
            "members": selectors.member_organisation_list_for(user=request.user, forum=forum),
            "items": forum_home_items(user=request.user, forum=forum),
            **meetings_for_forum(user=request.user, forum=forum),
        },
    )


@login_required
def forum_edit(request, slug=None):
    """Council officers create a forum; its leads change it."""
    # An existing forum is looked up first, so that to outsiders it does not exist (404).
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug) if slug else None
    require(permissions.can_manage_forums(request.user))
    form = ForumForm(
        request.POST or None,
        instance=forum,
        lead_options=selectors.council_staff_options(user=request.user),
        initial=None if forum else {"leads": [request.user.pk]},
    )
    saved = submitted(request, form, lambda data: services.forum_save(actor=request.user, forum=forum, data=data))
    if saved:
        messages.success(request, _("The forum has been saved"))
        return redirect("forums:forum-detail", slug=saved.slug)
    return render(request, "forums/forum_edit.html", {"form": form, "forum": forum})


@login_required
def membership_request(request, slug):
    """A provider's admin asks for their organisation to join the forum."""
    forum = selectors.forum_get_for_joining(user=request.user, slug=slug)
    organisations = permissions.eligible_organisations(request.user, forum)
    require(bool(organisations))
    form = MembershipRequestForm(
        request.POST or None, organisations=organisations, initial={"organisation": organisations[0].pk}
    )
    saved = submitted(
        request,
        form,
        lambda data: services.forum_membership_request(
            actor=request.user, forum=forum, organisation=data["organisation"]
        ),
    )
    if saved:
        messages.success(request, _("Your request has been sent to the forum's council leads"))
        return redirect("forums:forum-list")
    return render(request, "forums/membership_request.html", {"form": form, "forum": forum})


@login_required
def members(request, slug):
    """A lead's view of member organisations and requests to join."""
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    return render(
        request,
        "forums/members.html",
        {
            "forum": forum,
            "memberships": selectors.forum_membership_list_for(user=request.user, forum=forum),
        },
    )


@login_required
def membership_add(request, slug):
    """A lead adds an organisation or invites a partner."""
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    form = MembershipAddForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda data: services.forum_membership_add(actor=request.user, forum=forum, organisation=data["organisation"]),
    )
    if saved:
        messages.success(request, _("%(org)s is now a member") % {"org": saved.organisation})
        return redirect("forums:members", slug=forum.slug)
    return render(request, "forums/membership_add.html", {"form": form, "forum": forum})


@login_required
@require_POST
def membership_decide(request, slug, membership_pk):
    """A lead approves or declines a request to join."""
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    membership = selectors.forum_membership_list_for(user=request.user, forum=forum).filter(pk=membership_pk).first()
    require(membership is not None)
    approve = request.POST.get("decision") == "approve"
    try:
        services.forum_membership_decide(actor=request.user, membership=membership, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(org)s has joined the forum") if approve else _("The request from %(org)s has been declined"))
            % {"org": membership.organisation},
        )
    return redirect("forums:members", slug=forum.slug)


@login_required
@require_POST
def membership_remove(request, slug, membership_pk):
    """A lead removes an organisation from the forum."""
    forum = selectors.forum_get_for_lead(user=request.user, slug=slug)
    membership = selectors.forum_membership_list_for(user=request.user, forum=forum).filter(pk=membership_pk).first()
    require(membership is not None)
    try:
        services.forum_membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(org)s has been removed from the forum") % {"org": membership.organisation})
    return redirect("forums:members", slug=forum.slug)
