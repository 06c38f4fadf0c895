"""The market's forms: its settings, and the supply page's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.market.models import MarketSettings
from carenetwork.market.supply import BY_AUTHORITY, BY_LOCALITY
from carenetwork.organisations.models import ServiceType

NUMERIC = {"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}


NUMBERS = ["hhi_amber", "hhi_red", "share_amber", "share_red", "return_opens", "return_closes"]


class MarketSettingsForm(forms.ModelForm):
    class Meta:
        model = MarketSettings
        fields = ["area_codes", *NUMBERS, "mailbox"]
        widgets = {
            "area_codes": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
            "mailbox": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            **{name: forms.TextInput(attrs=NUMERIC) for name in NUMBERS},
        }
        error_messages = {
            name: {
                "required": _("Enter a whole number"),
                "invalid": _("Enter a whole number, like 1800"),
                "min_value": _("Enter a number of 1 or more"),
                "max_value": _("Enter a number no larger than %(limit_value)s"),
            }
            for name in NUMBERS
        }


class SupplyFilterForm(forms.Form):
    service_type = forms.ModelChoiceField(
        label=_("Service type"), queryset=ServiceType.objects.none(), required=False, empty_label=_("All service types")
    )
    by = forms.ChoiceField(
        label=_("Areas"),
        choices=[(BY_LOCALITY, _("The council's localities")), (BY_AUTHORITY, _("Local authorities"))],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(locations__isnull=False).distinct()

    def criteria(self) -> dict:
        if not self.is_valid():
            return {"service_type": None, "by": None}
        return {"service_type": self.cleaned_data["service_type"], "by": self.cleaned_data["by"] or None}


def return_field(name: str) -> forms.Field:
    """The form field of one of a capacity return's figures, with its rules: the form and the spreadsheet upload
    (returns_upload.py) both check a figure with it."""
    from carenetwork.market.models import CapacityReturn

    label = str(CapacityReturn._meta.get_field(name).verbose_name)
    label = label[0].upper() + label[1:]
    if name == "taking_new":
        return forms.TypedChoiceField(
            label=label,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            coerce=lambda v: v == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Answer yes or no to: %(what)s") % {"what": label.lower()}},
        )
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.TextInput(attrs=NUMERIC),
        error_messages={
            "invalid": _("Enter %(what)s as a whole number, like 12") % {"what": label.lower()},
            "min_value": _("%(what)s cannot be less than 0") % {"what": label},
            "max_value": _("%(what)s must be 100,000 or fewer") % {"what": label},
        },
    )


class CapacityReturnForm(forms.Form):
    """A location's return: the figures its kind of service gives (returns.fields_for), all optional whole numbers."""

    def __init__(self, *args, location, initial_return=None, **kwargs):
        from carenetwork.market.returns import fields_for

        super().__init__(*args, **kwargs)
        for name in fields_for(location):
            self.fields[name] = return_field(name)
            if initial_return is not None and not self.is_bound:
                value = getattr(initial_return, name)
                self.initial[name] = ("yes" if value else "no") if name == "taking_new" and value is not None else value
