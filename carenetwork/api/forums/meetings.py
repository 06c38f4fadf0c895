"""Forum meetings and their agenda items (area "forums"): only those of forums the caller sees into, through the
forums' selectors, so that a confidential forum, its meetings and its items do not exist for anyone else (404)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from carenetwork.api.common import FilterDate, QuerySerializer
from carenetwork.api.forums.serializers import (
    AgendaItemDetailSerializer,
    AgendaItemSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
)
from carenetwork.api.models import Area
from carenetwork.forums import issue_log, selectors
from carenetwork.forums.models import AgendaItem, Meeting

MAX_ID = 2**31 - 1


def query_values(request, fields: dict) -> dict:
    """The query parameters named in `fields`, checked by those fields as every query of the API is
    (common.QuerySerializer: once each, blank only where allowed); a bad one is a 400 naming it."""
    query = type("Query", (QuerySerializer,), dict(fields))(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def id_field():
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


MEETING_FILTERS = [
    OpenApiParameter("forum", int, description="One forum's meetings (its id)."),
    OpenApiParameter(
        "from",
        datetime.date,
        description="Meetings starting on or after this date (YYYY-MM-DD). Without it, the meetings not yet over.",
    ),
    OpenApiParameter("to", datetime.date, description="Meetings starting on or before this date (YYYY-MM-DD)."),
]


@extend_schema(parameters=MEETING_FILTERS)
class MeetingList(generics.ListAPIView):
    """The meetings of the forums the caller's organisation belongs to (or the caller leads), soonest first, with
    places taken, left and waiting. Meetings not yet over unless `from` is given."""

    area = Area.FORUMS
    serializer_class = MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        query = query_values(
            self.request, {"forum": id_field(), "from": FilterDate(required=False), "to": FilterDate(required=False)}
        )
        start, end = query.get("from"), query.get("to")
        if start and end and end < start:
            raise serializers.ValidationError({"to": [_("The date in 'to' must be the same as or after 'from'.")]})
        return selectors.meeting_list_for(
            user=self.request.user,
            forum_id=query.get("forum"),
            starts_from=_start_of(start) if start else None,
            starts_before=_start_of(end + datetime.timedelta(days=1)) if end else None,
        )


class MeetingDetail(generics.RetrieveAPIView):
    """One meeting: when and where, places left and the waiting list, the caller's booking and whether they may
    book now, as its page shows them."""

    area = Area.FORUMS
    serializer_class = MeetingDetailSerializer

    def get_object(self):
        meeting = selectors.meeting_visible_get_for(user=self.request.user, pk=self.kwargs["pk"])
        places = selectors.meeting_places_for(user=self.request.user, meeting=meeting)
        for name in ("confirmed_count", "waiting_count", "places_left", "organisation_full", "can_book"):
            setattr(meeting, name, places[name])
        mine = places["my_booking"]
        meeting.closed_reason = str(places["closed_reason"]) if places["closed_reason"] else None
        meeting.my_booking_status = mine.status if mine else None
        meeting.my_booking_id = mine.pk if mine else None
        meeting.my_waiting_position = places["waiting_position"]
        return meeting


class MeetingAgendaItemList(generics.ListAPIView):
    """A meeting's agenda items in agenda order, as its page shows them: leads see every item; others see the
    agenda once it is published, and the items their own organisation raised."""

    area = Area.FORUMS
    serializer_class = AgendaItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AgendaItem.objects.none()
        meeting = selectors.meeting_visible_get_for(user=self.request.user, pk=self.kwargs["pk"])
        return issue_log.agenda_for(user=self.request.user, meeting=meeting)


class AgendaItemDetail(generics.RetrieveAPIView):
    """One agenda item the caller may see: leads see every item of their forums; members see published items and
    their own organisation's."""

    area = Area.FORUMS
    serializer_class = AgendaItemDetailSerializer

    def get_object(self):
        return selectors.agenda_item_get_for(user=self.request.user, pk=self.kwargs["pk"])
