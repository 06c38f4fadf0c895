"""Forms for runs, places, decisions and delegates. They parse and render only; the services decide."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import (
    DateInputField,
    MoneyField,
    WidthBoundField,
    aware,
    number_field,
    time_field,
)
from carenetwork.core.widgets import QuickSelect
from carenetwork.organisations.models import Sector
from carenetwork.training import pricing
from carenetwork.training.models import BrokerageSettings, CourseRun


def money_field(label, *, required=False, help_text=""):
    return MoneyField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"min_value": _("Enter an amount more than £0")},
    )


# The most places any number on a run may say: well above any course's group size, and far below what the
# database's small integers hold, so a mistyped number gets a plain message, not an error page.
MAX_PLACES = 1000
MAX_PRICE = Decimal("10000000")  # the prices' nine digits, two of them pence


def places_field(label, required_message, *, min_value=1, **kwargs) -> forms.IntegerField:
    """A number of places, from `min_value` to 1,000."""
    field = number_field(label, required_message, min_value=min_value, max_value=MAX_PLACES, **kwargs)
    field.error_messages["max_value"] = _("Enter 1,000 or fewer")
    return field


TIER_LINE = re.compile(
    r"^\s*([0-9]+)\s*\+?\s*(?:places?)?\s*[:=,\-–]?\s*£?\s*([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?)\s*$"
)


def parse_tiers(text: str) -> list[tuple[int, Decimal]]:
    """'1: 90', '5 £70', '10+ 55.00', one band a line: [(from places, price)], or a ValidationError naming the line."""
    bands = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = TIER_LINE.match(line)
        if not match:
            raise ValidationError(
                _("Line %(n)s is not a band: write the number of places it starts at, then the price, like 5: 70")
                % {"n": number}
            )
        try:
            band = (int(match[1]), Decimal(match[2].replace(",", "")))
        except InvalidOperation:
            raise ValidationError(_("Line %(n)s has a price we cannot read") % {"n": number}) from None
        if band[0] > MAX_PLACES:
            raise ValidationError(_("Line %(n)s starts at more than 1,000 places") % {"n": number})
        if band[1] >= MAX_PRICE:
            raise ValidationError(_("Line %(n)s has a price of £10,000,000 or more") % {"n": number})
        bands.append(band)
    return bands


def tiers_text(tiers) -> str:
    return "\n".join(f"{t.from_places}: {t.price}" for t in tiers)


class RunForm(forms.Form):
    """A run's date, place, places, deadlines, targeted sectors and price schedule."""

    bound_field_class = WidthBoundField

    starts_on = DateInputField(
        label=_("Date of the course"),
        help_text=_("The first day, for example 27 3 2027"),
        error_messages={"required": _("Enter the date of the course")},
    )
    starts_at = time_field(_("Start time"), _("Enter the time the course starts"))
    ends_on = DateInputField(
        label=_("Last day (optional)"),
        required=False,
        help_text=_("For a course over more than one day; leave empty for a one-day course"),
    )
    ends_at = time_field(_("End time"), _("Enter the time the course ends"))
    dates_note = forms.CharField(
        label=_("Dates and times"),
        max_length=200,
        required=False,
        help_text=_("For a course over several days, like: 3 and 10 March, 9:30 to 16:30 each day"),
    )
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False, help_text=_("Leave empty if online"))
    area = forms.CharField(label=_("Area"), max_length=100, required=False)
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, starting https://")},
    )
    capacity = places_field(_("Maximum places"), _("Enter the maximum number of places"))
    minimum_places = places_field(_("Minimum places for the run to go ahead"), _("Enter the minimum number of places"))
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors targeted (optional)"),
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        help_text=_("Every member may still take places"),
        widget=forms.CheckboxSelectMultiple,
    )
    pricing = forms.ChoiceField(
        label=_("Price schedule agreed with the training provider"),
        choices=CourseRun.Pricing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a price schedule")},
    )
    fee = money_field(_("Shared fee for the run (£)"), help_text=_("For a shared fee: split equally between places"))
    tiers = forms.CharField(
        label=_("Price per place for each band of places"),
        required=False,
        help_text=_("For bands: one a line, the number of places it starts at then the price, like 1: 95, 6: 75"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    interest_deadline_on = DateInputField(
        label=_("Date interest closes"), error_messages={"required": _("Enter the date interest closes")}
    )
    interest_deadline = time_field(_("Time interest closes"), _("Enter the time interest closes"))
    partner_margin = places_field(
        _("Partner margin (places)"),
        _("Enter the partner margin"),
        min_value=0,
        help_text=_("If the run is this many places short or fewer, partners are offered them"),
    )
    partner_deadline_on = DateInputField(
        label=_("Date the partner offer closes"),
        error_messages={"required": _("Enter the date the partner offer closes")},
    )
    partner_deadline = time_field(_("Time the partner offer closes"), _("Enter the time the partner offer closes"))
    booking_cutoff_on = DateInputField(
        label=_("Date of the booking and substitution cut-off"),
        error_messages={"required": _("Enter the date of the cut-off")},
    )
    booking_cutoff = time_field(_("Time of the cut-off"), _("Enter the time of the cut-off"))
    free_cancellation_until_on = DateInputField(
        label=_("Free cancellation until"),
        help_text=_("Places cancelled after the end of this day are still charged"),
        error_messages={"required": _("Enter the last day of free cancellation")},
    )
    cancellation_terms = forms.CharField(
        label=_("Cancellation terms"),
        max_length=1000,
        help_text=_("Shown to everyone before they take places"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the cancellation terms")},
    )

    def __init__(self, *args, run=None, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(run) if run else self.defaults()
        super().__init__(*args, **kwargs)

    @staticmethod
    def defaults() -> dict:
        settings = BrokerageSettings.current()
        return {
            "partner_margin": settings.partner_margin,
            "pricing": CourseRun.Pricing.SHARED_FEE,
            "starts_at": datetime.time(9, 30),
            "ends_at": datetime.time(16, 30),
            "interest_deadline": datetime.time(17, 0),
            "partner_deadline": datetime.time(17, 0),
            "booking_cutoff": datetime.time(17, 0),
            "cancellation_terms": _("Free cancellation until the date below; after it the full price is charged."),
        }

    @staticmethod
    def initial_for(run: CourseRun) -> dict:
        local = {
            name: timezone.localtime(getattr(run, name))
            for name in ("starts_at", "ends_at", "interest_deadline", "partner_deadline", "booking_cutoff")
        }
        return {
            "starts_on": local["starts_at"].date(),
            "starts_at": local["starts_at"].time(),
            "ends_on": local["ends_at"].date() if local["ends_at"].date() != local["starts_at"].date() else None,
            "ends_at": local["ends_at"].time(),
            "dates_note": run.dates_note,
            "venue": run.venue,
            "area": run.area,
            "online_link": run.online_link,
            "capacity": run.capacity,
            "minimum_places": run.minimum_places,
            "sectors": list(run.sectors.all()),
            "pricing": run.pricing,
            "fee": run.fee,
            "tiers": tiers_text(run.tiers.all()),
            "interest_deadline_on": local["interest_deadline"].date(),
            "interest_deadline": local["interest_deadline"].time(),
            "partner_margin": run.partner_margin,
            "partner_deadline_on": local["partner_deadline"].date(),
            "partner_deadline": local["partner_deadline"].time(),
            "booking_cutoff_on": local["booking_cutoff"].date(),
            "booking_cutoff": local["booking_cutoff"].time(),
            "free_cancellation_until_on": timezone.localtime(run.free_cancellation_until).date(),
            "cancellation_terms": run.cancellation_terms,
        }

    # The service names a run's moments; the page asks for their dates in fields of their own.
    DATE_OF = {
        "starts_at": "starts_on",
        "interest_deadline": "interest_deadline_on",
        "partner_deadline": "partner_deadline_on",
        "booking_cutoff": "booking_cutoff_on",
        "free_cancellation_until": "free_cancellation_until_on",
    }

    def service_error(self, error: ValidationError) -> ValidationError:
        """The service's error with each moment's message on the date it is about."""
        if not hasattr(error, "error_dict"):
            return error
        return ValidationError({self.DATE_OF.get(name, name): errors for name, errors in error.error_dict.items()})

    def clean_tiers(self):
        bands = parse_tiers(self.cleaned_data.get("tiers") or "")
        if bands and self.data.get(self.add_prefix("pricing")) == CourseRun.Pricing.TIERS:
            # Said now, with any other mistakes on the page; the service checks it again.
            schedule = pricing.Tiers(tuple(pricing.Tier(from_places=f, price=p) for f, p in sorted(bands)))
            try:
                pricing.schedule_check(schedule, capacity=max(f for f, _p in bands))
            except pricing.ScheduleInvalid as problem:
                raise ValidationError(str(problem)) from None
        return bands

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        last_day = datetime.time(23, 59, 59)
        return {
            "starts_at": aware(data["starts_on"], data["starts_at"]),
            "ends_at": aware(data["ends_on"] or data["starts_on"], data["ends_at"]),
            "dates_note": data["dates_note"],
            "venue": data["venue"],
            "area": data["area"],
            "online_link": data["online_link"],
            "capacity": data["capacity"],
            "minimum_places": data["minimum_places"],
            "sectors": data["sectors"],
            "pricing": data["pricing"],
            "fee": data["fee"] if data["pricing"] == CourseRun.Pricing.SHARED_FEE else None,
            "tiers": data["tiers"] if data["pricing"] == CourseRun.Pricing.TIERS else [],
            "interest_deadline": aware(data["interest_deadline_on"], data["interest_deadline"]),
            "partner_margin": data["partner_margin"],
            "partner_deadline": aware(data["partner_deadline_on"], data["partner_deadline"]),
            "booking_cutoff": aware(data["booking_cutoff_on"], data["booking_cutoff"]),
            "free_cancellation_until": aware(data["free_cancellation_until_on"], last_day),
            "cancellation_terms": data["cancellation_terms"],
        }


class InterestForm(forms.Form):
    """How many places an organisation wants, and the most it will pay for each."""

    bound_field_class = WidthBoundField

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    places = places_field(_("How many places?"), _("Enter how many places you want"))
    ceiling = money_field(
        _("The most you will pay per place"),
        help_text=_("If the price at the deadline is above this, your interest is withdrawn and you pay nothing"),
    )

    def __init__(self, *args, organisations, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {o.pk: o for o in organisations}
        field = self.fields["organisation"]
        field.choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisations[0].pk
        if locked:
            self.fields["ceiling"].help_text = _("The price is fixed now: you may leave this empty")

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class CancelPlacesForm(forms.Form):
    places = places_field(_("How many places do you want to cancel?"), _("Enter how many places to cancel"))


class DecideForm(forms.Form):
    """A council officer decides early by the rules, or overrides them with a reason."""

    OUTCOMES = [
        ("rules", _("Decide now by the rules")),
        (CourseRun.Status.CONFIRMED, _("Confirm the run")),
        (CourseRun.Status.PARTNERS, _("Offer the places to partners")),
        (CourseRun.Status.CANCELLED, _("Cancel the run")),
    ]
    outcome = forms.ChoiceField(
        label=_("What should happen?"),
        choices=OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what should happen to the run")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("Needed when you override the rules; everyone on the run can be told it"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DelegatesForm(forms.Form):
    """Who takes each place: a person from the staff register per place, or names for a partner organisation."""

    def __init__(self, *args, staff_choices=None, places=1, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = staff_choices is None
        current = list(current)
        if self.partner:
            self.fields["names"] = forms.CharField(
                label=_("Names of the people who will go"),
                required=False,
                help_text=_("One name a line, up to %(n)s") % {"n": places},
                widget=forms.Textarea(attrs={"rows": max(places, 2)}),
                initial="\n".join(d.name for d in current),
            )
            return
        choices = [("", _("Nobody named yet")), *staff_choices]
        for n in range(1, places + 1):
            self.fields[f"place_{n}"] = forms.TypedChoiceField(
                label=_("Place %(n)s") % {"n": n},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=QuickSelect,
                initial=current[n - 1].staff_id if n <= len(current) else None,
            )

    def clean(self):
        data = super().clean()
        if self.partner:
            return {"names": [line.strip() for line in (data.get("names") or "").splitlines() if line.strip()]}
        chosen = [v for k, v in data.items() if k.startswith("place_") and v]
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_("Choose a different person for each place"))
        return {"staff_ids": chosen}
