"""Forms of the import and export pages: they parse and render; the services check the file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.records.models import ImportRun


class ImportForm(forms.Form):
    """Upload a staff or training file to check."""

    kind = forms.ChoiceField(
        label=_("What is in the file?"),
        choices=ImportRun.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the file holds")},
    )
    upload = forms.FileField(
        label=_("Upload a file"),
        help_text=_(
            "A CSV or XLSX file smaller than 20 MB: the ASC-WDS bulk upload file, or one of our templates. "
            "We recognise which from its first row."
        ),
        error_messages={"required": _("Choose a CSV or XLSX file"), "empty": _("The file is empty")},
    )


class ExportForm(forms.Form):
    """What to download."""

    TRAINING_ASCWDS = "training-ascwds"
    TRAINING_TEMPLATE = "training-template"
    STAFF_TEMPLATE = "staff-template"

    what = forms.ChoiceField(
        label=_("What do you want to download?"),
        choices=[
            (TRAINING_ASCWDS, _("Training records in the ASC-WDS training file layout")),
            (TRAINING_TEMPLATE, _("Training records in our training template")),
            (STAFF_TEMPLATE, _("Staff register in our staff template")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to download")},
    )
    file_type = forms.ChoiceField(
        label=_("File type"),
        choices=[("csv", _("CSV")), ("xlsx", _("XLSX (Excel)"))],
        widget=forms.RadioSelect,
        help_text=_("The ASC-WDS training file is always CSV: ASC-WDS accepts only CSV files."),
        error_messages={"required": _("Choose a file type")},
    )
    leavers = forms.BooleanField(
        label=_("Include people who have left"),
        required=False,
        help_text=_("Only current staff are included unless you tick this."),
    )
