"""The training area's representations: runs with their live position, an organisation's places on a run (its
interest, then its booking) with their delegates, and the inputs the services take. They parse and render only.

Each choice set is an enum in one component only (`CourseRun.status`, `CourseBooking.status`): where a run's or a
place's status appears again inside another object it is a plain string, so the schema's enum names stay stable.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from carenetwork.api.common import FilterDate, QuerySerializer
from carenetwork.core.access import MAX_ID
from carenetwork.training import bookings, interests, permissions
from carenetwork.training.forms_runs import MAX_PLACES
from carenetwork.training.models import CourseRun, Delegate, DeliveryMode, Interest
from carenetwork.training.position import position_of

MONEY = {"max_digits": 9, "decimal_places": 2}


class OrganisationRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SectorRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CourseRef(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    delivery_mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    provider = OrganisationRef(help_text="The training provider.")


class PriceStepSerializer(serializers.Serializer):
    more = serializers.IntegerField(help_text="This many more places on the run…")
    price = serializers.DecimalField(**MONEY, help_text="…bring the price per place down to this.")


class PriceBandSerializer(serializers.Serializer):
    first = serializers.IntegerField(help_text="From this many places taken in all…")
    last = serializers.IntegerField(help_text="…to this many…")
    price = serializers.DecimalField(**MONEY, help_text="…each place costs this.")


class TierSerializer(serializers.Serializer):
    from_places = serializers.IntegerField()
    price = serializers.DecimalField(**MONEY)


class PositionSerializer(serializers.Serializer):
    """Where the run stands, as its page shows it (`training.position`)."""

    places_taken = serializers.IntegerField()
    minimum = serializers.IntegerField(help_text="Places needed for the run to go ahead.")
    capacity = serializers.IntegerField()
    still_needed = serializers.IntegerField(help_text="More places needed for the run to go ahead.")
    places_left = serializers.IntegerField()
    most_per_place = serializers.DecimalField(
        **MONEY, help_text="The most each place will cost now (the price at the larger of places taken and minimum)."
    )
    locked = serializers.BooleanField(help_text="The run is confirmed: the price per place is fixed.")
    next_step = serializers.SerializerMethodField(help_text="The next fall in price, if more places would bring one.")
    steps = PriceStepSerializer(many=True, help_text="The next falls in price, up to capacity (none once locked).")
    table = PriceBandSerializer(many=True, help_text="The price per place for each number of places up to capacity.")

    @extend_schema_field(PriceStepSerializer(allow_null=True))
    def get_next_step(self, position) -> dict | None:
        return self.fields["steps"].child.to_representation(position.steps[0]) if position.steps else None

    def to_representation(self, run):
        """The position of a run, worked out from the run and its (prefetched) tiers."""
        return super().to_representation(position_of(run, [(t.from_places, t.price) for t in run.tiers.all()]))


class YourPlacesSerializer(serializers.Serializer):
    """One of the caller's organisations' live places on the run (the whole record is its course booking)."""

    booking = serializers.IntegerField(source="pk", help_text="The id of its course booking.")
    organisation = OrganisationRef()
    status = serializers.CharField(help_text="interested or booked.")
    places = serializers.IntegerField()
    waiting_places = serializers.IntegerField()
    ceiling = serializers.DecimalField(**MONEY, allow_null=True)
    amount_due = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class CourseRunSerializer(serializers.ModelSerializer):
    """A run: when and where, its places, its price schedule and live position, and the caller's own places."""

    course = CourseRef()
    sectors = SectorRef(many=True, help_text="The sectors it is aimed at; every member may still take places.")
    # Nested serializers, not methods that make one per run: a page of runs then builds each of them once.
    tiers = TierSerializer(
        many=True,
        read_only=True,
        source="tiers.all",
        help_text="The price per place from each number of places (tiers).",
    )
    position = PositionSerializer(source="*", read_only=True)
    organisations_interested = serializers.IntegerField(help_text="Organisations holding places.")
    waiting_places = serializers.IntegerField(help_text="Places wanted beyond capacity, on the waiting list.")
    places_closed_reason = serializers.SerializerMethodField(
        help_text="Why nobody can take places on the run now; null while places can be taken."
    )
    may_take_places = serializers.SerializerMethodField(
        help_text="The caller's organisation (any of a signed-in person's) may register interest in (or book) "
        "places now."
    )
    cancellation_charged_now = serializers.SerializerMethodField(
        help_text="Places cancelled now are still charged under the run's terms."
    )
    your_places = YourPlacesSerializer(
        many=True, read_only=True, source="yours", help_text="The caller's organisations' live places on the run."
    )

    class Meta:
        model = CourseRun
        fields = [
            "id",
            "course",
            "status",
            "starts_at",
            "ends_at",
            "dates_note",
            "venue",
            "area",
            "online_link",
            "sectors",
            "capacity",
            "minimum_places",
            "places_taken",
            "current_price",
            "locked_price",
            "single_place_price",
            "pricing",
            "fee",
            "tiers",
            "position",
            "organisations_interested",
            "waiting_places",
            "interest_deadline",
            "partner_deadline",
            "booking_cutoff",
            "free_cancellation_until",
            "cancellation_terms",
            "places_closed_reason",
            "may_take_places",
            "cancellation_charged_now",
            "your_places",
        ]
        extra_kwargs = {"current_price": {"help_text": "The most each place will cost now."}}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_places_closed_reason(self, run) -> str | None:
        return interests.closed_reason(run)

    def get_may_take_places(self, run) -> bool:
        user = self.context["request"].user
        if not hasattr(self, "_booking_organisations"):  # once for a page of runs
            self._booking_organisations = permissions.booking_organisations(user)
        return interests.closed_reason(run) is None and any(
            permissions.can_take_places(user, run, o) for o in self._booking_organisations
        )

    def get_cancellation_charged_now(self, run) -> bool:
        return interests.cancellation_charged(run)


