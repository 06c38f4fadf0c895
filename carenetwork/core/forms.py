"""GOV.UK Design System rendering for every Django form: labels, hints, error summary, inline errors.

Every form's bound fields come from GovukBoundField (the renderer's `bound_field_class`), so it is also where two
rules reach every form at once: text may not hold control characters, and "required" messages name the field.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, ProhibitNullCharactersValidator
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _

WIDGET_CLASS = {
    "input": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "checkboxes": "govuk-checkboxes__input",
    "radios": "govuk-radios__input",
}


# C0 and C1 control characters other than tab and line breaks, and the two non-characters XML refuses: nobody types
# them, they come with text pasted from other programs, and a spreadsheet (XLSX) cannot hold them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])
# The largest whole number every database column we use holds: a form's number beyond it would reach a query or
# a column as an overflow (a server error), so it is refused as a form error, and an id beyond it matches nothing.
LARGEST_NUMBER = 2**31 - 1
NOT_AN_ID = "0"  # ids start at 1: this matches no row, and is a number for every database


def has_control_characters(value: str) -> bool:
    """Whether text holds a character that no one types and a spreadsheet cannot hold (see CONTROL_CHARACTERS)."""
    return bool(CONTROL_CHARACTERS.search(value))


class NoControlCharacters:
    """Refuses text with control characters (a vertical tab or an escape pasted with a name), naming the field."""

    code = "control_characters"

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value) -> None:
        if isinstance(value, str) and has_control_characters(value):
            raise ValidationError(
                _("%(label)s must not include hidden characters such as tabs copied from another program: type it in")
                % {"label": self.label},
                code=self.code,
            )


def field_words(label) -> str:
    """A label as it reads inside a sentence: 'Full name' gives 'full name', 'CQC location ID' stays."""
    words = str(label or "").strip().rstrip("?:").strip()
    if len(words) > 1 and not words[:2].isupper():
        words = words[0].lower() + words[1:]
    return words or _("an answer")


class GovukBoundField(BoundField):
    """A bound field that knows which GOV.UK component renders it."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        # form.fields holds the form's own copies of its fields, so these changes stay with this form.
        label = str(self.label or name)
        if isinstance(field, forms.CharField) and not any(isinstance(v, NoControlCharacters) for v in field.validators):
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
            field.validators.append(NoControlCharacters(label))
        if str(field.error_messages.get("required", "")) == DJANGO_REQUIRED:
            field.error_messages["required"] = self.required_message(field, label)
        # Decimal fields are integer fields to Django, but money and measures bring their own limits and words.
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
            if field.max_value is None or field.max_value > LARGEST_NUMBER:
                field.validators.append(
                    MaxValueValidator(
                        LARGEST_NUMBER,
                        message=_("%(label)s must be %(limit)s or less")
                        % {"label": label, "limit": f"{LARGEST_NUMBER:,}"},
                    )
                )
            if field.min_value is None or field.min_value < -LARGEST_NUMBER:
                field.validators.append(
                    MinValueValidator(
                        -LARGEST_NUMBER,
                        message=_("%(label)s must be %(limit)s or more")
                        % {"label": label, "limit": f"{-LARGEST_NUMBER:,}"},
                    )
                )

    @property
    def data(self):
        """The submitted value; for a choice of database rows by number, anything that cannot be an id (“²”,
        10**30) is replaced by a value that matches no row, so the field says "select from the list" rather than
        the database overflowing."""
        data = super().data
        if not self._chooses_rows_by_number():
            return data
        if isinstance(data, list | tuple):
            return [self._id_or_nothing(v) for v in data]
        return self._id_or_nothing(data)

    def _chooses_rows_by_number(self) -> bool:
        field = self.field
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            return False
        meta = field.queryset.model._meta
        key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
        return isinstance(key, models.IntegerField)

    @staticmethod
    def _id_or_nothing(value):
        if value is None or value == "":
            return value
        text = str(value).strip()
        digits = text[1:] if text.startswith("-") else text
        # The length first: Python refuses to turn more than 4,300 digits into a number.
        if digits.isascii() and digits.isdigit() and len(digits) <= 10 and int(digits) <= LARGEST_NUMBER:
            return value
        return NOT_AN_ID

    def required_message(self, field, label: str) -> str:
        """What to do when a required field is left empty, in the field's own words (the GOV.UK pattern)."""
        words = field_words(label)
        widget = field.widget
        if isinstance(widget, forms.FileInput):
            return _("Choose %(field)s") % {"field": words}
        if isinstance(widget, forms.CheckboxInput):
            return _("Select ‘%(label)s’ to continue") % {"label": label}
        if isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple) or isinstance(
            field, forms.ChoiceField | forms.ModelChoiceField
        ):
            return _("Select %(field)s") % {"field": words}
        return _("Enter %(field)s") % {"field": words}

    @property
    def shows_optional(self) -> bool:
        """Whether the label needs "(optional)" after it: not when the label already says so."""
        return (
            not self.field.required
            and self.govuk_kind != "file"
            and not getattr(self.form, "hide_optional", False)
            and _("(optional)") not in str(self.label or "")
        )

    @property
    def govuk_kind(self) -> str:
        widget = self.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.Select):
            return "select"
        if isinstance(widget, forms.Textarea):
            return "textarea"
        if isinstance(widget, forms.FileInput):
            return "file"
        return "input"

    @property
    def is_fieldset(self) -> bool:
        return self.govuk_kind in ("checkboxes", "radios")

    @property
    def error_anchor(self) -> str:
        """The id the error summary links to: the first option of a group, else the field."""
        return f"{self.auto_id}_0" if self.is_fieldset else self.auto_id

    def describedby(self) -> str:
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}-hint")
        if self.errors:
            ids.append(f"{self.auto_id}-error")
        return " ".join(ids)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("aria-describedby", None)
        kind = self.govuk_kind
        css = [WIDGET_CLASS[kind], (widget or self.field.widget).attrs.get("class", ""), attrs.get("class", "")]
        if self.errors and kind in ("input", "select", "textarea", "file"):
            css.append(f"{WIDGET_CLASS[kind]}--error")
        attrs["class"] = " ".join(c for c in css if c)
        if not self.is_fieldset and self.describedby():
            attrs["aria-describedby"] = self.describedby()
        return attrs


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with the GOV.UK templates in templates/forms/."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField
