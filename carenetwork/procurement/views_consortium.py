"""The consortium finder's pages: an opportunity's posts, an organisation's own post, and a message to another
organisation (rules: consortium.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenetwork.core.access import id_param, require
from carenetwork.core.forms_errors import submitted
from carenetwork.procurement import consortium, permissions, questions
from carenetwork.procurement.forms_questions import ConsortiumPostForm, ContactForm


@login_required
def finder(request, pk: int):
    """The posts of an opportunity, for signed-in suppliers and council staff; a supplier's own messages received."""
    user = request.user
    opportunity = questions.opportunity_get_for(user=user, pk=pk)
    posts = consortium.post_list_for(user=user, opportunity=opportunity)
    supplier = permissions.can_take_part(user)
    return render(
        request,
        "procurement/consortium_finder.html",
        {
            "opportunity": opportunity,
            "posts": posts,
            "supplier": supplier,
            "closed": consortium.finder_closed_reason(opportunity),
            "has_own_post": any(post.yours for post in posts),
            "received": consortium.received_list_for(user=user, opportunity=opportunity) if supplier else [],
            "received_for_several": len(permissions.supplier_organisations(user)) > 1,
        },
    )


def _acting_organisation(request):
    """The supplier organisation the person posts for: ?organisation=<id> if they are in several, else their one."""
    wanted = request.GET.get("organisation")
    organisation = permissions.acting_organisation(request.user, id_param(wanted) if wanted else None)
    if organisation is None:
        raise Http404
    return organisation


@login_required
def post_form(request, pk: int):
    """A supplier posts its organisation's offer and the partner it seeks, changes it, or withdraws it."""
    user = request.user
    opportunity = questions.opportunity_get_for(user=user, pk=pk)
    require(permissions.can_take_part(user))
    organisation = _acting_organisation(request)
    post = consortium.own_post_for(organisation=organisation, opportunity=opportunity)
    if request.method == "POST" and "withdraw" in request.POST:
        if post is not None and post.is_active:
            consortium.post_withdraw(actor=user, post=post)
            messages.success(request, _("Your post has been taken off the consortium finder"))
        return redirect("procurement:consortium", pk=opportunity.pk)
    closed = consortium.finder_closed_reason(opportunity)
    form = None
    if closed:
        if request.method == "POST":
            messages.error(request, _("Your post was not saved. %(reason)s") % {"reason": closed})
            return redirect("procurement:consortium", pk=opportunity.pk)
    else:
        form = ConsortiumPostForm(
            request.POST if request.method == "POST" else None, opportunity=opportunity, instance=post
        )
        saved = submitted(
            request,
            form,
            lambda data: consortium.post_save(
                actor=user, opportunity=opportunity, organisation=organisation, data=data
            ),
        )
        if saved:
            messages.success(
                request, _("Your post is on the consortium finder. Other organisations can now contact you")
            )
            return redirect("procurement:consortium", pk=opportunity.pk)
    others = [o for o in permissions.supplier_organisations(user) if o.pk != organisation.pk]
    return render(
        request,
        "procurement/consortium_post.html",
        {
            "opportunity": opportunity,
            "organisation": organisation,
            "other_organisations": others,
            "post": post,
            "form": form,
            "closed": closed,
        },
    )


@login_required
def contact(request, pk: int):
    """A supplier sends a message to the organisation of another organisation's post, through the portal."""
    user = request.user
    post = consortium.post_get_for(user=user, pk=pk)
    require(permissions.can_take_part(user))
    senders = consortium.sender_organisations(user, post)
    # A post of your own organisation (and no other to write for): there is nobody to write to.
    require(bool(senders))
    opportunity = post.opportunity
    closed = consortium.finder_closed_reason(opportunity)
    form = None
    if closed:
        if request.method == "POST":
            messages.error(request, _("Your message was not sent. %(reason)s") % {"reason": closed})
            return redirect("procurement:consortium", pk=opportunity.pk)
    else:
        form = ContactForm(request.POST if request.method == "POST" else None, organisations=senders)
        saved = submitted(
            request,
            form,
            lambda data: consortium.message_send(
                actor=user, post=post, text=data["text"], organisation=data["organisation"]
            ),
        )
        if saved:
            messages.success(
                request,
                _("Your message has been sent to %(organisation)s. They will reply to your organisation")
                % {"organisation": post.organisation.name},
            )
            return redirect("procurement:consortium", pk=opportunity.pk)
    return render(
        request,
        "procurement/consortium_contact.html",
        {
            "opportunity": opportunity,
            "post": post,
            "form": form,
            "closed": closed,
            "senders": senders,
        },
    )
