"""The award page's rows (one per bidder of a lot, a formset per lot) and the feedback form. They parse and render
only: the rules and the saving are in awards.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, MoneyField
from carenetwork.procurement.awards import BidEntry, RecordedBid
from carenetwork.procurement.models import Bid

NEW_ROWS = 2  # blank rows under each lot's bidders: save, and two more appear
BIG_MONEY_ERRORS = {
    "max_digits": _("Enter an amount less than £1,000,000,000,000"),
    "max_whole_digits": _("Enter an amount less than £1,000,000,000,000"),
}


class AwardForm(forms.Form):
    """No fields: it carries the errors that belong to the whole award (the error summary shows them first)."""


class BidRowForm(forms.Form):
    """One bidder of a lot: who, the score, the outcome, and for a successful bid its contract."""

    bid = forms.IntegerField(widget=forms.HiddenInput, required=False)
    organisation = forms.TypedChoiceField(
        label=_("Bidder"),
        coerce=int,
        empty_value=None,
        help_text=_("An organisation in the directory"),
        error_messages={"invalid_choice": _("Choose the bidder from the list")},
    )
    score = forms.DecimalField(
        label=_("Score (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("The bid's total weighted score out of 100"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={
            "invalid": _("Enter the score as a number from 0 to 100, like 72.5"),
            "min_value": _("The score cannot be less than 0"),
            "max_value": _("The score cannot be more than 100"),
            "max_decimal_places": _("Enter the score to no more than 2 decimal places"),
            "max_digits": _("Enter the score as a number from 0 to 100, like 72.5"),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Bid.Outcome.choices,
        widget=forms.RadioSelect,
        initial=Bid.Outcome.PENDING,
        required=False,  # "not yet decided" when none is chosen
    )
    value = MoneyField(
        label=_("Contract value, including VAT"),
        required=False,
        max_digits=14,
        min_value=0,
        help_text=_("For a successful bid: in pounds, over the whole contract"),
        error_messages=BIG_MONEY_ERRORS,
    )
    start = DateInputField(label=_("Contract start"), required=False, help_text=_("For example 1 4 2027"))
    end = DateInputField(label=_("Contract end"), required=False, help_text=_("For example 31 3 2030"))
    awarded_on = DateInputField(label=_("Awarded on"), required=False, help_text=_("Leave blank for today"))
    remove = forms.BooleanField(label=_("Remove this bidder"), required=False)

    def __init__(self, *args, bidders: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Choose a bidder")), *bidders]
        self.fields["organisation"].error_messages["required"] = _("Choose the bidder")
        if not self.initial.get("bid"):
            del self.fields["remove"]

    def has_changed(self) -> bool:
        """A blank row left as it was is skipped, whether or not the browser sent its "not yet decided" choice."""
        changed = set(self.changed_data) - {"outcome"}
        if self.data.get(self.add_prefix("outcome")) not in (None, "", Bid.Outcome.PENDING):
            changed.add("outcome")
        return bool(changed)

    @property
    def is_recorded(self) -> bool:
        return bool(self.initial.get("bid"))

    def entry(self, *, row: str, organisations: dict, bids: dict) -> BidEntry:
        """The row as the service reads it (only for a valid, changed row)."""
        data = self.cleaned_data
        return BidEntry(
            row=row,
            organisation=organisations.get(data.get("organisation")),
            outcome=data.get("outcome") or Bid.Outcome.PENDING,
            score=data.get("score"),
            value=data.get("value"),
            start=data.get("start"),
            end=data.get("end"),
            awarded_on=data.get("awarded_on"),
            bid=bids.get(data.get("bid")),
            remove=bool(data.get("remove")),
        )


BidRowFormSet = forms.formset_factory(BidRowForm, extra=NEW_ROWS)


def row_initial(recorded: RecordedBid) -> dict:
    """A recorded bid (and its contract) as a row's initial values."""
    bid, contract = recorded.bid, recorded.contract
    initial = {"bid": bid.pk, "organisation": bid.organisation_id, "score": bid.score, "outcome": bid.outcome}
    if contract is not None:
        initial |= {
            "value": contract.value,
            "start": contract.start,
            "end": contract.end,
            "awarded_on": contract.awarded_on,
        }
    return initial


def lot_formset(lot, recorded: list[RecordedBid], bidders: list[tuple[int, str]], data=None) -> BidRowFormSet:
    """The rows of one lot: its recorded bidders, then blank rows for new ones."""
    return BidRowFormSet(
        data,
        prefix=f"lot-{lot.pk}",
        initial=[row_initial(r) for r in recorded],
        form_kwargs={"bidders": bidders},
    )


FEEDBACK_GUIDANCE = _(
    "For each evaluation criterion, say what was strong and what was weak in this bid, quoting the evaluation. Give "
    "the bid's score beside the winning score, and say what would make a future bid better. Do not reveal anything "
    "confidential from other bids."
)


class FeedbackForm(forms.Form):
    """The written feedback for one bid."""

    feedback = forms.CharField(
        label=_("Feedback"),
        help_text=FEEDBACK_GUIDANCE,
        max_length=Bid._meta.get_field("feedback").max_length,
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": _("Write the feedback")},
    )
