"""Forms for the council's training settings. They parse and render; the services in services_settings write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.records.models import CategoryGroup, JobRole, RecordsSettings, Refresh, TrainingCategory

ONCE = "once"
NUMERIC = {"class": "govuk-input--width-4", "inputmode": "numeric"}


class CategoryForm(forms.ModelForm):
    """A training category: its name, ASC-WDS code, group and how often it must be renewed."""

    refresh = forms.ChoiceField(
        label=_("How often must it be renewed?"),
        choices=[(str(value), label) for value, label in Refresh.choices] + [(ONCE, _("Once only: it never expires"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how often the training must be renewed")},
        help_text=_("Applies to training recorded from now on. Dates already recorded stay as they are."),
    )

    class Meta:
        model = TrainingCategory
        fields = ["name", "code", "group", "is_active"]
        labels = {"code": _("ASC-WDS code"), "group": _("Group"), "is_active": _("In use")}
        help_texts = {
            "code": _("The CATEGORY code in ASC-WDS files. Leave blank for training the council adds itself."),
            "is_active": _("Categories not in use stay on existing records but cannot be chosen for new ones."),
        }
        widgets = {
            "code": forms.NumberInput(attrs=NUMERIC),
            "group": forms.RadioSelect,
        }
        error_messages = {
            "name": {
                "required": _("Enter the name of the training category"),
                "unique": _("There is already a category with this name"),
            },
            "code": {"unique": _("Another category already has this ASC-WDS code")},
        }

    field_order = ["name", "code", "group", "refresh", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio group needs no empty choice: leaving it unselected means no group.
        self.fields["group"].choices = CategoryGroup.choices
        self.fields["group"].required = False
        self.fields["group"].help_text = _("Leave unselected for training that fits none of these groups.")
        if self.instance.pk and not self.is_bound:
            months = self.instance.refresh_months
            self.initial["refresh"] = str(months) if months else ONCE

    def clean_refresh(self):
        value = self.cleaned_data["refresh"]
        return None if value == ONCE else int(value)

    def service_data(self) -> dict:
        """The cleaned values under the model's field names."""
        data = dict(self.cleaned_data)
        data["refresh_months"] = data.pop("refresh")
        data["group"] = data.get("group") or ""
        return data


class JobRoleForm(forms.ModelForm):
    """A job role: its name, ASC-WDS code, whether it provides care and whether it is in use."""

    class Meta:
        model = JobRole
        fields = ["name", "code", "provides_care", "is_active"]
        labels = {"code": _("ASC-WDS code"), "provides_care": _("Provides care directly"), "is_active": _("In use")}
        help_texts = {
            "code": _("The MAINJOBROLE code in ASC-WDS files. Leave blank for a role the council adds itself."),
            "provides_care": _("Mandatory training for care roles applies to people in this role."),
            "is_active": _("Roles not in use stay on existing staff but cannot be chosen for new ones."),
        }
        widgets = {"code": forms.NumberInput(attrs=NUMERIC)}
        error_messages = {
            "name": {
                "required": _("Enter the name of the job role"),
                "unique": _("There is already a job role with this name"),
            },
            "code": {"unique": _("Another job role already has this ASC-WDS code")},
        }


class MandatoryAddForm(forms.Form):
    """Require a training category of every role in a sector, or of particular job roles."""

    EVERY, ROLES = "every", "roles"

    category = forms.ModelChoiceField(
        label=_("Training category"),
        queryset=TrainingCategory.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose a training category")},
    )
    applies_to = forms.ChoiceField(
        label=_("Who must do it?"),
        choices=[(EVERY, _("Everyone in every job role")), (ROLES, _("Only people in the job roles ticked below"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who must do the training")},
    )
    job_roles = forms.ModelMultipleChoiceField(
        label=_("Job roles"),
        queryset=JobRole.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only if you chose particular job roles."),
    )

    def clean(self):
        data = super().clean()
        if data.get("applies_to") == self.ROLES and not data.get("job_roles"):
            self.add_error("job_roles", _("Tick at least one job role"))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        roles = list(data["job_roles"]) if data["applies_to"] == self.ROLES else None
        return {"category": data["category"], "job_roles": roles}


class RecordsSettingsForm(forms.ModelForm):
    """How long leavers' personal data is kept and how early reminders go out."""

    class Meta:
        model = RecordsSettings
        fields = ["retention_months", "reminder_days"]
        labels = {
            "retention_months": _("Keep leavers' personal data for this many months"),
            "reminder_days": _("Remind people this many days before training expires"),
        }
        help_texts = {
            "retention_months": _(
                "Counted from the leaving date. After it, the leaver's name, reference, email address, notes and "
                "certificates are removed; the counts in reports stay. Between 1 and 240."
            ),
            "reminder_days": _("Provider admins and staff are emailed once before, and once after, it expires."),
        }
        widgets = {
            "retention_months": forms.NumberInput(attrs=NUMERIC),
            "reminder_days": forms.NumberInput(attrs=NUMERIC),
        }
        error_messages = {
            "retention_months": {"required": _("Enter how many months to keep leavers' personal data")},
            "reminder_days": {"required": _("Enter how many days before expiry to remind people")},
        }
