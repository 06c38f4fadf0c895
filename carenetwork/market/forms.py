"""The market's forms: its settings, and the supply page's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.market.models import MarketSettings
from carenetwork.market.supply import BY_AUTHORITY, BY_LOCALITY
from carenetwork.organisations.models import ServiceType

NUMERIC = {"class": "govuk-input--width-5", "inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}


class MarketSettingsForm(forms.ModelForm):
    class Meta:
        model = MarketSettings
        fields = ["area_codes", "hhi_amber", "hhi_red", "share_amber", "share_red"]
        widgets = {
            "area_codes": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
            **{name: forms.TextInput(attrs=NUMERIC) for name in ["hhi_amber", "hhi_red", "share_amber", "share_red"]},
        }
        error_messages = {
            name: {
                "required": _("Enter a whole number"),
                "invalid": _("Enter a whole number, like 1800"),
                "min_value": _("Enter a number of 1 or more"),
                "max_value": _("Enter a number no larger than %(limit_value)s"),
            }
            for name in ["hhi_amber", "hhi_red", "share_amber", "share_red"]
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
