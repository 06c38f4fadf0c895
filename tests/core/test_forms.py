"""The GOV.UK form renderer's rules for every form: no control characters in text, "required" messages in the
field's own words, and "(optional)" said once."""

import datetime

import pytest
from django import forms
from django.http import Http404

from carenetwork.core.access import id_param
from carenetwork.core.form_fields import DateInputField
from carenetwork.core.forms import field_words


class PersonForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=50)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    colour = forms.ChoiceField(label="Favourite colour", choices=[("", "Choose"), ("red", "Red")])
    postcode = forms.CharField(label="Postcode (optional)", required=False)
    cqc = forms.CharField(label="CQC location ID", error_messages={"required": "Enter the CQC location ID"})
    upload = forms.FileField(label="Certificate")


@pytest.mark.parametrize(
    "text", ["Ann\x0bSmith", "Ann\x1b[31mSmith", "Ann\x00Smith", "Ann\x7f", "Ann\x85Smith", "A\ufffe"]
)
def test_text_with_control_characters_is_refused_with_the_fields_name(text):
    form = PersonForm({"name": text, "colour": "red", "cqc": "1-1"})
    assert not form.is_valid()
    assert form.errors["name"] == [
        "Full name must not include hidden characters such as tabs copied from another program: type it in"
    ]


def test_tabs_and_line_breaks_are_kept_in_a_textarea():
    form = PersonForm({"name": "Ann Smith", "notes": "one\r\n\ttwo", "colour": "red", "cqc": "1-1"})
    form.is_valid()
    assert "name" not in form.errors and "notes" not in form.errors
    assert form.cleaned_data["notes"] == "one\r\n\ttwo"


def test_required_messages_say_what_to_do_in_the_fields_own_words():
    form = PersonForm({})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter full name"]
    assert form.errors["colour"] == ["Select favourite colour"]
    assert form.errors["cqc"] == ["Enter the CQC location ID"]  # a form's own message stays
    assert form.errors["upload"] == ["Choose certificate"]
    assert "This field is required." not in str(form.errors)


def test_field_words_keep_acronyms_and_drop_question_marks():
    assert field_words("CQC location ID") == "CQC location ID"
    assert field_words("Who delivered it?") == "who delivered it"


def test_optional_is_said_once_when_the_label_already_says_it():
    html = str(PersonForm())
    assert "(optional) (optional)" not in html
    assert html.count("(optional)") == 2  # Notes, and the postcode's own label
    assert "Notes (optional)" in html


class ChoiceOfRowsForm(forms.Form):
    places = forms.IntegerField(label="Places")
    job_role = forms.ModelChoiceField(label="Job role", queryset=None)
    categories = forms.ModelMultipleChoiceField(label="Categories", queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from carenetwork.records.models import JobRole, TrainingCategory

        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = JobRole.objects.all()
        self.fields["categories"].queryset = TrainingCategory.objects.all()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999999", "²", "١٢", "-99999999999999999999", "9" * 5000])
def test_a_number_or_id_no_database_column_holds_is_a_form_error_not_an_overflow(value):
    form = ChoiceOfRowsForm({"places": value, "job_role": value, "categories": [value]})
    assert not form.is_valid()
    assert form.errors["job_role"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert form.errors["categories"] == ["Select a valid choice. 0 is not one of the available choices."]
    assert ("places" in form.errors) == (value != "١٢")  # Arabic-Indic digits are a real number, 12


@pytest.mark.django_db
def test_a_huge_whole_number_is_refused_in_plain_words():
    form = ChoiceOfRowsForm({"places": str(2**40)})
    form.is_valid()
    assert form.errors["places"] == ["Places must be 2,147,483,647 or less"]


@pytest.mark.parametrize("value", ["abc", "²", "0", "-1", str(2**31), "9" * 5000])
def test_an_id_in_a_query_string_that_cannot_be_one_is_not_found(value):
    with pytest.raises(Http404):
        id_param(value)


def test_an_id_in_a_query_string_is_read():
    assert id_param(" 12 ") == 12


class MeasureForm(forms.Form):
    fee = forms.DecimalField(label="Fee", max_digits=8, decimal_places=2)


def test_a_decimal_field_keeps_its_own_limit_and_words():
    form = MeasureForm({"fee": "99999999999"})
    assert not form.is_valid()
    assert form.errors["fee"] == ["Ensure that there are no more than 8 digits in total."]


class DateForm(forms.Form):
    started = DateInputField(label="Start date")


@pytest.mark.parametrize(
    ("year", "started"), [("1998", datetime.date(1998, 9, 1)), ("2030", datetime.date(2030, 9, 1))]
)
def test_a_date_long_ago_or_ahead_is_read(year, started):
    form = DateForm({"started_0": "1", "started_1": "9", "started_2": year})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["started"] == started


@pytest.mark.parametrize(("year", "message"), [("98", "Year must include 4 numbers"), ("3025", "Enter a real date")])
def test_a_year_that_cannot_be_meant_says_what_to_do(year, message):
    form = DateForm({"started_0": "1", "started_1": "9", "started_2": year})
    assert not form.is_valid()
    assert form.errors["started"][0].startswith(message)
