"""What forums offer the portal (carenetwork.core.registry): navigation, home-page panels, demo, benchmark,
and the hourly meeting reminders for the scheduler."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenetwork.core.registry import (
    BenchmarkContext,
    BenchmarkPage,
    Capability,
    DemoBorough,
    NavigationEntry,
    ScheduledJob,
    register,
)
from carenetwork.forums.attention import PANELS
from carenetwork.forums.tasks import send_meeting_reminders

# The forum volume: a forum with 200 meetings and 5,000 agenda items (ten times the items for a region).
# A forum is a council's (or a region's), so the national volume has a region's forum.
FORUM_VOLUMES = {"council": {"meetings": 200, "items": 5000}, "region": {"meetings": 200, "items": 50000}}
FORUM_VOLUMES["national"] = FORUM_VOLUMES["region"]


def _forums_href(user) -> str | None:
    return reverse("forums:forum-list")


def _demo(borough: DemoBorough) -> None:
    from carenetwork.forums.demo import build_forums

    build_forums(officer=borough.officer, administrator=borough.administrator, featured=borough.featured)


def _benchmark(bench: BenchmarkContext) -> list[BenchmarkPage]:
    """The benchmark forum (topped up here) as a member sees it: its home, its issue log and a meeting."""
    from carenetwork.forums.volume import generate_forum_volume

    forum = generate_forum_volume(
        member_organisation=bench.member_organisation,
        lead=bench.officer,
        **FORUM_VOLUMES[bench.volume],
        stdout=bench.stdout,
    )
    meeting = forum.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    n_meetings, n_items = forum.meetings.count(), forum.items.count()
    return [
        BenchmarkPage(f"forum ({n_meetings} meetings, {n_items} items)", f"/forums/{forum.slug}/"),
        BenchmarkPage("issue log", f"/forums/{forum.slug}/issues/"),
        BenchmarkPage("issue log search", f"/forums/{forum.slug}/issues/?q=discharge"),
        BenchmarkPage("issue log filtered", f"/forums/{forum.slug}/issues/?state=action_in_progress&category=issue"),
        BenchmarkPage("meeting", f"/forums/{forum.slug}/meetings/{meeting.pk}/"),
    ]


register(
    Capability(
        name="forums",
        navigation=[NavigationEntry(label=_("Forums"), href_for=_forums_href, order=10)],
        panels=PANELS,
        demo=_demo,
        benchmark=_benchmark,
        # The day-before reminders (meetings starting in 24 to 48 hours), hourly.
        scheduled_jobs=[ScheduledJob("send_meeting_reminders", send_meeting_reminders, every_minutes=60)],
    )
)
