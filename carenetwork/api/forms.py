"""The form for making a token: a name, the areas it may read and change, and its expiry date."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.api.models import Area
from carenetwork.core.form_fields import DateInputField


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Say which program uses it, for example ‘Rota system’."),
        error_messages={"required": _("Enter a name for the token")},
    )
    read_areas = forms.MultipleChoiceField(
        label=_("What it may read"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    write_areas = forms.MultipleChoiceField(
        label=_("What it may change (optional)"),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A token that may change an area may also read it."),
    )
    expires_on = DateInputField(
        label=_("Expiry date"),
        help_text=_("Within a year. For example, 27 3 2027"),
        error_messages={"required": _("Enter the expiry date")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=90))
