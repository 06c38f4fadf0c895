"""An organisation's API tokens: the list with their last use, making one (its secret shown once), revoking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from carenetwork.api import services
from carenetwork.api.forms import TokenForm
from carenetwork.api.models import ApiToken, Area
from carenetwork.api.permissions import can_manage_tokens
from carenetwork.core.access import require
from carenetwork.core.forms_errors import submitted
from carenetwork.organisations.selectors import organisation_get_for


def _organisation(request, pk):
    organisation = organisation_get_for(user=request.user, pk=pk)
    require(can_manage_tokens(request.user, organisation))
    return organisation


@login_required
def token_list(request, pk):
    """The organisation's tokens, newest first, with what each may do and when it was last used."""
    organisation = _organisation(request, pk)
    tokens = ApiToken.objects.filter(organisation=organisation).select_related("created_by", "revoked_by")
    return render(
        request, "api/tokens.html", {"organisation": organisation, "tokens": tokens, "areas": dict(Area.choices)}
    )


@login_required
def token_new(request, pk):
    """Make a token. The secret is on the answer to the form only: it is not kept, so it cannot be shown again."""
    organisation = _organisation(request, pk)
    form = TokenForm(request.POST or None)
    made = submitted(
        request,
        form,
        lambda data: services.token_create(actor=request.user, organisation=organisation, **data),
    )
    if made:
        token, secret = made
        response = render(
            request, "api/token_made.html", {"organisation": organisation, "token": token, "secret": secret}
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "api/token_new.html", {"organisation": organisation, "form": form})


@login_required
def token_revoke(request, pk, token_pk):
    """Ask, then stop a token working at once."""
    organisation = _organisation(request, pk)
    token = get_object_or_404(ApiToken, organisation=organisation, pk=token_pk)
    if request.method == "POST":
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token ‘%(name)s’ has been revoked") % {"name": token.name})
        return redirect("api:tokens", pk=organisation.pk)
    return render(request, "api/token_revoke.html", {"organisation": organisation, "token": token})
