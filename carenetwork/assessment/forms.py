"""The forms of the self-assessments, built from a question set: the council's answers, and a provider's scores."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.assessment.models import Answer

SCORE_CHOICES = [
    ("0", _("0 (poor practice)")),
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 (positive practice)")),
    ("", _("No score")),
]
ANSWER_CHOICES = [*Answer.Choice.choices, ("", _("Not answered yet"))]


def _score(value) -> int | None:
    return None if value in (None, "") else int(value)


class AnswersForm(forms.Form):
    """One round of the council's self-assessment: every question on one page; anything may be left for later."""

    def __init__(self, *args, question_set, answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(question_set.questions.all())
        self.scored = question_set.scored
        for q in self.questions:
            own = answers.get(q.pk)
            if self.scored:
                self.fields[f"answer_{q.pk}"] = forms.ChoiceField(
                    label=q.text, help_text=q.help, choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
                )
                self.initial[f"answer_{q.pk}"] = "" if own is None or own.score is None else str(own.score)
                note_label = _("What needs to be done to improve the score for %(method)s?") % {"method": q.text}
            else:
                self.fields[f"answer_{q.pk}"] = forms.ChoiceField(
                    label=f"{q.order}. {q.text}",
                    help_text=q.help,
                    choices=ANSWER_CHOICES,
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.initial[f"answer_{q.pk}"] = own.answer if own else ""
                note_label = _("Note or evidence for question %(n)s") % {"n": q.order}
            self.fields[f"note_{q.pk}"] = forms.CharField(
                label=note_label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.initial[f"note_{q.pk}"] = own.note if own else ""

    def answers(self) -> dict[int, dict]:
        """The answers as the service takes them."""
        data = self.cleaned_data
        key = "score" if self.scored else "answer"
        return {
            q.pk: {
                key: _score(data[f"answer_{q.pk}"]) if self.scored else data[f"answer_{q.pk}"],
                "note": data[f"note_{q.pk}"],
            }
            for q in self.questions
        }


class ScoresForm(forms.Form):
    """A provider's scores of the council's engagement methods, each 0–5 with an optional comment."""

    def __init__(self, *args, questions, own: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            mine = own.get(q.pk)
            self.fields[f"score_{q.pk}"] = forms.ChoiceField(
                label=q.text, choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.initial[f"score_{q.pk}"] = str(mine.score) if mine else ""
            self.fields[f"comment_{q.pk}"] = forms.CharField(
                label=_("Your comment on %(method)s") % {"method": q.text},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.initial[f"comment_{q.pk}"] = mine.comment if mine else ""

    def scores(self) -> dict[int, dict]:
        """The scores as the service takes them."""
        data = self.cleaned_data
        return {
            q.pk: {"score": _score(data[f"score_{q.pk}"]), "comment": data[f"comment_{q.pk}"]} for q in self.questions
        }


class DetailsForm(forms.Form):
    """A questionnaire's title and introduction."""

    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    intro = forms.CharField(
        label=_("Introduction"),
        help_text=_("Shown above the questions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class QuestionForm(forms.Form):
    """One question's wording, its hint and its place among `places` questions."""

    text = forms.CharField(
        label=_("Question"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the question")},
    )
    help = forms.CharField(
        label=_("Hint (optional)"),
        help_text=_("Shown under the question, e.g. what to do if the answer is no"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    position = forms.TypedChoiceField(label=_("Position"), coerce=int)

    def __init__(self, *args, places: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [
            (n, _("%(n)s of %(total)s") % {"n": n, "total": places}) for n in range(1, places + 1)
        ]
