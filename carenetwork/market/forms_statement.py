"""The market position statement's forms: a draft section, publishing, a comment, a response, choosing versions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.registry import statement_blocks
from carenetwork.market.models import StatementSection


class SectionForm(forms.ModelForm):
    """A section's heading and text; a chosen live block is added to the text on its own line."""

    block = forms.ChoiceField(
        label=_("Live block to insert"),
        required=False,
        help_text=_(
            "Insert the block puts its line at the end of the text (saving does too). You can move that line anywhere."
        ),
    )

    class Meta:
        model = StatementSection
        fields = ["heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "spellcheck": "true"})}
        help_texts = {
            "body": _(
                "Write in plain text. A line starting with ## is a heading; lines starting with - are a list; "
                "**bold**; [a link](https://example.org). A line such as [[supply]] shows live figures."
            )
        }
        error_messages = {"heading": {"required": _("Enter a heading")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [("", _("Choose a block"))] + [
            (key, f"{block.label} [[{key}]]") for key, block in statement_blocks().items()
        ]


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=_("What has changed in this version"),
        max_length=500,
        help_text=_("Members are emailed this sentence with a link to the statement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say in a sentence what has changed in this version"),
            "max_length": _("What has changed must be 500 characters or fewer"),
        },
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment on this section"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Signed-in members see your name, your organisation and the council's response"),
        error_messages={
            "required": _("Enter your comment"),
            "max_length": _("Your comment must be 2,000 characters or fewer"),
        },
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("The council's response"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the council's response"),
            "max_length": _("The response must be 2,000 characters or fewer"),
        },
    )


class CompareForm(forms.Form):
    older = forms.TypedChoiceField(label=_("Earlier version"), coerce=int)
    newer = forms.TypedChoiceField(label=_("Later version"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(n)s") % {"n": n}) for n in numbers]
        self.fields["older"].choices = choices
        self.fields["newer"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("older") is not None and data.get("older") == data.get("newer"):
            self.add_error("newer", _("Choose two different versions"))
        return data
