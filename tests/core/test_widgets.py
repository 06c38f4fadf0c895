"""The quick checkboxes write the same markup as Django's own, without a template per input."""

import pytest
from django import forms

from carenetwork.core.widgets import QuickCheckboxes

CHOICES = [(1, "Safeguarding adults"), (2, "Fire safety & <evacuation>"), (3, 'Food "hygiene"')]


class DjangoCheckboxes(forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label="Categories", choices=CHOICES, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )


class QuickForm(forms.Form):
    chosen = forms.TypedMultipleChoiceField(
        label="Categories", choices=CHOICES, coerce=int, required=False, widget=QuickCheckboxes
    )


@pytest.mark.parametrize("data", [None, {"chosen": ["1", "3"]}, {"chosen": ["9"]}])
def test_quick_checkboxes_write_what_djangos_write(data):
    django_form, quick_form = DjangoCheckboxes(data), QuickForm(data)
    assert django_form.is_valid() == quick_form.is_valid()
    assert quick_form["chosen"].as_field_group() == django_form["chosen"].as_field_group()


def test_quick_checkboxes_wrapped_in_their_labels_still_render_through_django():
    assert str(QuickForm()["chosen"].subwidgets[0]) == str(DjangoCheckboxes()["chosen"].subwidgets[0])
