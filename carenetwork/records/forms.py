"""Forms for the staff register, training records, the matrix filters and a provider's own requirements."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, WidthBoundField
from carenetwork.core.widgets import QuickCheckboxes, QuickSelect
from carenetwork.records.imports.values import js_length
from carenetwork.records.models import JobRole, TrainingCategory, TrainingRecord
from carenetwork.records.rules import Status


class _NameChoices(ModelChoiceIterator):
    """The options as (id, name) pairs from one query: a large provider has a hundred or more locations, and a model
    instance for each cost more than writing the whole select."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    """A choice of one row (a location, job role or category), listed by name; the chosen row is still an instance."""

    iterator = _NameChoices


def _active(model):
    return model.objects.filter(is_active=True).only("pk", "name").order_by("name")


def _category_field():
    return NameChoiceField(
        widget=QuickSelect,
        label=_("Training category"),
        queryset=_active(TrainingCategory),
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose the training category")},
    )


def _locations(organisation):
    return organisation.locations.only("pk", "name", "organisation").order_by("name")


class StaffForm(forms.Form):
    """Add or change a person on the register: only the personal data the register needs."""

    bound_field_class = WidthBoundField

    name = forms.CharField(
        label=_("Full name"), max_length=150, error_messages={"required": _("Enter the person's full name")}
    )
    job_role = NameChoiceField(
        widget=QuickSelect,
        label=_("Job role"),
        queryset=_active(JobRole),
        empty_label=_("Choose a job role"),
        error_messages={"required": _("Choose the person's job role")},
    )
    location = NameChoiceField(
        widget=QuickSelect,
        label=_("Location (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Not tied to one location"),
    )
    start_date = DateInputField(
        label=_("Start date"),
        help_text=_("For example, 1 4 2024"),
        error_messages={"required": _("Enter the date they started")},
    )
    reference = forms.CharField(
        label=_("Your reference (optional)"),
        max_length=50,
        required=False,
        help_text=_("Your own ID for this person, such as their ASC-WDS unique worker ID. Imports match on it."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        help_text=_("We remind them before their training expires"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(organisation).filter(is_active=True)


class LeaverForm(forms.Form):
    leaving_date = DateInputField(
        label=_("Leaving date"),
        help_text=_("Their records are kept for the council's retention period and then removed"),
        error_messages={"required": _("Enter the date they left")},
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or reference"), required=False, max_length=100)
    location = NameChoiceField(
        widget=QuickSelect, label=_("Location"), queryset=None, required=False, empty_label=_("All")
    )
    job_role = NameChoiceField(
        widget=QuickSelect, label=_("Job role"), queryset=_active(JobRole), required=False, empty_label=_("All")
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(organisation)


class MatrixFilterForm(StaffFilterForm):
    template_name = "records/_matrix_form.html"

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (Status.MISSING, _("Missing")),
            (Status.EXPIRED, _("Expired")),
            (Status.EXPIRING, _("Expiring soon")),
        ],
        widget=QuickSelect,
        help_text=_("People with at least one required course in this state"),
    )
    categories = forms.TypedMultipleChoiceField(
        label=_("Categories to show"),
        coerce=int,
        required=False,
        widget=QuickCheckboxes,
        help_text=_("Leave all unticked to show every category"),
        error_messages={"invalid_choice": _("Choose categories from the list")},
    )

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["q"]
        self.fields["categories"].choices = [(c.pk, c.name) for c in columns]


class RecordForm(forms.Form):
    """A training record as the provider keeps it; the expiry comes from the category unless given."""

    bound_field_class = WidthBoundField

    category = _category_field()
    training_name = forms.CharField(
        label=_("Course name (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example, Safeguarding adults level 2"),
    )
    completed_on = DateInputField(
        label=_("Date completed"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date they completed the training")},
    )
    expires_on = DateInputField(
        label=_("Expiry date (optional)"),
        required=False,
        help_text=_("Leave blank to work it out from how often the category must be renewed"),
    )
    accredited = forms.ChoiceField(
        label=_("Was it accredited?"),
        choices=TrainingRecord.Accredited.choices,
        initial=TrainingRecord.Accredited.DONT_KNOW,
        widget=forms.RadioSelect,
    )
    delivered_by = forms.ChoiceField(
        label=_("Who delivered it? (optional)"),
        choices=TrainingRecord.DeliveredBy.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    provider_name = forms.CharField(label=_("Training provider (optional)"), max_length=200, required=False)
    how_delivered = forms.ChoiceField(
        label=_("How was it delivered? (optional)"),
        choices=TrainingRecord.HowDelivered.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    certificate = forms.FileField(
        label=_("Certificate (optional)"),
        required=False,
        help_text=_("A PDF, JPG or PNG up to 10 MB. Only your organisation's admins and the person can open it."),
    )

    def _within(self, field: str, limit: int) -> str:
        # Counted as ASC-WDS counts (UTF-16 code units), so that what we accept ASC-WDS accepts.
        value = self.cleaned_data.get(field, "")
        if js_length(value) > limit:
            raise forms.ValidationError(
                _("This must be %(limit)s characters or fewer (it has %(count)s)")
                % {"limit": limit, "count": js_length(value)}
            )
        return value

    def clean_training_name(self):
        return self._within("training_name", 120)

    def clean_notes(self):
        return self._within("notes", 1000)

    def clean(self):
        data = super().clean()
        completed, expires = data.get("completed_on"), data.get("expires_on")
        if completed and expires and expires <= completed:
            # ASC-WDS rejects an expiry on the day of completion too (its error 1030).
            self.add_error("expires_on", _("The expiry date must be after the date completed"))
        return data


class RequirementForm(forms.Form):
    """A provider's own requirement: a category for every role or for one."""

    category = _category_field()
    job_role = NameChoiceField(
        widget=QuickSelect,
        label=_("Job role"),
        queryset=_active(JobRole),
        required=False,
        empty_label=_("Every job role"),
    )
