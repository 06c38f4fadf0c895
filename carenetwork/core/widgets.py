"""A select written in Python in one pass: filters with hundreds of options (a large provider's locations) cost
tens of milliseconds through Django's per-option template rendering."""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """The same markup as Django's select (no option groups), rendered without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            options.append(f'<option value="{escape(text)}"{selected}>{escape(str(label))}</option>')
        final = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 - every value is escaped above or by flatatt
            f'<select name="{escape(name)}"{flatatt(final)}>{"".join(options)}</select>'
        )


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    """The same inputs as Django's checkboxes, each written without a template (the GOV.UK field template lays them
    out): through a template each, a dozen or more categories to choose from cost more than the rest of a form."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if template_name != self.option_template_name or widget["wrap_label"]:
            return super()._render(template_name, context, renderer)
        value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
        attrs = "".join(
            f" {escape(name)}" if given is True else f' {escape(name)}="{escape(str(given))}"'
            for name, given in widget["attrs"].items()
            if given is not False
        )
        return mark_safe(  # noqa: S308 - every value is escaped above
            f'<input type="{widget["type"]}" name="{escape(widget["name"])}"{value}{attrs}>'
        )
