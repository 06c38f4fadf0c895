"""Forms for people's own accounts."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.accounts.models import User


class SignupForm(AllauthSignupForm):
    """Sign up with a name as well as an email address and password."""

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
