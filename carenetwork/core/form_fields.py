"""Form fields shared by every app: the GOV.UK date input, and widths kept beside the GOV.UK classes."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carenetwork.core.forms import GovukBoundField


class WidthBoundField(GovukBoundField):
    """Keeps a widget's own classes (such as govuk-input--width-5) beside the GOV.UK ones."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        extra = (widget or self.field.widget).attrs.get("class")
        if extra:
            attrs["class"] = f"{attrs.get('class', '')} {extra}".strip()
        return attrs


class DateInputBoundField(GovukBoundField):
    """A GOV.UK date input: a fieldset of day, month and year; errors link to the day."""

    @property
    def is_fieldset(self) -> bool:
        return True

    @property
    def error_anchor(self) -> str:
        return f"{self.auto_id}_0"

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super(GovukBoundField, self).build_widget_attrs(attrs, widget)
        attrs.pop("aria-describedby", None)
        attrs["class"] = "govuk-input govuk-date-input__input" + (" govuk-input--error" if self.errors else "")
        return attrs


class DateInputWidget(forms.MultiWidget):
    """Day, month and year as three numeric text inputs (the GOV.UK date input pattern)."""

    template_name = "forms/date_widget.html"

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateInputField(forms.MultiValueField):
    """A date entered in three parts, day, month and year, as the GOV.UK date input asks for it."""

    widget = DateInputWidget
    bound_field_class = DateInputBoundField
    default_error_messages = {
        "required": _("Enter the date"),
        "invalid": _("Enter a real date, for example 27 3 2026"),
        "incomplete": _("Enter the day, month and year"),
    }

    def __init__(self, **kwargs):
        part = {"error_messages": {"invalid": self.default_error_messages["invalid"]}}
        fields = (
            forms.IntegerField(min_value=1, max_value=31, **part),
            forms.IntegerField(min_value=1, max_value=12, **part),
            forms.IntegerField(min_value=2000, max_value=2100, **part),
        )
        kwargs.setdefault("template_name", "forms/date_field.html")
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def clean(self, value):
        # One message for the whole date, not one per part.
        parts = [str(v).strip() if v is not None else "" for v in (value or [])]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(parts) or len(parts) != 3:
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            return super().clean(parts)
        except ValidationError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = data_list
        try:
            return datetime.date(year, month, day)
        except (TypeError, ValueError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
