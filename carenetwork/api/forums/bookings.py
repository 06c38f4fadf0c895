"""Forum bookings (area "bookings"): the caller's places, booking and cancelling through the forums' locked
booking services, exactly as the meeting pages call them."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from carenetwork.api.forums.meetings import id_field, query_values
from carenetwork.api.forums.serializers import BookingSerializer, NewBookingSerializer
from carenetwork.api.models import ApiToken, Area
from carenetwork.forums import bookings, selectors
from carenetwork.forums.models import Booking


def token_organisation(request):
    """The organisation a token acts for; None for a signed-in person."""
    return request.auth.organisation if isinstance(request.auth, ApiToken) else None


class BookingList(generics.ListCreateAPIView):
    """Bookings at meetings not yet over. A signed-in person sees their own; an organisation's token sees its
    people's, as the organisation's admins see them on the meeting pages. POST books a place."""

    area = Area.BOOKINGS
    serializer_class = BookingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        meeting_id = query_values(self.request, {"meeting": id_field()}).get("meeting")
        organisation = token_organisation(self.request)
        if organisation is None:
            return selectors.own_booking_list_for(user=self.request.user, meeting_id=meeting_id)
        return selectors.organisation_booking_list_for(
            user=self.request.user, organisation=organisation, meeting_id=meeting_id
        )

    @extend_schema(parameters=[OpenApiParameter("meeting", int, description="Bookings at one meeting (its id).")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=NewBookingSerializer, responses={201: BookingSerializer})
    def post(self, request, *args, **kwargs):
        """Book a place at a meeting for the caller (for a token, the admin who made it). A full meeting, or one
        where the organisation has booked all the places it may, puts the booking on the waiting list."""
        given = NewBookingSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            meeting = selectors.meeting_visible_get_for(user=request.user, pk=given.validated_data["meeting"])
        except Http404 as missing:
            # The same answer whether the meeting does not exist or is in a forum the caller may not see.
            raise serializers.ValidationError({"meeting": [_("There is no meeting with this id.")]}) from missing
        booking = bookings.booking_create(actor=request.user, meeting=meeting)
        booking = selectors.booking_visible_get_for(
            user=request.user, pk=booking.pk, organisation=token_organisation(request)
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


def _booking(request, pk) -> Booking:
    return selectors.booking_visible_get_for(user=request.user, pk=pk, organisation=token_organisation(request))


class BookingDetail(generics.RetrieveDestroyAPIView):
    """One booking the caller may see: their own, their organisation's people's (for its admins and its token), or
    any at a forum they lead. DELETE cancels it: the freed place goes to the next person waiting."""

    area = Area.BOOKINGS
    serializer_class = BookingSerializer

    def get_object(self):
        return _booking(self.request, self.kwargs["pk"])

    @extend_schema(responses={204: OpenApiResponse(description="Cancelled.")})
    def delete(self, request, *args, **kwargs):
        return super().delete(request, *args, **kwargs)

    def perform_destroy(self, instance):
        bookings.booking_cancel(actor=self.request.user, booking=instance)


class BookingCancel(generics.GenericAPIView):
    """Cancel a booking (the same as DELETE on the booking), answering with the cancelled booking."""

    area = Area.BOOKINGS
    serializer_class = BookingSerializer

    @extend_schema(request=None, responses={200: BookingSerializer})
    def post(self, request, pk):
        booking = bookings.booking_cancel(actor=request.user, booking=_booking(request, pk))
        return Response(BookingSerializer(_booking(request, booking.pk)).data)
