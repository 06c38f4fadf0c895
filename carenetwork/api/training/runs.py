"""Course runs with their live position, and the caller organisation's interest in a run: register, change,
withdraw, through the same locked services as the run's pages."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from carenetwork.api.common import ORGANISATION_PARAMETER, caller_organisation
from carenetwork.api.pagination import Pages
from carenetwork.api.training.serializers import (
    CourseBookingSerializer,
    CourseRunSerializer,
    InterestInput,
    RunBookingsSerializer,
    RunFilters,
)
from carenetwork.core.access import PAGE_SIZE, require
from carenetwork.training import delivery, interests, permissions, selectors
from carenetwork.training.models import CourseRun

AREA = "training"

RUN_FILTERS = [
    OpenApiParameter("course", int, description="Only the runs of this course (its id)."),
    OpenApiParameter("status", str, enum=CourseRun.Status.values, description="Only runs in this state."),
    OpenApiParameter(
        "taking_places",
        bool,
        description="true: only runs on which places can be taken now (interest, partners' offer or booking still "
        "open); false: only the others.",
    ),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Only runs starting on or after this date."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="Only runs starting on or before this date."),
]


class RunPages(Pages):
    # A run carries its whole price schedule and live position: 25 to a page, as the portal's course list shows.
    page_size = PAGE_SIZE


class RunList(generics.ListAPIView):
    """The runs the caller may see, soonest first, each with its live position and the caller's own places."""

    area = AREA
    serializer_class = CourseRunSerializer
    pagination_class = RunPages

    @extend_schema(operation_id="course_runs_list", parameters=RUN_FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = RunFilters(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.run_list_for(
            user=self.request.user,
            course_id=data.get("course"),
            status=data.get("status", ""),
            taking_places=data.get("taking_places"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class RunDetail(APIView):
    """One run: what its page shows about places and price."""

    area = AREA

    @extend_schema(operation_id="course_runs_retrieve", responses=CourseRunSerializer)
    def get(self, request, pk):
        run = selectors.run_position_get_for(user=request.user, pk=pk)
        return Response(CourseRunSerializer(run, context={"request": request}).data)


def _own_interest(request, run):
    """The caller organisation's live places on the run: 403 if it does not take places, 404 if it has none."""
    organisation = caller_organisation(request)
    require(organisation in permissions.booking_organisations(request.user))
    interest = selectors.interests_for_organisations(user=request.user, run=run).get(organisation.pk)
    if interest is None:
        raise Http404
    return interest


class RunInterest(APIView):
    """The caller organisation's places on a run: its interest before the decision, its booking after."""

    area = AREA

    @extend_schema(
        operation_id="course_runs_interest_retrieve",
        parameters=[ORGANISATION_PARAMETER],
        responses=CourseBookingSerializer,
    )
    def get(self, request, pk):
        run = selectors.run_get_for(user=request.user, pk=pk)
        interest = _own_interest(request, run)
        return Response(CourseBookingSerializer(interest, context={"request": request}).data)

    @extend_schema(
        operation_id="course_runs_interest_update",
        parameters=[ORGANISATION_PARAMETER],
        request=InterestInput,
        responses={
            200: OpenApiResponse(CourseBookingSerializer, description="The interest (or booking) was changed."),
            201: OpenApiResponse(CourseBookingSerializer, description="Interest registered (or places booked)."),
        },
        description="Register interest in places, change how many (or the most you will pay), or book places on a "
        "confirmed run at its fixed price. Places beyond capacity join the waiting list. Booked places are given "
        "up by cancelling them from the booking.",
    )
    def put(self, request, pk):
        run = selectors.run_get_for(user=request.user, pk=pk)
        organisation = caller_organisation(request)
        data = InterestInput(data=request.data)
        data.is_valid(raise_exception=True)
        existed = organisation.pk in selectors.interests_for_organisations(user=request.user, run=run)
        interest = interests.interest_save(
            actor=request.user,
            run=run,
            organisation=organisation,
            places=data.validated_data["places"],
            ceiling=data.validated_data["ceiling"],
        )
        body = CourseBookingSerializer(interest, context={"request": request}).data
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="course_runs_interest_destroy",
        parameters=[ORGANISATION_PARAMETER],
        responses={204: OpenApiResponse(description="The interest was withdrawn.")},
        description="Withdraw the organisation's interest before the decision (a booking is cancelled instead).",
    )
    def delete(self, request, pk):
        run = selectors.run_get_for(user=request.user, pk=pk)
        interest = _own_interest(request, run)
        interests.interest_withdraw(actor=request.user, interest=interest)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RunBookings(APIView):
    """Who booked the run, what each owes and where the invoices stand: for its training provider and the council
    (delegates are named to the training provider only)."""

    area = AREA

    @extend_schema(operation_id="course_runs_bookings_retrieve", responses=RunBookingsSerializer)
    def get(self, request, pk):
        run = selectors.run_get_for(user=request.user, pk=pk)
        data = delivery.run_bookings_for(user=request.user, run=run)
        for booking in data["bookings"]:
            booking.run = run  # every booking is on this run: no query per booking for it
        return Response(RunBookingsSerializer(data, context={"request": request}).data)
