"""Pages for the directory, organisation profiles and their people."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carenetwork.accounts.models import User
from carenetwork.accounts.services import account_create_from_invitation
from carenetwork.core.access import PAGE_SIZE, require
from carenetwork.core.forms_errors import submitted
from carenetwork.core.registry import organisation_links_for
from carenetwork.organisations import permissions, selectors, services
from carenetwork.organisations.forms import (
    CouncilOrganisationForm,
    DirectoryFilterForm,
    HandOnForm,
    InvitationForm,
    InvitationSignupForm,
    JoinRequestForm,
    LocationForm,
    OrganisationForm,
    RoleForm,
)
from carenetwork.organisations.models import Invitation, JoinRequest, Organisation

PEOPLE_PAGE_SIZE = 50


@login_required
def directory(request):
    """Search and filter member organisations."""
    form = DirectoryFilterForm(request.GET or None, filters=selectors.directory_filters())
    criteria = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list_for(user=request.user, **{k: v for k, v in criteria.items() if v})
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organisations/directory.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(criteria)},
    )


@login_required
def detail(request, pk):
    """An organisation's profile, locations and contacts."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    user = request.user
    locations = selectors.location_list_for(user=user, organisation=organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "page": Paginator(locations, PAGE_SIZE).get_page(request.GET.get("page")),
            "role": permissions.role_in(user, organisation),
            "can_manage": permissions.can_manage_organisation(user, organisation),
            "can_view_members": permissions.can_view_members(user, organisation),
            "can_request_to_join": permissions.can_request_to_join(user, organisation),
            "can_appoint": permissions.can_appoint_admin(user, organisation),
            "can_council_edit": permissions.is_council_admin(user),
            # Council staff read an active provider's training compliance (records' own rule, the same predicate).
            "show_compliance_link": permissions.is_council_staff(user)
            and organisation.is_active
            and organisation.kind == Organisation.Kind.PROVIDER,
            "pending_request": organisation.join_requests.filter(user=user, status=JoinRequest.Status.PENDING).first(),
            "capability_links": organisation_links_for(user, organisation),
        },
    )


@login_required
def edit(request, pk):
    """Admins edit their organisation's profile; council administrators edit any."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    council = permissions.is_council_admin(request.user)
    require(permissions.can_manage_organisation(request.user, organisation) or council)
    form_class = CouncilOrganisationForm if council else OrganisationForm
    form = form_class(request.POST or None, instance=organisation)
    saved = submitted(
        request,
        form,
        lambda data: services.organisation_update(actor=request.user, organisation=organisation, data=data),
    )
    if saved:
        messages.success(request, _("The profile has been saved"))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
def location_edit(request, pk, location_pk=None):
    """Add or change one of an organisation's locations."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    require(
        permissions.can_manage_organisation(request.user, organisation) or permissions.is_council_admin(request.user)
    )
    location = (
        selectors.location_get_for(user=request.user, organisation=organisation, pk=location_pk)
        if location_pk
        else None
    )
    form = LocationForm(request.POST or None, instance=location)
    saved = submitted(
        request,
        form,
        lambda data: services.location_save(
            actor=request.user, organisation=organisation, location=location, data=data
        ),
    )
    if saved:
        messages.success(request, _("The location has been saved"))
        return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request, "organisations/location_edit.html", {"form": form, "organisation": organisation, "location": location}
    )


