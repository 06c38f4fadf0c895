"""The caller organisation's places on runs (its course bookings), cancelling them, and naming who goes: people
from its staff register (a partner organisation types names), changed until the run's cut-off."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from carenetwork.api.common import ORGANISATION_PARAMETER, caller_organisation
from carenetwork.api.models import Area
from carenetwork.api.training.serializers import (
    BookingFilters,
    CancelInput,
    CourseBookingSerializer,
    DelegateInput,
    DelegateSerializer,
    DelegatesInput,
    InvoiceInput,
    StaffChoiceSerializer,
)
from carenetwork.core.access import require
from carenetwork.organisations.models import Organisation
from carenetwork.training import bookings, delivery, interests, permissions, selectors
from carenetwork.training.interests import locked_run
from carenetwork.training.models import Interest

AREA = Area.TRAINING

BOOKING_FILTERS = [
    ORGANISATION_PARAMETER,
    OpenApiParameter("run", int, description="Only the places on this run (its id)."),
    OpenApiParameter("status", str, enum=Interest.Status.values, description="Only places in this state."),
]


class BookingList(generics.ListAPIView):
    """The caller organisation's places on runs, newest run first: interest, bookings, and those that ended."""

    area = AREA
    serializer_class = CourseBookingSerializer

    @extend_schema(operation_id="course_bookings_list", parameters=BOOKING_FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = BookingFilters(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.organisation_bookings_for(
            user=self.request.user,
            organisation=caller_organisation(self.request),
            run_id=filters.validated_data.get("run"),
            status=filters.validated_data.get("status", ""),
        )


def _booking(request, pk) -> Interest:
    """The places, for those who may see them (the organisation, the training provider, the council); 404 else."""
    return selectors.interest_get_for(user=request.user, pk=pk)


def _managed(request, pk) -> Interest:
    interest = _booking(request, pk)
    require(permissions.can_manage_interest(request.user, interest))
    return interest


class BookingDetail(APIView):
    """One organisation's places on a run: what it owes, and who goes."""

    area = AREA

    @extend_schema(operation_id="course_bookings_retrieve", responses=CourseBookingSerializer)
    def get(self, request, pk):
        interest = _booking(request, pk)
        return Response(CourseBookingSerializer(interest, context={"request": request}).data)


class BookingCancel(APIView):
    """Give up booked places under the run's cancellation terms (after free cancellation they are still charged)."""

    area = AREA

    @extend_schema(
        operation_id="course_bookings_cancel",
        request=CancelInput,
        responses={200: OpenApiResponse(CourseBookingSerializer, description="The places were cancelled.")},
    )
    def post(self, request, pk):
        interest = _managed(request, pk)
        data = CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = interests.booking_cancel(actor=request.user, interest=interest, places=data.validated_data["places"])
        return Response(CourseBookingSerializer(saved, context={"request": request}).data)


class BookingInvoice(APIView):
    """The training provider marks a booking's invoice issued, then paid (which cannot be undone)."""

    area = AREA

    @extend_schema(
        operation_id="course_bookings_invoice",
        request=InvoiceInput,
        responses={200: OpenApiResponse(CourseBookingSerializer, description="The invoice was marked.")},
    )
    def post(self, request, pk):
        interest = _booking(request, pk)
        require(permissions.can_deliver_run(request.user, interest.run))
        data = InvoiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        saved = delivery.invoice_mark(actor=request.user, interest=interest, state=data.validated_data["invoice"])
        return Response(CourseBookingSerializer(saved, context={"request": request}).data)


def _staff(request, interest, ids: list[int], pointer: str) -> list:
    """The people with these ids on the organisation's register who may be named; a 400 naming any other id."""
    found = {p.pk: p for p in selectors.delegate_staff_for(user=request.user, interest=interest).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError(
            {pointer: _("Not on your staff register, or left: %(ids)s") % {"ids": ", ".join(map(str, missing))}}
        )
    return [found[i] for i in ids]


def _is_partner(interest) -> bool:
    return interest.organisation.kind == Organisation.Kind.PARTNER


class Delegates(generics.ListAPIView):
    """Who takes the organisation's places: listed for the organisation and the training provider; named, replaced
    and added by the organisation until the run's cut-off. A partner organisation's names are written afresh on
    every change, so their ids change."""

    area = AREA
    serializer_class = DelegateSerializer

    @extend_schema(operation_id="course_bookings_delegates_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        interest = _booking(self.request, self.kwargs["pk"])
        return selectors.delegate_list_for(user=self.request.user, interest=interest)

    @extend_schema(
        operation_id="course_bookings_delegates_replace",
        request=DelegatesInput,
        responses={200: OpenApiResponse(CourseBookingSerializer, description="The booking, with who goes now.")},
        description="Name everyone who takes the places (no more than the places booked): `staff` ids from the "
        "staff register for a care provider, `names` for a partner organisation. People already named keep their "
        "place; the rest are substitutions. An empty list names nobody.",
    )
    def put(self, request, pk):
        interest = _managed(request, pk)
        data = DelegatesInput(data=request.data)
        data.is_valid(raise_exception=True)
        staff = _staff(request, interest, data.validated_data["staff"], "staff")
        bookings.delegates_set(actor=request.user, interest=interest, staff=staff, names=data.validated_data["names"])
        return Response(CourseBookingSerializer(_booking(request, pk), context={"request": request}).data)

    @extend_schema(
        operation_id="course_bookings_delegates_create",
        request=DelegateInput,
        responses={201: OpenApiResponse(DelegateSerializer, description="The person named.")},
        description="Name one more person for a place: `staff` (an id from the staff register) for a care "
        "provider, `name` for a partner organisation.",
    )
    def post(self, request, pk):
        interest = _managed(request, pk)
        data = DelegateInput(data=request.data)
        data.is_valid(raise_exception=True)
        staff_id, name = data.validated_data["staff"], data.validated_data["name"].strip()
        with transaction.atomic():
            locked_run(interest.run)  # the list read here is the one replaced: nobody changes it meanwhile
            current = list(selectors.delegate_list_for(user=request.user, interest=interest))
            if _is_partner(interest):
                if not name:
                    raise ValidationError({"name": _("Enter the name of the person who will go")})
                named = bookings.delegates_set(
                    actor=request.user, interest=interest, names=[d.name for d in current] + [name]
                )
                added = named[-1] if named else None
            else:
                if staff_id is None:
                    raise ValidationError({"staff": _("Choose people from your staff register")})
                if any(d.staff_id == staff_id for d in current):
                    raise ValidationError({"staff": _("This person is already named for a place")})
                kept = [d.staff for d in current if d.staff_id]
                staff = kept + _staff(request, interest, [staff_id], "staff")
                named = bookings.delegates_set(actor=request.user, interest=interest, staff=staff)
                added = next(d for d in named if d.staff_id == staff_id)
        return Response(DelegateSerializer(added).data, status=status.HTTP_201_CREATED)


class DelegateDetail(APIView):
    """One person named for a place; removing them frees the place for someone else."""

    area = AREA

    def _delegate(self, request, interest, delegate_pk):
        for delegate in selectors.delegate_list_for(user=request.user, interest=interest):
            if delegate.pk == delegate_pk:
                return delegate
        raise Http404

    @extend_schema(operation_id="course_bookings_delegates_retrieve", responses=DelegateSerializer)
    def get(self, request, pk, delegate_pk):
        interest = _booking(request, pk)
        return Response(DelegateSerializer(self._delegate(request, interest, delegate_pk)).data)

    @extend_schema(
        operation_id="course_bookings_delegates_destroy",
        responses={204: OpenApiResponse(description="The person is no longer named.")},
    )
    def delete(self, request, pk, delegate_pk):
        interest = _managed(request, pk)
        with transaction.atomic():
            locked_run(interest.run)
            gone = self._delegate(request, interest, delegate_pk)
            current = [d for d in selectors.delegate_list_for(user=request.user, interest=interest) if d.pk != gone.pk]
            if _is_partner(interest):
                bookings.delegates_set(actor=request.user, interest=interest, names=[d.name for d in current])
            else:
                bookings.delegates_set(
                    actor=request.user, interest=interest, staff=[d.staff for d in current if d.staff_id]
                )
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffChoices(generics.ListAPIView):
    """The people the organisation may name for its places: its current staff register (empty for a partner
    organisation, which gives names). The staff register is the records area's, so a token needs that area."""

    area = Area.RECORDS
    serializer_class = StaffChoiceSerializer

    @extend_schema(operation_id="course_bookings_staff_choices_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        interest = _booking(self.request, self.kwargs["pk"])
        return selectors.delegate_staff_for(user=self.request.user, interest=interest)
