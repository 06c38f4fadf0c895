"""A person's own account: profile and the two-factor requirement for council staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenetwork.accounts.forms import ProfileForm


@login_required
def profile(request):
    """Your name, job title and phone, and links to sign-in settings."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your details have been saved"))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def mfa_required(request):
    """Explains that council staff must set up an authenticator app."""
    return render(request, "accounts/mfa_required.html")