class RunRef(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.IntegerField(source="course_id")
    course_title = serializers.CharField(source="course.title")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="The run's status: open, partners, confirmed or cancelled.")
    locked_price = serializers.DecimalField(**MONEY, allow_null=True)
    booking_cutoff = serializers.DateTimeField()


class DelegateSerializer(serializers.ModelSerializer):
    """A person named for one of the places: from the staff register, or by name for a partner organisation."""

    staff = serializers.IntegerField(
        source="staff_id", allow_null=True, help_text="Their id on the staff register (null for a partner's names)."
    )
    name = serializers.CharField(source="display_name", help_text="Empty for someone since removed from the register.")
    attended = serializers.BooleanField(allow_null=True, help_text="Recorded by the training provider.")

    class Meta:
        model = Delegate
        fields = ["id", "staff", "name", "attended"]


class CourseBookingSerializer(serializers.ModelSerializer):
    """An organisation's places on a run: its expression of interest before the decision, its booking after."""

    run = RunRef()
    organisation = OrganisationRef()
    delegates = serializers.SerializerMethodField(
        help_text="Who takes the places: for the organisation and the training provider; null for others."
    )
    delegates_named = serializers.SerializerMethodField()
    substitution_closed_reason = serializers.SerializerMethodField(
        help_text="Why delegates cannot be named or changed now; null while they can."
    )
    cancellation_charged_now = serializers.SerializerMethodField(
        help_text="Places cancelled now are still charged under the run's terms."
    )
    ceiling = serializers.SerializerMethodField(
        help_text="The most the organisation will pay a place: for the organisation only (null for others), as the "
        "training provider must not learn a buyer's limit."
    )

    class Meta:
        model = Interest
        fields = [
            "id",
            "run",
            "organisation",
            "status",
            "places",
            "waiting_places",
            "ceiling",
            "price",
            "charged_places",
            "amount_due",
            "invoice",
            "invoice_issued_at",
            "paid_at",
            "booked_at",
            "ended_at",
            "created_at",
            "delegates",
            "delegates_named",
            "substitution_closed_reason",
            "cancellation_charged_now",
        ]

    @extend_schema_field(DelegateSerializer(many=True, allow_null=True))
    def get_delegates(self, interest) -> list | None:
        user = self.context["request"].user
        if not (permissions.can_manage_interest(user, interest) or permissions.can_deliver_run(user, interest.run)):
            return None
        return DelegateSerializer(interest.delegates.all(), many=True).data

    @extend_schema_field(serializers.DecimalField(**MONEY, allow_null=True))
    def get_ceiling(self, interest):
        user = self.context["request"].user
        return (
            None
            if interest.ceiling is None or not permissions.can_manage_interest(user, interest)
            else (f"{interest.ceiling:.2f}")
        )

    def get_delegates_named(self, interest) -> int:
        return len(interest.delegates.all())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_substitution_closed_reason(self, interest) -> str | None:
        return bookings.substitution_closed_reason(interest)

    def get_cancellation_charged_now(self, interest) -> bool:
        return interests.cancellation_charged(interest.run)


