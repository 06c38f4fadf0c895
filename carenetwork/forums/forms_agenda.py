"""Forms for the shared agenda, the record, the issue log and papers. They parse and render only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField
from carenetwork.forums.models import Action, AgendaItem


class ItemRaiseForm(forms.Form):
    """An item for a forum's agenda."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short summary, for example ‘Delays to hospital discharge on Fridays’."),
    )
    description = forms.CharField(
        label=_("Describe the issue, question or proposal"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what is happening, who it affects and what you would like the council to do."),
    )
    category = forms.ChoiceField(
        label=_("What kind of item is it?"), choices=AgendaItem.Category.choices, widget=forms.RadioSelect
    )
    anonymous = forms.BooleanField(
        label=_("Hide which organisation raised it from other providers"),
        required=False,
        help_text=_("The forum's council leads always see who raised it."),
    )

    def __init__(self, *args, allow_anonymous: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_anonymous:
            del self.fields["anonymous"]


class DeclineForm(forms.Form):
    """Why a lead declines an item."""

    reason = forms.CharField(
        label=_("Why is the item declined?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person who raised it will see this."),
        error_messages={"required": _("Enter the reason, which the person who raised it will see")},
    )


class MergeForm(forms.Form):
    """Which item an item is merged into."""

    into = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        label=_("Merge it into"),
        help_text=_("The item that covers the same issue. This item will point to it."),
        error_messages={"required": _("Choose the item to merge it into")},
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = options
        self.fields["into"].label_from_instance = lambda item: f"{item.title} ({item.get_state_display()})"


class RecordItemForm(forms.Form):
    """The outcome of one item: the discussion and the council's response."""

    notes = forms.CharField(label=_("Discussion notes"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    council_response = forms.CharField(
        label=_("The council's response"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What the council will do, or has done: members get it as ‘you said, we did’."),
    )


class ActionForm(forms.ModelForm):
    """An action on an item: what, who, by when, and how far it has got."""

    due_date = DateInputField(
        label=_("Due date (optional)"),
        required=False,
        help_text=_("For example, 27 3 2027"),
        error_messages={
            "invalid": _("Enter a real due date, for example 27 3 2027"),
            "incomplete": _("Enter the due date's day, month and year"),
        },
    )

    class Meta:
        model = Action
        fields = ["description", "owner_organisation", "owner_person", "due_date", "status"]
        labels = {
            "description": _("What is to be done"),
            "owner_organisation": _("Owner organisation"),
            "owner_person": _("Owner"),
            "status": _("Status"),
        }
        help_texts = {"owner_person": _("Choose an organisation, a person, or both.")}

    def __init__(self, *args, organisations, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations
        self.fields["owner_person"].queryset = people
        self.fields["owner_person"].label_from_instance = lambda person: person.full_name or person.email


class CommentForm(forms.Form):
    """A comment on an item."""

    body = forms.CharField(
        label=_("Add a comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter your comment")},
    )


class PaperForm(forms.Form):
    """A meeting paper."""

    title = forms.CharField(label=_("Title"), max_length=200)
    upload = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, DOCX, XLSX, PPTX, ODT, CSV or TXT file, smaller than 20 MB."),
        error_messages={"required": _("Choose a file"), "empty": _("The file is empty")},
    )


class IssueLogFilterForm(forms.Form):
    """Search and filters for the issue log; every field optional."""

    hide_optional = True

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    state = forms.ChoiceField(label=_("State"), required=False)
    category = forms.ChoiceField(label=_("Kind of item"), required=False)
    meeting = forms.TypedChoiceField(label=_("Meeting"), required=False, coerce=int, empty_value=None)
    raiser_org = forms.TypedChoiceField(label=_("Raised by"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, filters: dict, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["state"].choices = anything + filters["states"]
        self.fields["category"].choices = anything + filters["categories"]
        self.fields["meeting"].choices = anything + filters["meetings"]
        self.fields["raiser_org"].choices = anything + filters["organisations"]
