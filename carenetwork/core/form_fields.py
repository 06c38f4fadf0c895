"""Form fields shared by every app: the GOV.UK date input, and widths kept beside the GOV.UK classes."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
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
        "year": _("Year must include 4 numbers"),
    }

    def __init__(self, **kwargs):
        part = {"error_messages": {"invalid": self.default_error_messages["invalid"]}}
        fields = (
            forms.IntegerField(min_value=1, max_value=31, **part),
            forms.IntegerField(min_value=1, max_value=12, **part),
            # Staff may have started long ago; 1900 keeps out typing slips like 0025.
            forms.IntegerField(min_value=1900, max_value=2100, **part),
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
        if parts[2].isdigit() and len(parts[2]) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
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


CLOCK_HINT = _("Use the 24-hour clock, for example 09:30 or 14:00")


def time_field(label, required_message, help_text=CLOCK_HINT, **kwargs) -> forms.TimeField:
    """A time of day typed as 09:30, 9.30 or 9."""
    return forms.TimeField(
        label=label,
        help_text=help_text,
        input_formats=["%H:%M", "%H.%M", "%H"],
        error_messages={"invalid": _("Enter a time such as 09:30 or 14:00"), "required": required_message},
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
        **kwargs,
    )


def number_field(label, required_message, *, min_value=1, **kwargs) -> forms.IntegerField:
    """A whole number in a narrow box that brings up the number keypad on phones."""
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        error_messages={
            "required": required_message,
            "invalid": _("Enter a whole number, such as 12"),
            "min_value": _("Enter %(limit_value)s or more"),
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        **kwargs,
    )


def aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The moment a date and a time of day stand for, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


MONEY_TEXT = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?|-?\.[0-9]{1,2}")


class MoneyField(forms.DecimalField):
    """An amount in pounds typed as people write it: "£85", "85", "1,250.50" or " £ 85.00 "; pounds and pence."""

    default_error_messages = {
        "invalid": _("Enter an amount in pounds, like 75 or 75.50"),
        "min_value": _("Enter an amount of £%(limit_value)s or more"),
        "max_value": _("Enter an amount of £%(limit_value)s or less"),
        "max_digits": _("Enter an amount less than £10,000,000"),
        "max_whole_digits": _("Enter an amount less than £10,000,000"),
        "max_decimal_places": _("Enter the amount in pounds and pence, like 75.50"),
    }

    def __init__(self, *, max_digits=9, decimal_places=2, min_value=Decimal("0.01"), **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
        )
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, min_value=min_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            text = "".join(value.split())  # spaces anywhere: " £ 85.00 "
            sign = "-" if text.startswith("-") else ""
            text = text.removeprefix("-").removeprefix("£")
            if text.startswith("-"):  # "£-5"
                sign, text = "-", text.removeprefix("-")
            if not text or not MONEY_TEXT.fullmatch(sign + text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = sign + text.replace(",", "")
        return super().to_python(value)
