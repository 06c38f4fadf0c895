"""Synthetic forum data at benchmark volume: one forum with many meetings and agenda items.

Idempotent: the benchmark forum is found by its slug and only topped up to the numbers asked for.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from carenetwork.forums.models import AgendaItem, Forum, ForumMembership, ItemEvent, Meeting
from carenetwork.organisations.models import Organisation
from carenetwork.organisations.volume import benchmark_officer_ensure

BENCH_FORUM_SLUG = "benchmark-forum"
WORDS = [
    "hospital discharge",
    "fee uplift",
    "agency staff",
    "medication audits",
    "falls",
    "winter pressures",
    "safeguarding referrals",
    "dementia training",
    "rota software",
    "mileage rates",
    "night cover",
    "infection control",
    "DoLS backlog",
    "recruitment",
    "care certificate",
    "digital records",
]
STATES = [s for s, _ in AgendaItem.State.choices]


# The benchmark's council officer leads the benchmark forum; organisations make it (the same person for every page).
bench_lead_ensure = benchmark_officer_ensure


@transaction.atomic
def generate_forum_volume(
    *, member_organisation: Organisation, lead, meetings: int = 200, items: int = 5000, stdout=None
) -> Forum:
    """Top up the benchmark forum to `meetings` meetings and `items` agenda items; return it."""
    rng = random.Random(2015)
    forum, _ = Forum.objects.get_or_create(
        slug=BENCH_FORUM_SLUG, defaults={"name": "Benchmark forum", "description": "Synthetic data."}
    )
    forum.leads.add(lead)
    ForumMembership.objects.get_or_create(
        forum=forum, organisation=member_organisation, defaults={"status": ForumMembership.Status.ACTIVE}
    )
    others = list(
        Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
        .exclude(pk=member_organisation.pk)
        .values_list("pk", flat=True)[:50]
    )
    ForumMembership.objects.bulk_create(
        [ForumMembership(forum=forum, organisation_id=pk, status=ForumMembership.Status.ACTIVE) for pk in others],
        ignore_conflicts=True,
    )
    now = timezone.now()
    have = forum.meetings.count()
    new_meetings = []
    for n in range(have, meetings):
        # Monthly meetings, most in the past, the last few ahead.
        start = now + timedelta(days=30 * (n - meetings + 3))
        new_meetings.append(
            Meeting(
                forum=forum,
                title=f"Meeting {n + 1}",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                venue="Town Hall",
                capacity=40,
                per_organisation_limit=2,
                booking_deadline=start - timedelta(days=1),
                agenda_deadline=start - timedelta(days=7),
                agenda_published_at=start - timedelta(days=5) if start < now else None,
                record_published_at=start + timedelta(days=3) if start < now else None,
            )
        )
    Meeting.objects.bulk_create(new_meetings, batch_size=1000)
    meeting_ids = list(forum.meetings.values_list("pk", flat=True))
    have = forum.items.count()
    new_items = []
    for n in range(have, items):
        topic = rng.choice(WORDS)
        new_items.append(
            AgendaItem(
                forum=forum,
                meeting_id=rng.choice(meeting_ids),
                title=f"{topic.capitalize()} ({n + 1})",
                description=f"Providers report problems with {topic}.",
                category=rng.choice(["issue", "question", "proposal"]),
                raised_by_organisation_id=rng.choice(others or [member_organisation.pk]),
                anonymous=rng.random() < 0.2,
                state=rng.choice(STATES),
                position=n,
                notes=f"Discussed {topic}.",
                council_response=f"The council will review {topic}.",
            )
        )
    created = AgendaItem.objects.bulk_create(new_items, batch_size=2000)
    ItemEvent.objects.bulk_create(
        [ItemEvent(item=item, action="raised", to_state="raised") for item in created], batch_size=2000
    )
    if stdout:
        stdout.write(f"Benchmark forum: {forum.meetings.count()} meetings, {forum.items.count()} items")
    return forum
