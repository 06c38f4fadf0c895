"""Forms of the demand survey, the council's brokerage reports and the brokerage settings. They parse and render;
demand.py, report.py and services_settings.py count and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.organisations.models import Sector
from carenetwork.training.demand import MAX_STAFF, SurveyCategories
from carenetwork.training.models import BrokerageSettings
from carenetwork.training.report import financial_year_label

NUMERIC = {"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}
PREFIX = "category_"


class DemandSurveyForm(forms.Form):
    """One whole number per training category, every one optional: the staff who need it in the next six months."""

    hide_optional = True

    def __init__(self, *args, categories: SurveyCategories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories.all:
            self.fields[f"{PREFIX}{category.pk}"] = forms.IntegerField(
                label=category.name,
                required=False,
                min_value=0,
                max_value=MAX_STAFF,
                widget=forms.TextInput(attrs=NUMERIC),
                error_messages={
                    "invalid": _("Enter the number of staff who need %(category)s as a whole number, like 4")
                    % {"category": category.name},
                    "min_value": _("The number of staff who need %(category)s must be 0 or more")
                    % {"category": category.name},
                    "max_value": _("The number of staff who need %(category)s must be %(max)s or fewer")
                    % {"category": category.name, "max": f"{MAX_STAFF:,}"},
                },
            )

    def groups(self) -> list[tuple[str, str, list]]:
        """(id, legend, bound fields) of each group of questions that has any."""
        groups = [
            ("mandatory", _("Training that is mandatory for your staff"), self.categories.mandatory),
            ("other", _("Other training"), self.categories.others),
        ]
        return [(key, legend, [self[f"{PREFIX}{c.pk}"] for c in cats]) for key, legend, cats in groups if cats]

    def answers(self) -> dict[int, int | None]:
        """{category id: staff, or None where the box was left blank}."""
        return {int(name.removeprefix(PREFIX)): value for name, value in self.cleaned_data.items()}


class PrioritiesFilterForm(forms.Form):
    """An optional sector, by slug so that addresses read well."""

    hide_optional = True

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, error_messages={"invalid_choice": _("Select a sector from the list")}
    )

    def __init__(self, *args, sectors: list[Sector], **kwargs):
        super().__init__(*args, **kwargs)
        self.sectors = sectors
        self.fields["sector"].choices = [("", _("All"))] + [(s.slug, s.name) for s in sectors if s.is_active]

    def chosen_sector(self) -> Sector | None:
        slug = self.cleaned_data.get("sector") if self.is_valid() else ""
        return next((s for s in self.sectors if s.slug == slug), None) if slug else None


class ProgrammeFilterForm(forms.Form):
    """Which financial year to show."""

    hide_optional = True

    year = forms.TypedChoiceField(
        label=_("Financial year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Select a financial year from the list")},
    )

    def __init__(self, *args, years: list[int], default: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default
        self.fields["year"].choices = [(str(y), financial_year_label(y)) for y in years]
        self.fields["year"].initial = str(default)  # the year shown is the one selected

    def chosen_year(self) -> int:
        return (self.cleaned_data.get("year") if self.is_valid() else None) or self.default


class BrokerageSettingsForm(forms.ModelForm):
    """The partner margin for new runs, partners' days and the delegates' reminder."""

    class Meta:
        model = BrokerageSettings
        fields = ["partner_margin", "partner_days", "reminder_days"]
        labels = {
            "partner_margin": _("Partner margin, in places"),
            "partner_days": _("Days partners have to take places"),
            "reminder_days": _("Remind booked organisations this many days before a course"),
        }
        help_texts = {
            "partner_margin": _(
                "A run short of its minimum by this many places or fewer at its interest deadline is offered to "
                "partners. New runs start with this margin; runs already created keep theirs. Between 0 and 100."
            ),
            "partner_days": _("How long a run stays offered to partners before it is decided again. Between 1 and 60."),
            "reminder_days": _(
                "Each organisation with booked places is emailed once, with the details. Between 1 and 30."
            ),
        }
        widgets = {name: forms.TextInput(attrs=NUMERIC) for name in fields}
        error_messages = {
            "partner_margin": {
                "required": _("Enter the partner margin"),
                "invalid": _("Enter the partner margin as a whole number, like 3"),
                "max_value": _("The partner margin must be 100 places or fewer"),
                "min_value": _("The partner margin must be 0 or more"),
            },
            "partner_days": {
                "required": _("Enter how many days partners have"),
                "invalid": _("Enter the days partners have as a whole number, like 7"),
                "min_value": _("Partners must have at least 1 day"),
                "max_value": _("Partners can have at most 60 days"),
            },
            "reminder_days": {
                "required": _("Enter how many days before a course to remind"),
                "invalid": _("Enter the days before a course as a whole number, like 3"),
                "min_value": _("Remind at least 1 day before a course"),
                "max_value": _("Remind at most 30 days before a course"),
            },
        }
