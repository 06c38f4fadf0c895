"""Forms for proposing and reviewing courses, and the catalogue's filters. They parse and render; services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, MoneyField, WidthBoundField
from carenetwork.core.widgets import QuickSelect
from carenetwork.records.models import TrainingCategory
from carenetwork.training.courses import Decision, decisions_for
from carenetwork.training.models import Course, DeliveryMode

DECISION_LABELS = {
    Decision.APPROVE: _("Approve it: members can see it and officers can add runs"),
    Decision.RETURN: _("Return it to the training provider with comments"),
    Decision.WITHDRAW: _("Withdraw it: members no longer see it or its runs"),
}


class CourseForm(forms.Form):
    """A course as its training provider describes it."""

    bound_field_class = WidthBoundField

    title = forms.CharField(
        label=_("Course title"), max_length=150, error_messages={"required": _("Enter the course title")}
    )
    outline = forms.CharField(
        label=_("Outline"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the course covers, who it is for and what people will be able to do afterwards"),
        error_messages={"required": _("Enter an outline of the course")},
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Training categories covered"),
        queryset=TrainingCategory.objects.filter(is_active=True).only("pk", "name", "is_active").order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. Attending delegates get a training record in each one."),
        error_messages={"required": _("Choose at least one training category the course covers")},
    )
    duration_hours = forms.DecimalField(
        label=_("Duration in hours"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        help_text=_("The learning time in hours, like 6 or 3.5"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter how many hours the course lasts"),
            "invalid": _("Enter the duration as a number of hours, like 6 or 3.5"),
            "min_value": _("The course must last at least half an hour"),
            "max_digits": _("Enter the duration as a number of hours, like 6 or 3.5"),
            "max_decimal_places": _("Enter the duration to the nearest tenth of an hour, like 3.5"),
        },
    )
    delivery_mode = forms.ChoiceField(
        label=_("How is it delivered?"),
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the course is delivered")},
    )
    accreditation = forms.CharField(
        label=_("Accreditation"),
        max_length=200,
        required=False,
        help_text=_("The awarding or endorsing body, like Skills for Care endorsed or CPD certified"),
    )
    max_group_size = forms.IntegerField(
        label=_("Maximum group size"),
        min_value=1,
        max_value=500,
        help_text=_("The most people one run of the course can take"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the maximum group size"),
            "invalid": _("Enter the maximum group size as a whole number, like 12"),
            "min_value": _("The group must be at least 1 person"),
            "max_value": _("The group must be 500 people or fewer"),
        },
    )
    usual_price = MoneyField(
        label=_("Usual price per delegate (£)"),
        required=False,
        help_text=_(
            "What you charge one organisation for one place when it books alone, like 95 or £120.50. "
            "The council measures what providers save by buying together against it."
        ),
    )


class ReviewForm(forms.Form):
    """A council officer's decision on a course: approve, return with comments, or withdraw."""

    decision = forms.ChoiceField(
        label=_("What is your decision?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to approve, return or withdraw the course"),
            "invalid_choice": _("The course has changed since you opened this page: choose again"),
        },
    )
    comments = forms.CharField(
        label=_("Comments for the training provider"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Needed when you return the course: say what to change. They are sent with the decision."),
    )

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d, DECISION_LABELS[d]) for d in decisions_for(course)]


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters; every one optional."""

    hide_optional = True

    category = forms.ModelChoiceField(
        widget=QuickSelect, label=_("Training category"), queryset=None, required=False, empty_label=_("Any")
    )
    sector = forms.ModelChoiceField(
        widget=QuickSelect, label=_("Sector targeted"), queryset=None, required=False, empty_label=_("Any")
    )
    date_from = DateInputField(label=_("Starting on or after"), required=False, help_text=_("For example, 1 9 2026"))
    date_to = DateInputField(label=_("Starting on or before"), required=False, help_text=_("For example, 30 9 2026"))
    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
    delivery_mode = forms.ChoiceField(
        label=_("Delivery mode"), required=False, choices=[("", _("Any")), *DeliveryMode.choices], widget=QuickSelect
    )
    max_price = MoneyField(
        label=_("Most you will pay per place (£)"),
        required=False,
        min_value=0,
        help_text=_("Runs whose place costs at most this now"),
        error_messages={
            "invalid": _("Enter the price as an amount in pounds, like 75 or 75.50"),
            "min_value": _("Enter a price of £0 or more"),
        },
    )

    def __init__(self, *args, filters: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = filters["categories"]
        self.fields["sector"].queryset = filters["sectors"]
        self.fields["area"].choices = [("", _("Any"))] + [(a, a) for a in filters["areas"]]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The second date must be the same as or after the first"))
        return data

    def criteria(self) -> dict:
        """The filters that are valid: a mistake in one field does not empty the whole list."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "") and k not in self.errors}


class CourseFilterForm(forms.Form):
    """Search and filters for the course list."""

    hide_optional = True

    q = forms.CharField(label=_("Course title"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        widget=QuickSelect,
        label=_("Training category"),
        queryset=TrainingCategory.objects.filter(is_active=True).only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("Any"),
    )
    delivery_mode = forms.ChoiceField(
        label=_("Delivery mode"), required=False, choices=[("", _("Any")), *DeliveryMode.choices]
    )

    def criteria(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "") and k not in self.errors}
