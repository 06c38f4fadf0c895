"""The demo borough's market position statement: two published versions (the first three months old), the draft a
little ahead of them, comments from providers with one response and one awaiting it. Idempotent."""

import datetime

from django.utils import timezone

from carenetwork.market.models import MarketSettings, StatementSection, StatementVersion
from carenetwork.market.statement_services import (
    comment_add,
    comment_respond,
    draft_sections,
    section_save,
    statement_publish,
)
from carenetwork.organisations.models import Membership

MAILBOX = "marketshaping@eastmarsh.example"

FIRST = {
    "Predicted demand": (
        "The borough has one of the oldest populations in London, and the number of people aged 85 and over is "
        "growing fastest.\n\n[[demand]]\n\n"
        "## What this means for providers\n\n"
        "- more people living with dementia at home and in care homes;\n"
        "- more people needing help with daily tasks such as washing and dressing."
    ),
    "Support for providers": (
        "We broker training at prices that fall as more providers buy places, and we run forums for each "
        "sector.\n\n[[training-offer]]"
    ),
    "How to be involved": (
        "Comment on any section of this statement when signed in, register your interest in a needed service, "
        f"or write to the market shaping team at [{MAILBOX}](mailto:{MAILBOX})."
    ),
}
SECOND = {
    "Current supply": (
        "The services in the borough now, from the CQC directory and providers' monthly capacity returns. "
        "One part of the care home market has had no vacancies for months: see the sustainability table.\n\n"
        "[[supply]]\n\n[[sustainability]]"
    ),
    "Support for providers": (
        "We broker training at prices that fall as more providers buy places, and we run forums for each sector. "
        "From April we add bursaries for the Level 3 Diploma in Adult Care.\n\n[[training-offer]]\n\n[[skills-gap]]"
    ),
}


def _write(officer, texts: dict) -> None:
    by_heading = {s.heading: s for s in draft_sections()}
    for heading, body in texts.items():
        section_save(actor=officer, section=by_heading[heading], data={"body": body})


def build_statement_demo(borough) -> None:
    if StatementVersion.objects.exists():
        return
    officer, provider_admin = borough.officer, borough.people["provider_admin"]
    market = MarketSettings.current()
    if not market.mailbox:
        market.mailbox = MAILBOX
        market.save(update_fields=["mailbox"])
    _write(officer, FIRST)
    first = statement_publish(actor=officer, summary="Our first living market position statement.", notify=False)
    StatementVersion.objects.filter(pk=first.pk).update(published_at=timezone.now() - datetime.timedelta(days=91))
    _write(officer, SECOND)
    second = statement_publish(
        actor=officer,
        summary="Supply now comes with the sustainability of each part of the market; training bursaries added.",
        notify=False,
    )
    supply = second.sections.get(heading="Current supply")
    answered = comment_add(
        actor=provider_admin,
        section=supply,
        text="Our two homes in Romford take people with dementia; are they counted as specialist places?",
    )
    comment_respond(
        actor=officer,
        comment=answered,
        response="Not yet: the directory does not say which beds are specialist. We will ask in the capacity return.",
    )
    other = next(p for p in borough.providers if p.pk != borough.featured.pk)
    member = Membership.objects.active().filter(organisation=other).select_related("user").first()
    if member:
        comment_add(
            actor=member.user,
            section=second.sections.get(heading="Support for providers"),
            text="Could the bursaries cover the Level 2 certificate for new starters too?",
        )
    StatementSection.objects.filter(heading="How to be involved").update(
        body=FIRST["How to be involved"] + "\n\nWe hold an open market event each spring."
    )
