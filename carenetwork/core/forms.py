"""GOV.UK Design System rendering for every Django form: labels, hints, error summary, inline errors."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

WIDGET_CLASS = {
    "input": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
    "checkboxes": "govuk-checkboxes__input",
    "radios": "govuk-radios__input",
}


class GovukBoundField(BoundField):
    """A bound field that knows which GOV.UK component renders it."""

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
