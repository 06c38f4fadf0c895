"""The needed services' forms: the list's filters, a service as officers write it, interest, and a reply."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.market.models_statement import NeededService, ServiceInterest
from carenetwork.market.needed import SHOW_ALL, SHOW_CLOSED, SHOW_CURRENT

NO_ORGANISATION = "none"


class NeededFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (SHOW_CURRENT, _("Open or in discussion")),
            (NeededService.Status.OPEN, NeededService.Status.OPEN.label),
            (NeededService.Status.DISCUSSING, NeededService.Status.DISCUSSING.label),
            (SHOW_CLOSED, _("Filled or withdrawn")),
            (SHOW_ALL, _("All")),
        ],
    )
    client_group = forms.ChoiceField(
        label=_("Who it is for"),
        required=False,
        choices=[("", _("Everyone")), *NeededService.ClientGroup.choices],
    )
    hide_optional = True

    def criteria(self) -> dict:
        """The filters asked for; anything not one of the choices is taken as no filter (the form says so)."""
        if not self.is_valid():
            return {"show": SHOW_CURRENT, "client_group": ""}
        return {"show": self.cleaned_data["status"], "client_group": self.cleaned_data["client_group"]}


class NeededServiceForm(forms.ModelForm):
    class Meta:
        model = NeededService
        fields = ["service", "client_group", "locality", "evidence", "caveats", "status"]
        labels = {
            "service": _("Service needed"),
            "client_group": _("Who it is for"),
            "locality": _("Where"),
            "evidence": _("Why it is needed"),
            "caveats": _("Caveats"),
            "status": _("Status"),
        }
        help_texts = {
            "service": _("For example, 'Nursing beds for people living with dementia'"),
            "evidence": _(
                "The figures and what people have told you: providers read this to decide whether to offer it"
            ),
            "caveats": _("For example, that there is no guarantee of a contract or of numbers"),
        }
        widgets = {
            "service": forms.TextInput(attrs={"class": "govuk-!-width-full"}),
            "client_group": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 6}),
            "caveats": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }


class InterestForm(forms.Form):
    """A person's interest: their name (their account's, to start with), the organisation if any, and a note."""

    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organisation = forms.ChoiceField(label=_("Who are you registering interest for?"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("About you and what you could offer"),
        help_text=_("A few lines: your experience, and how and when you could provide the service"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [
            *((pk, o.name) for pk, o in self.organisations.items()),
            (NO_ORGANISATION, _("Not part of an organisation yet")),
        ]
        if not self.organisations:
            # Nothing to choose: a person with no organisation registers for themselves.
            del self.fields["organisation"]

    def clean_organisation(self):
        value = self.cleaned_data["organisation"]
        return None if value == NO_ORGANISATION else self.organisations[value]


class ReplyForm(forms.Form):
    reply = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, interest: ServiceInterest, **kwargs):
        super().__init__(*args, prefix=f"reply-{interest.pk}", **kwargs)
        self.fields["reply"].label = _("Your reply to %(name)s") % {"name": interest.name}
        self.fields["reply"].help_text = _("We email it to them, and they see it on this page")
        if interest.reply and not self.is_bound:
            self.initial["reply"] = interest.reply
