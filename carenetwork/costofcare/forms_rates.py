"""The council's rate form, and the fee-gap page's "compare on" date. They parse and render only (rules: rates.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, MoneyField
from carenetwork.costofcare.models import CouncilRate


class CouncilRateForm(forms.ModelForm):
    effective_from = DateInputField(label=_("In force from"), help_text=_("For example 1 4 2026"))
    rate = MoneyField(label=_("Rate"), help_text=_("In pounds: an hour for home care, a week for a care home place"))
    weekly_volume = forms.DecimalField(
        label=_("Volume the council buys each week"),
        help_text=_("Hours a week for home care; the number of placements for a care home"),
        min_value=0,
        max_digits=10,
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={
            "required": _("Enter the volume the council buys each week"),
            "invalid": _("Enter a number, like 12000 or 250"),
            "min_value": _("The volume cannot be less than 0"),
        },
    )

    class Meta:
        model = CouncilRate
        fields = ["service_type", "source", "effective_from", "rate", "weekly_volume", "note"]
        widgets = {"service_type": forms.RadioSelect, "source": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].error_messages["required"] = _("Select the type of service")
        self.fields["rate"].error_messages["required"] = _("Enter the rate")
        self.fields["source"].help_text = _("A tendered rate comes from a procurement")

    def _post_clean(self):
        pass  # the service checks and saves (rates.council_rate_save)


class CompareOnForm(forms.Form):
    on = DateInputField(label=_("Compare the rates in force on"), help_text=_("For example 1 4 2027"))
