"""Forms for delivering a run: attendance, invoices and evaluations. They parse and render only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.training.models import Evaluation, Interest

SCORES = [
    ("1", _("1 – Strongly disagree")),
    ("2", _("2 – Disagree")),
    ("3", _("3 – Neither agree nor disagree")),
    ("4", _("4 – Agree")),
    ("5", _("5 – Strongly agree")),
]


class AttendanceForm(forms.Form):
    """Which of the people booked on the run came."""

    attended = forms.MultipleChoiceField(
        label=_("Who attended the course?"),
        help_text=_(
            "Select everyone who attended. Anyone not selected is recorded as absent. People from a staff register "
            "who attended get a training record for each category the course covers."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.choices = [(str(d.pk), f"{d.display_name} ({d.interest.organisation})") for d in delegates]
        if not self.is_bound:
            self.initial["attended"] = [str(d.pk) for d in delegates if d.attended]


class InvoiceForm(forms.Form):
    """What happened to a booking's invoice."""

    state = forms.ChoiceField(
        label=_("Invoice"), choices=[(Interest.Invoice.ISSUED, _("Issued")), (Interest.Invoice.PAID, _("Paid"))]
    )


class EvaluationForm(forms.Form):
    """A delegate's rating of the course: four statements scored 1–5, and comments."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in Evaluation.QUESTIONS:
            label = Evaluation._meta.get_field(question).verbose_name
            self.fields[question] = forms.TypedChoiceField(
                label=label,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 5 for: %(question)s") % {"question": label}},
            )
        self.fields["comments"] = forms.CharField(
            label=_("Comments"),
            help_text=_("What went well, and what could be better. Do not name other people."),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
