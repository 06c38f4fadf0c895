"""The form of the capacity returns upload: it takes the file; returns_upload checks what is in it."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReturnsUploadForm(forms.Form):
    """A CSV file of this month's returns, in the template's columns."""

    upload = forms.FileField(
        label=_("Upload the file"),
        help_text=_("A CSV file smaller than 2 MB, with up to 5,000 rows, in the template's columns."),
        error_messages={"required": _("Choose a CSV file"), "empty": _("The file is empty")},
    )
