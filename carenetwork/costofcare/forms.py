"""The fair cost of care's forms: the home care and care home calculators (a provider's figures, grouped as the page
shows them) and an assumption set. They parse and render only; the services and calculators hold the rules."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, MoneyField
from carenetwork.costofcare.calculators import VISIT_LENGTHS, CareHomeInputs, Category, HomeCareInputs
from carenetwork.costofcare.models import AssumptionSet

NARROW = {"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false", "autocomplete": "off"}
DEFAULTS = HomeCareInputs()
RUNNING = [
    ("premises", _("Premises")),
    ("it", _("IT and telephony")),
    ("insurance", _("Insurance")),
    ("regulator", _("Regulator fees")),
    ("recruitment", _("Recruitment")),
    ("ppe", _("PPE")),
    ("other", _("Other running costs")),
]
RUNNING_LABELS = [label for label, _amount in DEFAULTS.running_costs_per_year]  # the calculator's own labels


def number(label, *, help_text="", min_value=Decimal(0), max_value=None, places=2) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=min_value,
        max_value=max_value,
        max_digits=12,
        decimal_places=places,
        widget=forms.TextInput(attrs=NARROW),
        error_messages={
            "required": _("Enter %(what)s") % {"what": str(label).lower()},
            "invalid": _("Enter a number, like 10 or 2.5"),
            "min_value": _("Enter %(limit_value)s or more"),
            "max_value": _("Enter %(limit_value)s or less"),
            "max_decimal_places": _("Enter a number with no more than %(max)s decimal places"),
        },
    )


def money(label, *, help_text="", min_value=Decimal(0)) -> MoneyField:
    return MoneyField(label=label, help_text=help_text, min_value=min_value)


# The page's fieldsets: (legend, field names)
GROUPS = [
    (_("Pay and hours"), ["pay_per_hour", "hours_per_week"]),
    (
        _("Travel and visits"),
        ["travel_minutes_per_visit", "waiting_minutes_per_visit", "miles_per_visit", "rate_per_mile"]
        + [f"visit_{m}" for m in VISIT_LENGTHS],
    ),
    (
        _("Sickness, training and supervision"),
        [
            "sick_days_per_year",
            "sickness_spells_per_year",
            "working_days_per_week",
            "training_hours_per_year",
            "supervision_hours_per_year",
        ],
    ),
    (
        _("Office and running costs"),
        ["contact_hours_per_year", "office_staff_per_year"] + [f"running_{k}" for k, _l in RUNNING],
    ),
    (_("Surplus"), ["surplus_percent"]),
]


class HomeCareForm(forms.Form):
    as_at = DateInputField(
        label=_("Work out the rate as at"),
        help_text=_("For example 1 4 2026. The figures in force on this date are used"),
    )
    pay_per_hour = money(
        _("Careworker pay (£ an hour)"),
        help_text=_("Basic pay, also paid for travel, waiting and training time. Not below the National Living Wage"),
    )
    hours_per_week = number(_("Paid hours a week for a careworker"), min_value=Decimal("0.5"))
    travel_minutes_per_visit = number(_("Paid travel time per visit (minutes)"))
    waiting_minutes_per_visit = number(_("Paid waiting time per visit (minutes)"))
    miles_per_visit = number(_("Miles per visit"))
    rate_per_mile = money(_("Mileage rate (£ a mile)"), help_text=_("HMRC's approved rate is 45p: enter 0.45"))
    sick_days_per_year = number(_("Sick days a careworker takes a year"))
    sickness_spells_per_year = number(_("Spells of sickness a year"))
    working_days_per_week = number(_("Working days a week"), min_value=Decimal("0.5"))
    training_hours_per_year = number(_("Paid training hours a year"))
    supervision_hours_per_year = number(_("Paid supervision hours a year"))
    contact_hours_per_year = number(_("Contact hours your service delivers a year"), min_value=Decimal(1))
    office_staff_per_year = money(
        _("Office and management staff (£ a year)"),
        help_text=_("Registered manager, coordinators and administration, with their on-costs"),
    )
    surplus_percent = number(_("Surplus (% of all costs)"), help_text=_("For example 3"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for minutes in VISIT_LENGTHS:
            self.fields[f"visit_{minutes}"] = number(
                _("%(minutes)s-minute visits (%% of visits)") % {"minutes": minutes}, places=2
            )
        for key, label in RUNNING:
            self.fields[f"running_{key}"] = money(_("%(label)s (£ a year)") % {"label": label})
        order = ["as_at"] + [name for _legend, names in GROUPS for name in names]
        self.order_fields(order)

    def groups(self):
        """The fields in their fieldsets, for the template."""
        return [(legend, [self[name] for name in names]) for legend, names in GROUPS]

    def clean(self):
        data = super().clean()
        shares = [data.get(f"visit_{m}") for m in VISIT_LENGTHS]
        if all(s is not None for s in shares) and sum(shares) != 100:
            self.add_error(
                "visit_15",
                _("The visit lengths must add up to 100%% (they add up to %(total)s%%)") % {"total": sum(shares)},
            )
        return data

    def inputs(self) -> HomeCareInputs:
        """The calculator's inputs from the cleaned data."""
        d = self.cleaned_data
        names = [
            "pay_per_hour",
            "hours_per_week",
            "travel_minutes_per_visit",
            "waiting_minutes_per_visit",
            "miles_per_visit",
            "rate_per_mile",
            "sick_days_per_year",
            "sickness_spells_per_year",
            "working_days_per_week",
            "training_hours_per_year",
            "supervision_hours_per_year",
            "contact_hours_per_year",
            "office_staff_per_year",
        ]
        return HomeCareInputs(
            **{name: d[name] for name in names},
            visit_mix=tuple((m, d[f"visit_{m}"] / 100) for m in VISIT_LENGTHS if d[f"visit_{m}"]),
            running_costs_per_year=tuple(
                (label, d[f"running_{key}"]) for (key, _l), label in zip(RUNNING, RUNNING_LABELS, strict=True)
            ),
            surplus_rate=d["surplus_percent"] / 100,
        )

    @staticmethod
    def initial_from(inputs: HomeCareInputs, as_at) -> dict:
        """The form's initial values from a calculation's inputs (the calculator's defaults for a new one)."""
        initial = {"as_at": as_at or timezone.localdate()}
        for name in HomeCareForm.base_fields:
            if hasattr(inputs, name):
                initial[name] = getattr(inputs, name)
        mix = dict(inputs.visit_mix)
        total = sum(mix.values()) or 1
        for m in VISIT_LENGTHS:
            initial[f"visit_{m}"] = _plain(mix.get(m, 0) * 100 / total)
        costs = dict(inputs.running_costs_per_year)
        for (key, _l), label in zip(RUNNING, RUNNING_LABELS, strict=True):
            initial[f"running_{key}"] = costs.get(label, 0)
        initial["surplus_percent"] = _plain(inputs.surplus_rate * 100)
        return initial