class BookingTotalsSerializer(serializers.Serializer):
    places = serializers.IntegerField(help_text="Places booked.")
    amount_due = serializers.DecimalField(max_digits=12, decimal_places=2)
    invoiced = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    outstanding = serializers.DecimalField(max_digits=12, decimal_places=2)


class RunBookingsSerializer(serializers.Serializer):
    """A run's charged bookings and their totals, for the training provider and the council."""

    totals = BookingTotalsSerializer()
    bookings = CourseBookingSerializer(many=True)


class StaffChoiceSerializer(serializers.Serializer):
    """Someone on the organisation's staff register who may be named for a place."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    job_role = serializers.CharField(source="job_role.name")
    reference = serializers.CharField()


# Inputs --------------------------------------------------------------------------------------------------------


class RunFilters(QuerySerializer):
    course = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=CourseRun.Status.choices, required=False)
    taking_places = serializers.BooleanField(required=False)
    date_from = FilterDate(required=False)
    date_to = FilterDate(required=False)

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise serializers.ValidationError({"date_to": [_("The end date must be on or after the start date")]})
        return data


class BookingFilters(QuerySerializer):
    run = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=Interest.Status.choices, required=False)


class InterestInput(serializers.Serializer):
    """How many places the organisation wants (beyond capacity they wait), and the most it will pay for each."""

    places = serializers.IntegerField(min_value=1, max_value=MAX_PLACES)
    ceiling = serializers.DecimalField(
        **MONEY,
        min_value=Decimal("0.01"),
        required=False,
        allow_null=True,
        default=None,
        help_text="If the price at the deadline is above this, the interest is withdrawn and nothing is paid.",
    )


class CancelInput(serializers.Serializer):
    places = serializers.IntegerField(
        min_value=1, max_value=MAX_PLACES, required=False, allow_null=True, default=None, help_text="All if left out."
    )


class DelegatesInput(serializers.Serializer):
    """Everyone who takes the places: staff register ids (a care provider) or names (a partner organisation)."""

    staff = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list, max_length=1000
    )
    names = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, default=list, max_length=1000
    )

    def validate_staff(self, value):
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("Choose a different person for each place"))
        return value


class DelegateInput(serializers.Serializer):
    """One more person for the places: a staff register id (a care provider) or a name (a partner organisation)."""

    staff = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    def validate(self, data):
        if (data["staff"] is None) == (not data["name"].strip()):
            raise serializers.ValidationError(_("Give either the person's staff register id or their name"))
        return data


class InvoiceInput(serializers.Serializer):
    invoice = serializers.ChoiceField(
        choices=[Interest.Invoice.ISSUED, Interest.Invoice.PAID],
        help_text="issued, then paid: marking it paid cannot be undone.",
    )
