"""Forums in the demo borough: member providers, a past meeting with its agenda, record and open actions,
and an upcoming meeting with bookings, a waiting list and items raised for its agenda.

Upcoming business goes through the services, so the rules hold. The past meeting is history written
directly: the services, rightly, refuse to back-date a booking or an agenda deadline.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from carenetwork.forums import agenda, bookings, permissions, services
from carenetwork.forums.models import Action, AgendaItem, Forum, ItemEvent, Meeting
from carenetwork.organisations.models import Membership, Organisation

State = AgendaItem.State
PAST_ITEMS = [
    (
        "Hospital discharge on Fridays",
        "issue",
        State.FED_BACK,
        "Discharges arrive late on Friday without medication.",
        "The council has agreed a 2pm cut-off with the hospital discharge team from next month.",
    ),
    (
        "Agency staff costs",
        "issue",
        State.ACTION_IN_PROGRESS,
        "Agency nurse rates have risen by a fifth.",
        "Commissioners will include agency costs in this year's cost of care review.",
    ),
    (
        "Shared training for medication",
        "proposal",
        State.CLOSED,
        "Could providers buy medication training together?",
        "A course is now in the training catalogue with community buy-in pricing.",
    ),
]
UPCOMING_ITEMS = [
    ("Winter vaccination clinics", "question", False, "Will the council coordinate flu clinics for staff?"),
    ("Late payment of invoices", "issue", True, "Several invoices are more than 30 days overdue."),
]


def _people_of(organisation_ids):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation_id__in=organisation_ids)
        .select_related("user")
        .order_by("organisation__name", "role")
    ]


def build_forums(*, officer, administrator, featured: Organisation) -> None:
    """Give each seeded forum leads, member providers and meetings, unless it already has meetings.

    The featured organisation (the demo provider admin's) joins every forum its sectors allow, first.
    """
    now = timezone.now()
    for n, forum in enumerate(Forum.objects.filter(is_active=True).exclude(slug="benchmark-forum")):
        if forum.meetings.exists():
            continue
        forum.leads.add(officer, *([administrator] if n == 0 else []))
        permissions.forget(officer)
        sector_ids = forum.sectors.values_list("pk", flat=True)
        eligible = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER, sectors__in=sector_ids).distinct()
        providers = [o for o in eligible if o.pk == featured.pk]
        providers += list(eligible.exclude(pk=featured.pk).order_by("name")[: 10 - len(providers)])
        for organisation in providers:
            services.forum_membership_add(actor=officer, forum=forum, organisation=organisation)
        _past_meeting(forum, officer, [o.pk for o in providers], now)
        _upcoming_meeting(forum, officer, [o.pk for o in providers], now)


def _past_meeting(forum, officer, provider_ids, now):
    start = now - timedelta(days=56)
    meeting = Meeting.objects.create(
        forum=forum,
        title=f"{forum.name}: autumn meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        venue="Town Hall, Committee Room 2",
        capacity=30,
        per_organisation_limit=2,
        booking_deadline=start - timedelta(days=1),
        agenda_deadline=start - timedelta(days=7),
        agenda_published_at=start - timedelta(days=5),
        record_published_at=start + timedelta(days=3),
    )
    for position, (title, category, state, description, response) in enumerate(PAST_ITEMS):
        item = AgendaItem.objects.create(
            forum=forum,
            meeting=meeting,
            title=title,
            description=description,
            category=category,
            raised_by_organisation_id=provider_ids[position % len(provider_ids)] if provider_ids else None,
            state=state,
            position=position,
            notes=f"Members discussed: {description.lower()}",
            council_response=response,
        )
        for step, (action, to_state) in enumerate(
            [
                ("raised", State.RAISED),
                ("accepted", State.ON_AGENDA),
                ("recorded", State.DISCUSSED),
                ("fed back" if state != State.ACTION_IN_PROGRESS else "action added", state),
            ]
        ):
            ItemEvent.objects.create(
                item=item,
                actor=officer if step else None,
                action=action,
                to_state=to_state,
                at=start - timedelta(days=10 - 3 * step),
            )
        if state == State.ACTION_IN_PROGRESS:
            Action.objects.create(
                item=item,
                description="Collect agency invoices from five providers",
                owner_person=officer,
                due_date=(now + timedelta(days=14)).date(),
                status=Action.Status.IN_PROGRESS,
            )


def _upcoming_meeting(forum, officer, provider_ids, now):
    start = (now + timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = bookings.meeting_save(
        actor=officer,
        forum=forum,
        meeting=None,
        data={
            "title": f"{forum.name}: winter meeting",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "venue": "Town Hall, Committee Room 2",
            "online_link": "",
            "capacity": 4,
            "per_organisation_limit": 1,
            "booking_deadline": start - timedelta(days=1),
            "agenda_deadline": start - timedelta(days=3),
        },
    )
    people = _people_of(provider_ids)
    # One place per organisation and four places: the fifth organisation and a second person of the first
    # organisation go on the waiting list.
    for person in people[:6]:
        try:
            bookings.booking_create(actor=person, meeting=meeting)
        except ValidationError:  # e.g. someone in two member organisations; the demo skips them
            continue
    for n, (title, category, anonymous, description) in enumerate(UPCOMING_ITEMS):
        if len(people) > n:
            agenda.item_raise(
                actor=people[n],
                forum=forum,
                meeting=meeting,
                data={"title": title, "category": category, "anonymous": anonymous, "description": description},
            )