def _plain(value: Decimal) -> Decimal:
    """A figure without trailing zeros (50, not 50.0000)."""
    value = Decimal(value).quantize(Decimal("0.01"))
    return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


CARE_HOME_DEFAULTS = CareHomeInputs()
NON_STAFF = [
    ("food", _("Food")),
    ("utilities", _("Utilities")),
    ("maintenance", _("Maintenance and repairs")),
    ("insurance", _("Insurance")),
    ("fees", _("Registration and other fees")),
    ("supplies", _("Medical supplies and PPE")),
    ("other", _("Other non-staff costs")),
]
NON_STAFF_LABELS = [label for label, _amount in CARE_HOME_DEFAULTS.non_staff_costs]  # the calculator's own labels
CARE_HOME_GROUPS = [
    (
        _("Pay by grade"),
        ["care_worker_pay", "nurse_pay", "support_staff_pay", "management_pay", "hours_per_week"],
    ),
    (
        _("Care and nursing hours for each resident a week"),
        [f"{kind}_hours_{c.value}" for c in Category for kind in ("care", "nursing")]
        + ["support_staff_hours", "management_hours"],
    ),
    (_("Sickness"), ["sick_days_per_year", "sickness_spells_per_year", "working_days_per_week"]),
    (_("Non-staff costs for each resident a week"), [f"cost_{key}" for key, _l in NON_STAFF]),
    (
        _("Returns and occupancy"),
        ["return_on_operations_percent", "property_value_per_bed", "return_on_capital_percent", "occupancy_percent"],
    ),
]
CARE_HOME_PLAIN = [  # fields that are the calculator's own, as they are
    "care_worker_pay",
    "nurse_pay",
    "support_staff_pay",
    "management_pay",
    "hours_per_week",
    "support_staff_hours",
    "management_hours",
    "sick_days_per_year",
    "sickness_spells_per_year",
    "working_days_per_week",
    "property_value_per_bed",
]
CARE_HOME_PERCENT = {  # form field: the calculator's share
    "return_on_operations_percent": "return_on_operations",
    "return_on_capital_percent": "return_on_capital",
    "occupancy_percent": "occupancy",
}


