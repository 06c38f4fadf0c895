"""Filters of the council's compliance and skills gap pages. They parse and render; skills.py counts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.records.skills import FilterChoices

BY_SECTOR, BY_AREA, BY_PROVIDER = "sector", "area", "provider"
BY_CHOICES = [(BY_SECTOR, _("Sector")), (BY_AREA, _("Area")), (BY_PROVIDER, _("Provider"))]


class SkillsFilterForm(forms.Form):
    """Sector, area and category; every one optional. Sectors go by slug so that addresses read well."""

    hide_optional = True

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, error_messages={"invalid_choice": _("Select a sector from the list")}
    )
    area = forms.ChoiceField(
        label=_("Area"), required=False, error_messages={"invalid_choice": _("Select an area from the list")}
    )
    category = forms.TypedChoiceField(
        label=_("Training category"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Select a training category from the list")},
    )

    def __init__(self, *args, choices: FilterChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        anything = [("", _("All"))]
        self.fields["sector"].choices = anything + [(s.slug, s.name) for s in choices.sectors if s.is_active]
        self.fields["area"].choices = anything + [(a, a) for a in choices.areas]
        self.fields["category"].choices = anything + [(c.pk, c.name) for c in choices.categories]

    def criteria(self) -> dict:
        """The valid filters as report arguments: sector (a Sector or None), area, category id."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "sector": self.choices.sector_by_slug(data.get("sector") or ""),
            "area": data.get("area") or None,
            "category_id": data.get("category"),
        }


class SkillsGapFilterForm(SkillsFilterForm):
    """The skills gap's filters; the category chooses which trend to show."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label = _("Trend of one category")
        self.fields["category"].help_text = _("Leave as ‘All’ to follow the three largest gaps")


class ComplianceFilterForm(SkillsFilterForm):
    """The compliance page also chooses what to compare: sectors, areas or providers."""

    by = forms.ChoiceField(label=_("Compare"), choices=BY_CHOICES, required=False, widget=forms.RadioSelect)
    q = forms.CharField(
        label=_("Provider name"),
        required=False,
        max_length=100,
        help_text=_("When you compare providers: all or part of the name"),
        error_messages={"max_length": _("Provider name must be 100 characters or fewer")},
    )

    field_order = ["by", "q", "sector", "area", "category"]

    def criteria(self) -> dict:
        data = super().criteria()
        data["by"] = (self.cleaned_data.get("by") if self.is_valid() else "") or BY_SECTOR
        data["q"] = (self.cleaned_data.get("q") if self.is_valid() else "") or ""
        return data
