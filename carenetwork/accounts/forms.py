"""Forms for people's own accounts."""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.accounts.models import User


class GovukWordingMixin:
    """allauth's forms in GOV.UK style: labels in sentence case from LABELS, hints from HINTS, no placeholders
    (GOV.UK: placeholder text disappears as people type and is often too faint to read)."""

    LABELS: dict = {}
    HINTS: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.LABELS:
                field.label = self.LABELS[name]
            if name in self.HINTS:
                field.help_text = self.HINTS[name]


PASSWORD_HINT = _("Use at least 10 characters. Do not use a password that is easy to guess.")


class LoginForm(GovukWordingMixin, AllauthLoginForm):
    """Sign in with an email address and password."""

    LABELS = {
        "login": _("Email address"),
        "password": _("Password"),
        "remember": _("Stay signed in when I close my browser"),
    }
    HINTS = {"password": ""}  # the page links to 'Forgotten your password?' itself


class ResetPasswordForm(GovukWordingMixin, AllauthResetPasswordForm):
    LABELS = {"email": _("Email address")}


class ResetPasswordKeyForm(GovukWordingMixin, AllauthResetPasswordKeyForm):
    LABELS = {"password1": _("Create a new password"), "password2": _("Confirm your new password")}
    HINTS = {"password1": PASSWORD_HINT}


class ChangePasswordForm(GovukWordingMixin, AllauthChangePasswordForm):
    LABELS = {
        "oldpassword": _("Current password"),
        "password1": _("New password"),
        "password2": _("Confirm your new password"),
    }
    HINTS = {"password1": PASSWORD_HINT}


class AddEmailForm(GovukWordingMixin, AllauthAddEmailForm):
    LABELS = {"email": _("Email address")}
    HINTS = {"email": _("We will send it an email to confirm it is yours")}


class AuthenticateForm(GovukWordingMixin, AllauthAuthenticateForm):
    LABELS = {"code": _("Code from your authenticator app")}
    HINTS = {"code": _("Or enter one of your recovery codes")}


class SignupForm(GovukWordingMixin, AllauthSignupForm):
    """Sign up with a name as well as an email address and password."""

    LABELS = {"email": _("Email address"), "password1": _("Create a password"), "password2": _("Confirm your password")}
    HINTS = {"password1": PASSWORD_HINT}

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        return user


class ProfileForm(forms.ModelForm):
    """A person's own name, job title and phone."""

    class Meta:
        model = User
        fields = ["full_name", "job_title", "phone"]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }
