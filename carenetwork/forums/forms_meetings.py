"""Forms for meetings, their attendance, and the person's calendar address. They parse and render only."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.form_fields import DateInputField, WidthBoundField, aware, number_field, time_field
from carenetwork.forums.bookings import MAX_PLACES


class MeetingForm(forms.Form):
    """A meeting's title, when and where, its places and deadlines.

    Field names are those of the meeting where a field decides one (the time fields stand for the whole
    moment), so the service's errors land on the right field. `cleaned_data` is what the service takes.
    """

    bound_field_class = WidthBoundField

    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    starts_on = DateInputField(
        label=_("Date of the meeting"),
        help_text=_("For example, 27 3 2026"),
        error_messages={"required": _("Enter the date of the meeting")},
    )
    starts_at = time_field(_("Start time"), _("Enter the time the meeting starts"))
    ends_at = time_field(
        _("End time"),
        _("Enter the time the meeting ends"),
        help_text=_("On the same day. Use the 24-hour clock, for example 16:00"),
    )
    venue = forms.CharField(
        label=_("Venue"), max_length=255, required=False, help_text=_("Leave empty for a meeting held online only")
    )
    online_link = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example, a Teams or Zoom link"),
        error_messages={"invalid": _("Enter a full web address, starting https://")},
    )
    capacity = number_field(_("Number of places"), _("Enter the number of places"))
    per_organisation_limit = number_field(
        _("Places each organisation may book"), _("Enter how many places each organisation may book"), initial=2
    )
    booking_deadline_on = DateInputField(
        label=_("Date booking closes"), error_messages={"required": _("Enter the date booking closes")}
    )
    booking_deadline = time_field(_("Time booking closes"), _("Enter the time booking closes"))
    agenda_deadline_on = DateInputField(
        label=_("Date of the deadline for agenda items"),
        error_messages={"required": _("Enter the date of the deadline for agenda items")},
    )
    agenda_deadline = time_field(
        _("Time of the deadline for agenda items"), _("Enter the time of the deadline for agenda items")
    )

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(meeting)
        super().__init__(*args, **kwargs)
        # The service has the same limit; here it stops a number too big for the database before it gets there.
        for name in ("capacity", "per_organisation_limit"):
            field = self.fields[name]
            field.max_value = MAX_PLACES
            field.validators.append(MaxValueValidator(MAX_PLACES))
            field.error_messages["max_value"] = _("Enter %(limit_value)s or fewer")

    @staticmethod
    def initial_for(meeting) -> dict:
        local = {
            name: timezone.localtime(getattr(meeting, name))
            for name in ("starts_at", "ends_at", "booking_deadline", "agenda_deadline")
        }
        return {
            "title": meeting.title,
            "starts_on": local["starts_at"].date(),
            "starts_at": local["starts_at"].time(),
            "ends_at": local["ends_at"].time(),
            "venue": meeting.venue,
            "online_link": meeting.online_link,
            "capacity": meeting.capacity,
            "per_organisation_limit": meeting.per_organisation_limit,
            "booking_deadline_on": local["booking_deadline"].date(),
            "booking_deadline": local["booking_deadline"].time(),
            "agenda_deadline_on": local["agenda_deadline"].date(),
            "agenda_deadline": local["agenda_deadline"].time(),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        return {
            "title": data["title"],
            "starts_at": aware(data["starts_on"], data["starts_at"]),
            "ends_at": aware(data["starts_on"], data["ends_at"]),
            "venue": data["venue"],
            "online_link": data["online_link"],
            "capacity": data["capacity"],
            "per_organisation_limit": data["per_organisation_limit"],
            "booking_deadline": aware(data["booking_deadline_on"], data["booking_deadline"]),
            "agenda_deadline": aware(data["agenda_deadline_on"], data["agenda_deadline"]),
        }


class AttendanceForm(forms.Form):
    """Which of the people with places came to the meeting."""

    attended = forms.MultipleChoiceField(
        label=_("Who came to the meeting?"),
        help_text=_("Select everyone who came. Anyone not selected is recorded as absent."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.choices = [(str(b.pk), f"{b.person} ({b.organisation})") for b in bookings]
        if not self.is_bound:
            self.initial["attended"] = [str(b.pk) for b in bookings if b.attended]