class CareHomeForm(forms.Form):
    """A care home's figures for the weekly fee of the four categories, and the category its return is for."""

    as_at = DateInputField(
        label=_("Work out the fee as at"),
        help_text=_("For example 1 4 2026. The figures in force on this date are used"),
    )
    category = forms.ChoiceField(
        label=_("Which category is your return for?"),
        help_text=_(
            "You see the weekly fee of all four categories. If you submit this calculation as your cost return, the "
            "council gets the fee of this one"
        ),
        choices=[(c.value, c.label) for c in Category],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the category your return is for")},
    )
    care_worker_pay = money(
        _("Care worker pay (£ an hour)"), help_text=_("Not below the National Living Wage, like every grade")
    )
    nurse_pay = money(_("Nurse pay (£ an hour)"))
    support_staff_pay = money(
        _("Support staff pay (£ an hour)"), help_text=_("Catering, domestic, laundry, maintenance and activities")
    )
    management_pay = money(
        _("Management and administration pay (£ an hour)"),
        help_text=_("Manager, deputy and administration, as an hourly equivalent"),
    )
    hours_per_week = number(
        _("Paid hours a week for a full-time worker"),
        help_text=_("To work out holiday, sick pay, National Insurance and pension for a year"),
        min_value=Decimal("0.5"),
    )
    support_staff_hours = number(_("Support staff hours (every category)"))
    management_hours = number(_("Management and administration hours (every category)"))
    sick_days_per_year = number(_("Sick days a worker takes a year"))
    sickness_spells_per_year = number(_("Spells of sickness a year"))
    working_days_per_week = number(_("Working days a week"), min_value=Decimal("0.5"))
    return_on_operations_percent = number(
        _("Return on operations (% of staff and non-staff costs)"), help_text=_("For example 5")
    )
    property_value_per_bed = money(_("Property value for each bed (£)"), help_text=_("For example 90000"))
    return_on_capital_percent = number(
        _("Return on capital (% of the property value a year)"), help_text=_("For example 6")
    )
    occupancy_percent = number(
        _("Occupancy (% of beds filled)"),
        help_text=_("The return on capital is spread over the residents: for example 90"),
        min_value=Decimal(1),
        max_value=Decimal(100),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in Category:
            for kind, words in (("care", _("care worker hours")), ("nursing", _("nursing hours"))):
                field = number(_("%(category)s: %(hours)s") % {"category": c.label, "hours": words})
                field.error_messages["required"] = _("Enter the %(hours)s for %(category)s") % {
                    "hours": words,
                    "category": c.label.lower(),
                }
                self.fields[f"{kind}_hours_{c.value}"] = field
        for key, label in NON_STAFF:
            self.fields[f"cost_{key}"] = money(_("%(label)s (£ a resident a week)") % {"label": label})
        self.order_fields(["as_at", "category"] + [name for _legend, names in CARE_HOME_GROUPS for name in names])

    def groups(self):
        """The fields in their fieldsets, for the template."""
        return [(legend, [self[name] for name in names]) for legend, names in CARE_HOME_GROUPS]

    def inputs(self) -> CareHomeInputs:
        """The calculator's inputs from the cleaned data."""
        d = self.cleaned_data
        return CareHomeInputs(
            **{name: d[name] for name in CARE_HOME_PLAIN},
            **{share: d[name] / 100 for name, share in CARE_HOME_PERCENT.items()},
            care_hours={c: d[f"care_hours_{c.value}"] for c in Category},
            nursing_hours={c: d[f"nursing_hours_{c.value}"] for c in Category},
            non_staff_costs=tuple(
                (label, d[f"cost_{key}"]) for (key, _l), label in zip(NON_STAFF, NON_STAFF_LABELS, strict=True)
            ),
        )

    def chosen_category(self) -> Category:
        return Category(self.cleaned_data["category"])

    @staticmethod
    def initial_from(inputs: CareHomeInputs, as_at, category=Category.RESIDENTIAL) -> dict:
        """The form's initial values from a calculation's inputs (the calculator's defaults for a new one)."""
        initial = {"as_at": as_at or timezone.localdate(), "category": Category(category).value}
        for name in CARE_HOME_PLAIN:
            initial[name] = getattr(inputs, name)
        for name, share in CARE_HOME_PERCENT.items():
            initial[name] = _plain(getattr(inputs, share) * 100)
        for c in Category:
            initial[f"care_hours_{c.value}"] = inputs.care_hours[c]
            initial[f"nursing_hours_{c.value}"] = inputs.nursing_hours[c]
        costs = dict(inputs.non_staff_costs)
        for (key, _l), label in zip(NON_STAFF, NON_STAFF_LABELS, strict=True):
            initial[f"cost_{key}"] = costs.get(label, 0)
        return initial


class AssumptionSetForm(forms.ModelForm):
    effective_from = DateInputField(label=_("In force from"), help_text=_("For example 1 4 2027"))

    class Meta:
        model = AssumptionSet
        fields = [
            "effective_from",
            "label",
            "national_living_wage",
            "ni_rate",
            "ni_threshold_year",
            "pension_rate",
            "pension_band_low",
            "pension_band_high",
            "ssp_weekly_rate",
            "ssp_from_day_one",
            "ssp_waiting_days",
            "ssp_lower_earnings_limit",
            "ssp_earnings_share",
            "holiday_weeks",
            "homecare_association_price",
            "sources",
        ]
        widgets = {
            "label": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            "sources": forms.Textarea(attrs={"rows": 6}),
            "ssp_waiting_days": forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField):
                field.widget = forms.TextInput(attrs=NARROW)
                field.error_messages["invalid"] = _("Enter a number, like 12.71 or 0.15")
        self.fields["sources"].error_messages["required"] = _("Enter where the figures come from")
        self.fields["label"].error_messages["required"] = _("Enter a label, such as 2027/28")

    def clean(self):
        data = super().clean()
        # Figures the calculators cannot work with: a year is 52 weeks, and a share is less than the whole.
        holiday = data.get("holiday_weeks")
        if holiday is not None and not 0 <= holiday < 52:
            self.add_error("holiday_weeks", _("Enter a number of weeks from 0 to less than 52"))
        for name in ("ni_rate", "pension_rate", "ssp_earnings_share"):
            share = data.get(name)
            if share is not None and not 0 <= share <= 1:
                self.add_error(name, _("Enter a share from 0 to 1: 0.15 is 15%"))
        return data

    def _post_clean(self):
        # The service checks and saves (ModelForm's own instance validation would run the model's checks twice).
        pass
