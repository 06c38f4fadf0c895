"""How forum meetings, bookings and agenda items are written out. Rendering only: who may see what is decided by
the selectors, and who raised an item by the agenda's anonymity rule, as on the portal's pages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carenetwork.forums import agenda_permissions, permissions
from carenetwork.forums.models import AgendaItem, Booking, Forum, Meeting
from carenetwork.organisations.models import Organisation

LIVE_STATUSES = [Booking.Status.CONFIRMED, Booking.Status.WAITING]


class ForumSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Forum
        fields = ["id", "slug", "name"]


class ForumOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class BookedPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__", help_text="The person's name (their email if they gave none).")


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting, with its places: taken, left and waiting, and the caller's own booking's status."""

    forum = ForumSummarySerializer()
    online_link = serializers.CharField(help_text="The address to join the meeting online, or empty.")
    confirmed_count = serializers.IntegerField(help_text="Places booked.")
    waiting_count = serializers.IntegerField(help_text="People on the waiting list.")
    places_left = serializers.IntegerField(help_text="Places still free (0 when the meeting is full).")
    my_booking_status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in LIVE_STATUSES],
        allow_null=True,
        help_text="The caller's own place or waiting-list place, if any.",
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "forum",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "capacity",
            "per_organisation_limit",
            "booking_deadline",
            "agenda_deadline",
            "agenda_published_at",
            "record_published_at",
            "cancelled_at",
            "confirmed_count",
            "waiting_count",
            "places_left",
            "my_booking_status",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting as its page shows it: places, the caller's booking and whether they may book now."""

    my_booking_id = serializers.IntegerField(allow_null=True, help_text="The caller's own booking, if any.")
    my_waiting_position = serializers.IntegerField(
        allow_null=True, help_text="The caller's place on the waiting list (1 is next), if they are waiting."
    )
    organisation_full = serializers.BooleanField(
        help_text="The caller's organisation has booked all the places it may: a booking goes on the waiting list."
    )
    can_book = serializers.BooleanField(help_text="The caller may book a place (or join the waiting list) now.")
    closed_reason = serializers.CharField(allow_null=True, help_text="Why nobody may book now, if booking is closed.")

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "my_booking_id",
            "my_waiting_position",
            "organisation_full",
            "can_book",
            "closed_reason",
        ]
        read_only_fields = fields


class MeetingSummarySerializer(serializers.ModelSerializer):
    forum = ForumSummarySerializer()

    class Meta:
        model = Meeting
        fields = ["id", "forum", "title", "starts_at", "ends_at", "cancelled_at"]


class BookingSerializer(serializers.ModelSerializer):
    """A place at a meeting, or a place on its waiting list."""

    meeting = MeetingSummarySerializer()
    person = BookedPersonSerializer()
    organisation = ForumOrganisationSerializer()
    waiting_position = serializers.IntegerField(
        allow_null=True, help_text="The place on the waiting list (1 is next); null unless waiting."
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "meeting",
            "person",
            "organisation",
            "status",
            "waiting_position",
            "queued_at",
            "cancelled_at",
            "attended",
        ]
        read_only_fields = fields


class NewBookingSerializer(serializers.Serializer):
    """Book a place at a meeting for the caller (for a token, the admin who made it): a full meeting, or one where
    the organisation has booked all its places, puts the booking on the waiting list."""

    meeting = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The meeting's id.")


class AgendaItemSerializer(serializers.ModelSerializer):
    """An agenda item, with who raised it as the anonymity rule lets the caller see."""

    raised_by = serializers.SerializerMethodField(help_text="Who raised it, or “A provider” when it is anonymous.")
    raised_by_organisation = serializers.SerializerMethodField()
    on_agenda = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "forum",
            "meeting",
            "title",
            "category",
            "state",
            "on_agenda",
            "position",
            "raised_by",
            "raised_by_organisation",
            "created_at",
        ]
        read_only_fields = fields

    def _raiser_visible(self, item) -> bool:
        return agenda_permissions.can_see_raiser(self.context["request"].user, item)

    @extend_schema_field(serializers.CharField())
    def get_raised_by(self, item) -> str:
        return str(agenda_permissions.raiser_label(item, self._raiser_visible(item)))

    @extend_schema_field(ForumOrganisationSerializer(allow_null=True))
    def get_raised_by_organisation(self, item):
        if item.raised_by_organisation is None or not self._raiser_visible(item):
            return None
        return ForumOrganisationSerializer(item.raised_by_organisation).data

    @extend_schema_field(
        serializers.BooleanField(help_text="On the meeting's agenda, as far as the caller may see the agenda yet.")
    )
    def get_on_agenda(self, item) -> bool:
        lead = item.forum_id in permissions.led_forum_ids(self.context["request"].user)
        shown = item.meeting_id is not None and bool(lead or item.meeting.agenda_published_at)
        return shown and item.state in agenda_permissions.ACCEPTED_STATES


class AgendaItemDetailSerializer(AgendaItemSerializer):
    """An agenda item with its description, the discussion, the council's response and why it was declined."""

    decline_reason = serializers.SerializerMethodField()

    class Meta(AgendaItemSerializer.Meta):
        fields = [*AgendaItemSerializer.Meta.fields, "description", "notes", "council_response", "decline_reason"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_decline_reason(self, item) -> str:
        return item.decline_reason if item.state == AgendaItem.State.DECLINED else ""