@login_required
def members(request, pk):
    """An organisation's people: only its own members and council staff see them."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    people = selectors.member_list_for(user=request.user, organisation=organisation)
    page = Paginator(people, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = permissions.can_manage_organisation(request.user, organisation)
    can_appoint = permissions.can_appoint_admin(request.user, organisation)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "page": page,
            "can_manage": can_manage,
            "can_appoint": can_appoint,
            "own_membership": permissions.role_in(request.user, organisation) is not None,
            "invitations": (
                selectors.pending_invitation_list_for(user=request.user, organisation=organisation)
                if can_manage or can_appoint
                else []
            ),
            "join_requests": (
                selectors.pending_join_request_list_for(user=request.user, organisation=organisation)
                if can_manage
                else []
            ),
        },
    )


@login_required
def invite(request, pk):
    """An admin invites a person by email."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_manage_organisation(request.user, organisation))
    form = InvitationForm(request.POST or None, organisation=organisation)
    invitation = submitted(
        request, form, lambda data: services.invitation_create(actor=request.user, organisation=organisation, **data)
    )
    if invitation:
        if invitation.resent:
            messages.success(
                request,
                _("%(email)s had already been invited, so we have sent the same invitation again")
                % {"email": invitation.email},
            )
        else:
            messages.success(request, _("An invitation has been sent to %(email)s") % {"email": invitation.email})
        return redirect("organisations:members", pk=organisation.pk)
    return render(
        request,
        "organisations/invite.html",
        {"form": form, "organisation": organisation, "days": settings.INVITATION_VALID_DAYS},
    )


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    """Withdraw a pending invitation."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    invitation = get_object_or_404(Invitation, organisation=organisation, pk=invitation_pk)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation to %(email)s has been withdrawn") % {"email": invitation.email})
    return redirect("organisations:members", pk=organisation.pk)


def invitation_accept(request, token):
    """Accept an invitation: signed in with the invited address, or by creating an account for it."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if not invitation.is_pending:
        return render(request, "organisations/invitation_invalid.html", context, status=410)
    user = request.user
    if user.is_authenticated and user.email.lower() != invitation.email.lower():
        return render(request, "organisations/invitation_other_account.html", context, status=403)
    existing = not user.is_authenticated and User.objects.filter(email__iexact=invitation.email).exists()
    form = None if user.is_authenticated or existing else InvitationSignupForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        if not user.is_authenticated and existing:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if form is not None:
            user = account_create_from_invitation(invitation=invitation, **form.cleaned_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        services.invitation_accept(invitation=invitation, user=user)
        messages.success(request, _("You have joined %(org)s") % {"org": invitation.organisation})
        return redirect("organisations:detail", pk=invitation.organisation_id)
    context.update(form=form, existing=existing)
    return render(request, "organisations/invitation_accept.html", context)


@login_required
def member_role(request, pk, membership_pk):
    """An admin changes a person's role."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    membership = selectors.membership_get_for(user=request.user, organisation=organisation, pk=membership_pk)
    require(permissions.can_manage_organisation(request.user, organisation))
    form = RoleForm(request.POST or None, organisation=organisation, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        services.membership_set_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        messages.success(
            request,
            _("%(person)s is now %(role)s") % {"person": membership.user, "role": membership.get_role_display()},
        )
        return redirect("organisations:members", pk=organisation.pk)
    return render(
        request,
        "organisations/member_role.html",
        {"form": form, "organisation": organisation, "membership": membership},
    )


@login_required
def member_remove(request, pk, membership_pk):
    """An admin removes a person from the organisation, after confirming."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    membership = selectors.membership_get_for(user=request.user, organisation=organisation, pk=membership_pk)
    require(permissions.can_manage_organisation(request.user, organisation) and membership.user_id != request.user.pk)
    if request.method == "POST":
        services.membership_end(actor=request.user, membership=membership)
        messages.success(request, _("%(person)s has been removed") % {"person": membership.user})
        return redirect("organisations:members", pk=organisation.pk)
    return render(request, "organisations/member_remove.html", {"organisation": organisation, "membership": membership})


@login_required
def leave(request, pk):
    """A person leaves an organisation, after confirming; the last admin is warned first."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    membership = organisation.memberships.active().filter(user=request.user).first()
    if membership is None:
        raise PermissionDenied
    if request.method == "POST":
        services.membership_end(actor=request.user, membership=membership)
        messages.success(request, _("You have left %(org)s") % {"org": organisation})
        return redirect("core:home")
    last_admin = membership.is_admin and organisation.memberships.admins().count() == 1
    return render(
        request,
        "organisations/leave.html",
        {"organisation": organisation, "membership": membership, "last_admin": last_admin},
    )


@login_required
def hand_on(request, pk):
    """An admin makes another member the admin and becomes a member."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_manage_organisation(request.user, organisation))
    others = organisation.memberships.active().exclude(user=request.user).select_related("user")
    form = HandOnForm(request.POST or None, members=others)
    new_admin = submitted(
        request,
        form,
        lambda data: services.admin_hand_on(actor=request.user, organisation=organisation, to=data["membership"]),
    )
    if new_admin:
        messages.success(
            request, _("%(person)s is now the admin of %(org)s") % {"person": new_admin.user, "org": organisation}
        )
        return redirect("organisations:members", pk=organisation.pk)
    return render(
        request,
        "organisations/hand_on.html",
        {"form": form, "organisation": organisation, "has_others": others.exists()},
    )


@login_required
def join(request, pk):
    """Ask to join an organisation."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    require(permissions.can_request_to_join(request.user, organisation))
    form = JoinRequestForm(request.POST or None)
    saved = submitted(
        request, form, lambda data: services.join_request_create(user=request.user, organisation=organisation, **data)
    )
    if saved:
        messages.success(request, _("Your request has been sent to the admin of %(org)s") % {"org": organisation})
        return redirect("organisations:detail", pk=organisation.pk)
    return render(request, "organisations/join.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def join_request_decide(request, pk, request_pk):
    """An admin approves or declines a request to join."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    join_request = selectors.join_request_get_for(user=request.user, organisation=organisation, pk=request_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(actor=request.user, join_request=join_request, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(person)s has joined %(org)s") if approve else _("The request from %(person)s has been declined"))
            % {"person": join_request.user, "org": organisation},
        )
    return redirect("organisations:members", pk=organisation.pk)


@login_required
@require_POST
def join_request_withdraw(request, pk, request_pk):
    """The person who asked withdraws their request."""
    organisation = selectors.organisation_get_for(user=request.user, pk=pk)
    join_request = selectors.join_request_get_for(user=request.user, organisation=organisation, pk=request_pk)
    services.join_request_withdraw(user=request.user, join_request=join_request)
    messages.success(request, _("Your request to join %(org)s has been withdrawn") % {"org": organisation})
    return redirect("organisations:detail", pk=organisation.pk)
