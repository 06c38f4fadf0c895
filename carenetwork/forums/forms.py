"""Forms for forums and their membership."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.forums.models import Forum
from carenetwork.organisations.models import Organisation, Sector


class ForumForm(forms.ModelForm):
    """A forum's name, purpose, eligible sectors and council leads."""

    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Sectors whose providers may ask to join"),
    )
    leads = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label=_("Council leads"))

    class Meta:
        model = Forum
        fields = ["name", "description", "sectors", "leads"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, lead_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].queryset = lead_options


class MembershipRequestForm(forms.Form):
    """Which of the person's organisations asks to join."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Which organisation should join?"),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class MembershipAddForm(forms.Form):
    """A lead adds a provider or invites a partner organisation."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.COUNCIL),
        label=_("Organisation"),
        help_text=_("Providers in the forum's sectors, or partner organisations such as neighbouring councils."),
    )
