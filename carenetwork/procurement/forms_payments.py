"""The invoice form and the payments page's choice of reporting period and quarter. They parse and render only: the
rules and the saving are in payments.py."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, MoneyField
from carenetwork.procurement import payments
from carenetwork.procurement.models import Invoice


class InvoiceForm(forms.ModelForm):
    received_on = DateInputField(label=_("Received"), help_text=_("The day the council received it, like 3 2 2026"))
    undisputed_on = DateInputField(
        label=_("Valid and undisputed from"),
        required=False,
        help_text=_(
            "Leave blank if it was valid and undisputed when it was received. If it was disputed or not valid, the "
            "day that was put right: the 30 days to pay start then"
        ),
    )
    paid_on = DateInputField(
        label=_("Paid"),
        required=False,
        help_text=_("The day the supplier received the money. Leave blank until it is paid"),
    )
    amount = MoneyField(
        label=_("Amount, including VAT"),
        max_digits=14,
        min_value=0,
        error_messages={
            "required": _("Enter the amount, including VAT"),
            "max_digits": _("Enter an amount less than £1,000,000,000,000"),
            "max_whole_digits": _("Enter an amount less than £1,000,000,000,000"),
        },
    )

    class Meta:
        model = Invoice
        fields = ["reference", "amount", "received_on", "undisputed_on", "paid_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].error_messages["required"] = _("Enter the invoice number")
        self.fields["reference"].help_text = _("As the supplier wrote it: each is used once on a contract")
        self.fields["reference"].widget.attrs["class"] = "govuk-input--width-20"

    def _post_clean(self):
        pass  # the service checks and saves (payments.invoice_save)


class PaymentsFilterForm(forms.Form):
    """Which payments compliance reporting period and which quarter the payments page shows."""

    hide_optional = True  # both have a default: the last complete one

    period = forms.CharField(label=_("Reporting period"), required=False, widget=forms.Select)
    quarter = forms.CharField(label=_("Quarter"), required=False, widget=forms.Select)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.periods = payments.reporting_periods(today)
        self.quarters = payments.quarters(today)
        self.fields["period"].widget.choices = [(p.key, p.label) for p in self.periods]
        self.fields["quarter"].widget.choices = [(q.key, q.label) for q in self.quarters]
        self.fields["period"].help_text = _("Six months, as the payments compliance notice reports them")
        self.fields["quarter"].help_text = _("Payments over £30,000 are published for each quarter")
        last_period = payments.last_complete_period(today) or (self.periods[0] if self.periods else None)
        last_quarter = payments.last_complete_quarter(today) or (self.quarters[0] if self.quarters else None)
        self.default_period, self.default_quarter = last_period, last_quarter
        self.initial.setdefault("period", last_period.key if last_period else "")
        self.initial.setdefault("quarter", last_quarter.key if last_quarter else "")

    def _span(self, value: str, make, default):
        if not value:
            return default
        try:
            start = datetime.date.fromisoformat(value)
        except ValueError as bad:
            raise forms.ValidationError(_("Choose one from the list")) from bad
        try:
            span = make(start)
        except payments.SpanRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        if span.start > self.today:
            raise forms.ValidationError(_("That has not started yet: choose one from the list"))
        return span

    def clean_period(self):
        return self._span(self.cleaned_data.get("period"), payments.reporting_period, self.default_period)

    def clean_quarter(self):
        return self._span(self.cleaned_data.get("quarter"), payments.quarter, self.default_quarter)

    def chosen(self) -> tuple:
        """(period, quarter) chosen, or the defaults: the last complete ones (None for any refused)."""
        if not self.is_bound:
            return self.default_period, self.default_quarter
        self.is_valid()
        data = self.cleaned_data
        return data.get("period"), data.get("quarter")
