"""The forms of clarification questions (asking, answering) and of the consortium finder (a post, a message). They
parse and render only: the rules are in questions.py and consortium.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.procurement.models import ConsortiumPost, Lot, Opportunity, Question


def _organisation_choice(form: forms.Form, organisations: list, label) -> None:
    """A choice of organisation for someone in more than one; nothing to choose for someone in one."""
    form.organisations = {str(o.pk): o for o in organisations}
    if len(organisations) > 1:
        form.fields["organisation"] = forms.ChoiceField(
            label=label, choices=list((pk, o.name) for pk, o in form.organisations.items()), widget=forms.RadioSelect
        )
        # The choice comes first on the page.
        form.order_fields(["organisation"])


def _chosen_organisation(form: forms.Form):
    value = form.cleaned_data.get("organisation")
    return form.organisations.get(value) if value else None


class QuestionForm(forms.Form):
    """A supplier's question: the text, and which of their organisations asks it if they are in several."""

    text = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "Do not include your name or your organisation's name. The council publishes the question and its answer "
            "to everyone interested, without saying who asked."
        ),
        max_length=Question._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, organisations: list, **kwargs):
        super().__init__(*args, **kwargs)
        _organisation_choice(self, organisations, _("Which organisation is asking?"))

    def clean(self):
        cleaned = super().clean()
        cleaned["organisation"] = _chosen_organisation(self)
        return cleaned


class AnswerForm(forms.Form):
    """The council's answer, with the question as it will be published (reworded to keep the asker anonymous)."""

    text = forms.CharField(
        label=_("The question, as it will be published"),
        help_text=_(
            "Change the wording if anything in it could show who asked, such as a name, a service or a place. "
            "Keep the meaning."
        ),
        max_length=Question._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    answer = forms.CharField(
        label=_("Your answer"),
        help_text=_("Every organisation interested in this opportunity is emailed the question and this answer."),
        max_length=Question._meta.get_field("answer").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, initial={"text": question.text, "answer": question.answer}, **kwargs)


class LotsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, lot: Lot) -> str:
        return str(lot)


class ConsortiumPostForm(forms.ModelForm):
    """An organisation's post: what it offers, the partner it seeks, the lots and the area."""

    lots = LotsField(
        label=_("Which lots are you interested in?"),
        help_text=_("Select all that apply. Leave them all clear if you are open to any lot."),
        queryset=Lot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ConsortiumPost
        fields = ["offers", "seeks", "lots", "area"]
        labels = {
            "offers": _("What your organisation offers"),
            "seeks": _("The partner you are looking for"),
            "area": _("Area"),
        }
        help_texts = {
            "offers": _("For example, the services you run, where, and how many hours or places you could provide"),
            "seeks": _("For example, an organisation that covers the north of the borough, or that can do night care"),
            "area": _("Where you work or want to work, for example 'Northbrook and Ashby Fen'"),
        }
        widgets = {
            "offers": forms.Textarea(attrs={"rows": 4}),
            "seeks": forms.Textarea(attrs={"rows": 4}),
            "area": forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
        }

    def __init__(self, *args, opportunity: Opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        lots = self.fields["lots"]
        lots.queryset = opportunity.lots.order_by("number")
        lots.error_messages["invalid_choice"] = _("Choose only lots of this opportunity")
        lots.error_messages["invalid_pk_value"] = _("Choose only lots of this opportunity")
        self.has_lots = lots.queryset.exists()
        if not self.has_lots:
            del self.fields["lots"]

    def _post_clean(self):
        pass  # the service checks and saves (consortium.post_save)


class ContactForm(forms.Form):
    """A message to a post's organisation, and which of the sender's organisations sends it if they are in several."""

    text = forms.CharField(
        label=_("Your message"),
        help_text=_(
            "Say who you are, what you would like to talk about and how best to reach your organisation. "
            "Your own email address is not shared."
        ),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, organisations: list, **kwargs):
        super().__init__(*args, **kwargs)
        _organisation_choice(self, organisations, _("Which organisation is writing?"))

    def clean(self):
        cleaned = super().clean()
        cleaned["organisation"] = _chosen_organisation(self)
        return cleaned
