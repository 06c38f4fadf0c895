"""Forms for organisations, locations and people. They parse and render; services decide."""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField
from carenetwork.organisations.models import ROLES_BY_KIND, Location, Organisation, Role, Sector, ServiceType


class DirectoryFilterForm(forms.Form):
    """Search and filters for the directory; every field optional."""

    hide_optional = True  # every filter is optional, so "(optional)" on each label is noise

    q = forms.CharField(label=_("Name or postcode"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    service_type = forms.TypedChoiceField(label=_("Service type"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, filters: dict, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["kind"].choices = anything + list(filters["kinds"])
        self.fields["sector"].choices = anything + filters["sectors"]
        self.fields["service_type"].choices = anything + filters["service_types"]
        self.fields["area"].choices = anything + [(a, a) for a in filters["areas"]]


class OrganisationForm(forms.ModelForm):
    """An organisation's public profile, edited by its admins."""

    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Sectors"),
    )
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", help_text=_("For example, https://www.example.org")
    )

    ascwds_provider_code = forms.TypedChoiceField(
        label=_("ASC-WDS training provider"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "If your organisation is on the ASC-WDS list of training providers, choose it: providers' records of "
            "your courses then name you in the files they upload to ASC-WDS"
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sectors",
            "description",
            "contact_email",
            "phone",
            "website",
            "address",
            "postcode",
            "area",
            "ascwds_workplace_id",
            "ascwds_provider_code",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "postcode": forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
            "ascwds_workplace_id": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kind = self.instance.kind if self.instance.pk else None
        # The workplace reference is a care provider's; the training provider code a training provider's.
        if kind != Organisation.Kind.PROVIDER:
            del self.fields["ascwds_workplace_id"]
        if kind != Organisation.Kind.TRAINING:
            del self.fields["ascwds_provider_code"]
        else:
            self.fields["ascwds_provider_code"].choices = [("", _("Not on the ASC-WDS list"))] + list(
                ascwds_training_providers()
            )


def ascwds_training_providers():
    """ASC-WDS's list of training providers (code, name), without 999 'other'.

    The list is reference data the records app seeds and keeps; it is looked up by name rather than imported, so
    organisations stays below records.
    """
    providers = apps.get_model("records", "ExternalTrainingProvider").objects.exclude(code=999)
    return providers.order_by("name").values_list("code", "name")


class CouncilOrganisationForm(OrganisationForm):
    """Council administrators also set the kind and CQC provider ID."""

    class Meta(OrganisationForm.Meta):
        fields = ["name", "kind", "cqc_provider_id", *OrganisationForm.Meta.fields[1:]]

    def clean_cqc_provider_id(self):
        return cqc_id_as_typed(self.cleaned_data.get("cqc_provider_id"))


def cqc_id_as_typed(value: str | None) -> str | None:
    """A CQC ID as CQC writes it: NHS codes in capitals ("rqx41" is RQX41), no spaces around."""
    return "".join((value or "").split()).upper() or None


class LocationForm(forms.ModelForm):
    """A location or service of a provider."""

    service_type = forms.ModelChoiceField(queryset=ServiceType.objects.all(), required=False, label=_("Service type"))

    class Meta:
        model = Location
        fields = [
            "name",
            "service_type",
            "address",
            "town",
            "postcode",
            "area",
            "cqc_location_id",
            "capacity",
            "capacity_unit",
            "ascwds_workplace_id",
        ]
        widgets = {
            "postcode": forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
            "cqc_location_id": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
            "ascwds_workplace_id": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
            "capacity": forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
            "capacity_unit": forms.RadioSelect,
        }

    def clean_cqc_location_id(self):
        return cqc_id_as_typed(self.cleaned_data.get("cqc_location_id"))


class RoleChoiceMixin:
    def set_roles(self, organisation: Organisation):
        self.fields["role"].choices = [(r.value, r.label) for r in ROLES_BY_KIND[organisation.kind]]


class InvitationForm(RoleChoiceMixin, forms.Form):
    """Invite a person by email."""

    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_roles(organisation)
        self.initial.setdefault("role", Role.MEMBER if organisation.kind != Organisation.Kind.COUNCIL else Role.OFFICER)


class RoleForm(RoleChoiceMixin, forms.Form):
    """Change a person's role."""

    role = forms.ChoiceField(label=_("Role"), widget=forms.RadioSelect)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_roles(organisation)


class HandOnForm(forms.Form):
    """Choose who becomes the admin."""

    membership = forms.ModelChoiceField(
        queryset=None, label=_("Who should become the admin?"), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = members
        self.fields["membership"].label_from_instance = lambda m: f"{m.user} ({m.user.email})"


class AppointAdminForm(forms.Form):
    """A council administrator names the new admin by email."""

    email = forms.EmailField(
        label=_("Email address of the new admin"),
        help_text=_("A current member is made admin straight away; anyone else is sent an invitation."),
    )


class JoinRequestForm(forms.Form):
    """Ask to join an organisation."""

    message = forms.CharField(
        label=_("Message to the organisation's admin"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are and what you do there."),
    )


class SectorForm(forms.ModelForm):
    """A sector of the care market, as council administrators name it."""

    class Meta:
        model = Sector
        fields = ["name", "position", "is_active"]
        labels = {"position": _("Order in lists"), "is_active": _("In use")}
        widgets = {"position": forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"})}
        help_texts = {"is_active": _("Sectors not in use stay on existing organisations but cannot be chosen.")}


class CqcImportForm(forms.Form):
    """Upload a CQC API JSON file or a CQC care directory CSV file."""

    file = forms.FileField(
        label=_("CQC data file"),
        help_text=_("A CQC API locations or providers JSON file, or the CQC care directory CSV. Up to 50 MB."),
    )
    data_date = DateInputField(
        label=_("Date of the data"),
        required=False,
        help_text=_(
            "The day you downloaded the file from CQC, or the day CQC published it, for example 21 3 2025. "
            "Leave blank if the file's name gives the date, such as “1 March 2021”. Nothing the portal has "
            "from newer CQC data is changed."
        ),
    )
    local_authority = forms.CharField(
        label=_("Only import locations in this local authority"),
        required=False,
        max_length=100,
        help_text=_("For example, Oldham. Leave blank to import every location in the file."),
    )

    MAX_BYTES = 50 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 50 MB"))
        if not upload.name.lower().endswith((".json", ".csv")):
            raise forms.ValidationError(_("The file must be a CSV or JSON file"))
        return upload


class InvitationSignupForm(forms.Form):
    """Create an account for the invited email address."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Avoid common words and only numbers."),
    )
    password2 = forms.CharField(
        label=_("Confirm your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The passwords do not match"))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
