"""The opportunity's forms (the officer's draft, its lots, criteria and documents) and the board's filters. They parse
and render only: the rules are in rules.py and the saving in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, MoneyField, number_field
from carenetwork.organisations.models import ServiceType
from carenetwork.procurement import rules
from carenetwork.procurement.models import ClientGroup, Criterion, Document, Lot, Opportunity

DATE_HINT = _("For example 27 3 2027")
BIG_MONEY = {"max_digits": 14, "min_value": 0}


def _date(label, *, required=False, help_text=DATE_HINT):
    return DateInputField(label=label, required=required, help_text=help_text)


DATE_ERRORS = {
    "tender-deadline-before-published": _("The tender deadline must be after the tender notice"),
    "questions-after-deadline": _("The questions deadline must be before the tender deadline"),
    "award-before-deadline": _("The award must be after the tender deadline"),
    "start-before-award": _("The contract cannot start before the award"),
}


class OpportunityForm(forms.ModelForm):
    """Everything the rule advice reads, in the order an officer decides it."""

    value = MoneyField(
        label=_("Estimated total value, including VAT"),
        help_text=_("In pounds, over the whole contract including any extensions. Thresholds include VAT"),
        required=False,
        **BIG_MONEY,
    )
    procurement_start = _date(
        _("When does (or did) the procurement start?"),
        required=True,
        help_text=_("The day of the first notice or market engagement. It decides which rules apply"),
    )
    market_engagement = _date(_("Market engagement event"))
    tender_published = _date(_("Tender notice published"))
    questions_deadline = _date(_("Deadline for clarification questions"))
    tender_deadline = _date(_("Tender deadline"))
    award_date = _date(_("Expected award"))
    contract_start = _date(_("Contract start"))
    minimum_turnover = MoneyField(
        label=_("Minimum yearly turnover asked of bidders"),
        required=False,
        help_text=_("Leave blank if none"),
        **BIG_MONEY,
    )
    insurance_required = MoneyField(
        label=_("Highest insurance cover asked"),
        required=False,
        help_text=_("For example public liability. Leave blank if none"),
        **BIG_MONEY,
    )
    duration_months = number_field(_("Contract length in months"), _("Enter the length in months"), required=False)

    class Meta:
        model = Opportunity
        fields = [
            "title",
            "reference",
            "description",
            "funding_route",
            "light_touch",
            "service_type",
            "client_group",
            "area",
            "value",
            "duration_months",
            "procurement_start",
            "market_engagement",
            "tender_published",
            "questions_deadline",
            "tender_deadline",
            "award_date",
            "contract_start",
            "no_lots_reason",
            "minimum_turnover",
            "insurance_required",
            "prequalification",
            "reserved_local",
            "reserved_uk",
            "reserved_sme_vcse",
            "health_led",
        ]
        widgets = {
            "funding_route": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
            "no_lots_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "reference": _("Your own reference, if you have one"),
            "no_lots_reason": _("Only if it is not divided into lots: the reasons go in the tender notice"),
            "health_led": _("For example a joint procurement with the NHS that includes health care"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Enter a title")
        self.fields["description"].error_messages["required"] = _("Enter a description")
        self.fields["procurement_start"].error_messages["required"] = _("Enter the day the procurement starts")
        self.fields["service_type"].queryset = ServiceType.objects.order_by("name")
        self.fields["client_group"].choices = [("", _("Any or not known"))] + list(ClientGroup.choices)

    def clean(self):
        data = super().clean()
        # The rules' own list of dates in order (rules.DATE_ORDER); the form refuses these, the advice warns of all.
        for key, later, _what in rules.dates_out_of_order(dict(data)):
            if key in DATE_ERRORS:
                self.add_error(later, DATE_ERRORS[key])
        return data


class LotForm(forms.ModelForm):
    value = MoneyField(label=_("Value including VAT"), required=False, **BIG_MONEY)
    duration_months = number_field(_("Length in months"), _("Enter the length in months"), required=False)

    class Meta:
        model = Lot
        fields = ["title", "description", "value", "duration_months", "area", "client_group"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Enter the lot's title")
        self.fields["client_group"].choices = [("", _("Any or not known"))] + list(ClientGroup.choices)


class CriterionForm(forms.ModelForm):
    weight = number_field(_("Weight (%)"), _("Enter the weight as a percentage"), max_value=100)

    class Meta:
        model = Criterion
        fields = ["kind", "name", "weight"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"name": _("What is assessed")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = _("Select the kind of criterion")
        self.fields["name"].error_messages["required"] = _("Enter what is assessed")


class DocumentForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Web address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the document is published, starting https://"),
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )

    class Meta:
        model = Document
        fields = ["title", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("Enter the document's title")
        self.fields["url"].error_messages.update(
            {"required": _("Enter the web address"), "invalid": _("Enter a web address, like https://example.org/spec")}
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        help_text=_("Every organisation that registered interest is sent this"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter why the opportunity is cancelled")},
    )


PART_FORMS = {"lots": LotForm, "criteria": CriterionForm, "documents": DocumentForm}


class BoardFilterForm(forms.Form):
    """The board's filters; every one optional."""

    VALUE_BANDS = [
        ("", _("Any value")),
        ("under-30000", _("Under £30,000")),
        ("30000-250000", _("£30,000 to £250,000")),
        ("250000-1000000", _("£250,000 to £1 million")),
        ("over-1000000", _("Over £1 million")),
    ]
    SHOW = [("open", _("Open")), ("closed", _("Closed and awarded"))]

    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False, widget=forms.RadioSelect)
    service_type = forms.ModelChoiceField(
        label=_("Service type"), queryset=ServiceType.objects.order_by("name"), required=False
    )
    area = forms.CharField(label=_("Area"), required=False, max_length=100)
    value = forms.ChoiceField(label=_("Value"), choices=VALUE_BANDS, required=False)
    sme = forms.BooleanField(label=_("Only those reserved for SMEs and VCSEs"), required=False)

    def __init__(self, *args, areas=(), council=False, **kwargs):
        super().__init__(*args, **kwargs)
        if council:
            self.fields["show"].choices = [*self.SHOW, ("to-award", _("Closed, waiting for the award"))]
        self.fields["service_type"].empty_label = _("Any service type")
        self.fields["area"].widget = forms.Select(choices=[("", _("Any area"))] + [(a, a) for a in areas])

    def criteria(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"show": "open"}
        return {**self.cleaned_data, "show": self.cleaned_data["show"] or "open"}
