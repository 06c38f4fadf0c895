"""The register's and the matrix's filters list locations, job roles and categories by name, choosing as before."""

import pytest
from django import forms

from carenetwork.records.forms import NameChoiceField
from carenetwork.records.models import JobRole


class DjangoRoles(forms.Form):
    role = forms.ModelChoiceField(queryset=JobRole.objects.order_by("name"), required=False, empty_label="All")


class NamedRoles(forms.Form):
    role = NameChoiceField(queryset=JobRole.objects.order_by("name"), required=False, empty_label="All")


@pytest.mark.django_db
def test_choices_by_name_list_and_choose_what_model_choices_do():
    role = JobRole.objects.order_by("name")[3]
    assert str(NamedRoles()["role"]) == str(DjangoRoles()["role"])
    chosen = NamedRoles({"role": str(role.pk)})
    assert chosen.is_valid() and chosen.cleaned_data["role"] == role
    assert str(chosen["role"]) == str(DjangoRoles({"role": str(role.pk)})["role"])
