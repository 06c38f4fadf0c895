"""The demo borough's opportunities board: open, closed and awarded opportunities, a draft, questions answered to all,
the consortium finder, award feedback and a year of invoices for the payments compliance figures.

What it builds, by reference (each built once, in one go: an opportunity whose reference exists is left alone, so
building the demo again adds nothing):

- EM-2026-014, open: home care for older people, £400,000 in three lots (north, central and south of the borough),
  reserved for SMEs and VCSEs, below the light touch threshold. Interest from four home care providers, two answered
  questions and one waiting for an answer, and two consortium posts that fit together (night care in the north
  seeking a partner for the south; the south seeking night care), with one message between them.
- EM-2026-017, open: a £1.2m supported living framework, above the light touch threshold, one lot with the reason.
- EM-2026-019, open: a £45,000 grant for carers' support, with one answered question (the featured provider's).
- EM-2026-021, a draft day opportunities contract for the council officer to finish (no tender deadline yet, the
  criteria add up to 90%).
- EM-2026-009, closed: community mental health support, its tender deadline passed, four bids awaiting the award.
- EM-2025-031, awarded about fourteen months ago: short-stay care home beds in two lots, the residential lot to the
  featured provider; bids with feedback; a contract per lot with twelve monthly invoices (most paid within 30 days,
  some later, one disputed for ten days, the latest unpaid).
- EM-2026-006, awarded in the summer: home first reablement, its procurement started after 1 April 2026, so its
  monthly invoices of over £30,000 are on the quarterly list of payments over £30,000 (s70).

The rows are written with the models directly, each with the people and times a real flow would record (who created,
asked, answered, registered, posted and when), without the audit trail or emails of the services.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from carenetwork.organisations.models import Membership, Organisation, Role, ServiceType
from carenetwork.procurement.models import (
    Bid,
    ClientGroup,
    ConsortiumMessage,
    ConsortiumPost,
    Contract,
    Criterion,
    Document,
    Interest,
    Invoice,
    Lot,
    Opportunity,
    Question,
)

HOME_CARE = "EM-2026-014"
SUPPORTED_LIVING = "EM-2026-017"
CARERS_GRANT = "EM-2026-019"
DAY_OPPORTUNITIES = "EM-2026-021"
MENTAL_HEALTH = "EM-2026-009"
SHORT_STAY_BEDS = "EM-2025-031"
HOME_FIRST = "EM-2026-006"
REFERENCES = [HOME_CARE, SUPPORTED_LIVING, CARERS_GRANT, DAY_OPPORTUNITIES, MENTAL_HEALTH, SHORT_STAY_BEDS, HOME_FIRST]

DOCUMENTS_AT = "https://example.org/eastmarsh/procurement"
# The borough's areas (organisations.volume.AREAS), north to south, as the market statement's demo groups them.
NORTH = "Ashby Fen and Brookholme"
CENTRAL = "Eastmarsh Central, Kingsmere and Oldbridge"
SOUTH = "Marsh End, Saltcote and Westwater"
BOROUGH = "Across Eastmarsh"

# The demo providers each part uses (organisations.demo names them); any missing one is stood in for by another.
CAST = {
    "featured": "Willow Care Home",
    "north": "Juniper Home Care",
    "south": "Cedar Home Care",
    "central": "Riverside Home Care",
    "marsh_end": "Willow Home Care 2",
    "nursing": "Oakfield Nursing Home",
    "care_home_2": "Lark Care Home",
    "care_home_3": "Rowan Care Home",
    "nursing_2": "Hawthorn Nursing Home",
    "supported_1": "Beech Supported Living",
    "supported_2": "Maple Supported Living",
    "trust_1": "Beech Community Trust 2",
    "trust_2": "Elm Community Trust",
    "trust_3": "Linden Community Trust",
}

STANDARD_CRITERIA = [
    (Criterion.Kind.QUALITY, "Quality: how you will deliver safe, reliable and person-centred care", 60),
    (Criterion.Kind.PRICE, "Price: your rates for each lot", 30),
    (Criterion.Kind.SOCIAL_VALUE, "Social value: local jobs, the Real Living Wage and volunteering", 10),
]

# Days from valid and undisputed to paid, oldest invoice first (None: not paid yet); the amounts including VAT.
RESIDENTIAL_DAYS = [14, 21, 18, 38, 16, 22, 42, 25, 17, 19, 20, None]
RESIDENTIAL_AMOUNTS = [25830, 26412, 24960, 26112, 25344, 26880, 26016, 26880, 25728, 26400, 24576, 26880]
NURSING_DAYS = [24, 27, 70, 19, 26, 15, 36, 21, 28, 29, None, None]
NURSING_AMOUNTS = [33150, 31980, 29640, 33540, 32760, 30420, 33930, 34320, 28860, 33540, 32370, 33150]
NURSING_DISPUTED = 5  # this invoice was queried and became valid and undisputed ten days after it came in
DISPUTED_DAYS = 10
HOME_FIRST_DAYS = [21, 17, 19, 24, 41, None]
HOME_FIRST_AMOUNTS = [31850, 32500, 32240, 32500, 33800, 32110]


@dataclass
class _Context:
    borough: object
    today: datetime.date
    cast: dict
    people: dict


# Real health and social care releases from Contracts Finder (2025), loaded as past opportunities for reference.
CONTRACTS_FINDER_CARE = Path(__file__).parent / "demo_data" / "contracts_finder_care_2025.json"


def build_procurement_demo(borough) -> None:
    """Build each of the demo's opportunities whose reference is not yet on the board (idempotent)."""
    existing = set(Opportunity.objects.filter(reference__in=REFERENCES).values_list("reference", flat=True))
    builders = [
        (HOME_CARE, _home_care),
        (SUPPORTED_LIVING, _supported_living),
        (CARERS_GRANT, _carers_grant),
        (DAY_OPPORTUNITIES, _day_opportunities),
        (MENTAL_HEALTH, _mental_health),
        (SHORT_STAY_BEDS, _short_stay_beds),
        (HOME_FIRST, _home_first),
    ]
    missing = [(reference, build) for reference, build in builders if reference not in existing]
    if not missing:
        return
    cast = _cast(borough.providers, borough.featured)
    people = _people(list(cast.values()))
    context = _Context(borough=borough, today=timezone.localdate(), cast=cast, people=people)
    with transaction.atomic():
        for _reference, build in missing:
            build(context)


# The cast -----------------------------------------------------------------------------------------------------------


def _cast(providers: list, featured) -> dict:
    """The providers by their part: each named one if the demo has it (and has a person to act for it), otherwise
    the next provider not yet cast."""
    with_people = set(
        Membership.objects.active()
        .filter(organisation__in=providers, organisation__kind=Organisation.Kind.PROVIDER)
        .values_list("organisation_id", flat=True)
    )
    by_name = {org.name: org for org in providers if org.pk in with_people}
    if featured is not None:
        by_name.setdefault(CAST["featured"], featured)
    cast, used = {}, set()
    for part, name in CAST.items():
        org = by_name.get(name)
        if org is None or org.pk in used:
            org = next((p for p in providers if p.pk in with_people and p.pk not in used), None)
            org = org or next(p for p in providers if p.pk not in used)
        cast[part] = org
        used.add(org.pk)
    return cast


def _people(organisations: list) -> dict:
    """The person who acts for each organisation (its admin, else a member), by organisation id."""
    people = {}
    memberships = (
        Membership.objects.active()
        .filter(organisation__in=organisations, role__in=[Role.ADMIN, Role.MEMBER])
        .select_related("user")
        .order_by("organisation_id", "role", "pk")  # "admin" sorts before "member"
    )
    for membership in memberships:
        people.setdefault(membership.organisation_id, membership.user)
    return people


# Helpers ------------------------------------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _days(context: _Context, n: int) -> datetime.date:
    return context.today + datetime.timedelta(days=n)


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    return _month_start(day, -months).replace(day=1) + datetime.timedelta(days=day.day - 1)


def _service_type(code: int):
    return ServiceType.objects.filter(ascwds_code=code).first()


def _backdate(obj, when: datetime.datetime) -> None:
    """Set when a row was made (`created_at` is filled in on saving, so it is changed afterwards)."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, modified_at=when)
    obj.created_at = obj.modified_at = when


def _opportunity(context: _Context, **fields) -> Opportunity:
    published = fields.get("tender_published")
    status = fields.get("status", Opportunity.Status.OPEN)
    opportunity = Opportunity.objects.create(
        created_by=context.borough.officer,
        published_at=_at(published, 9) if published and status != Opportunity.Status.DRAFT else None,
        **fields,
    )
    _backdate(opportunity, _at(min(fields["procurement_start"], context.today - datetime.timedelta(days=2)), 9))
    return opportunity


def _lots(opportunity: Opportunity, lots: list[dict]) -> list[Lot]:
    return Lot.objects.bulk_create(
        Lot(opportunity=opportunity, number=number, duration_months=opportunity.duration_months, **lot)
        for number, lot in enumerate(lots, start=1)
    )


def _criteria(opportunity: Opportunity, criteria=STANDARD_CRITERIA) -> None:
    Criterion.objects.bulk_create(
        Criterion(opportunity=opportunity, kind=kind, name=name, weight=weight) for kind, name, weight in criteria
    )


def _documents(opportunity: Opportunity, documents: list[tuple[str, str]]) -> None:
    slug = opportunity.reference.lower()
    for title, filename in documents:
        document = Document.objects.create(
            opportunity=opportunity, title=title, url=f"{DOCUMENTS_AT}/{slug}/{filename}"
        )
        _backdate(document, opportunity.published_at or opportunity.created_at)


def _interests(context: _Context, opportunity: Opportunity, parts: list[str], first_day: int) -> None:
    """Interest registered by each cast member, a day apart from `first_day` (days from today)."""
    for n, part in enumerate(parts):
        org = context.cast[part]
        interest = Interest.objects.create(
            opportunity=opportunity, organisation=org, registered_by=context.people.get(org.pk)
        )
        _backdate(interest, _at(_days(context, first_day + n), 11, 15 * n % 60))


def _question(context: _Context, opportunity, part: str, asked: int, text: str, answer: str = "", answered=None):
    """A question asked `asked` days from today, answered (by the officer) `answered` days from today if given."""
    org = context.cast[part]
    question = Question.objects.create(
        opportunity=opportunity,
        organisation=org,
        asked_by=context.people.get(org.pk),
        text=text,
        answer=answer,
        answered_by=context.borough.officer if answer else None,
        answered_at=_at(_days(context, answered), 15, 30) if answer else None,
    )
    _backdate(question, _at(_days(context, asked), 9, 40))
    return question


def _bids(opportunity: Opportunity, lot: Lot, bids: list[tuple], context: _Context, feedback_day=None) -> None:
    """Bids on a lot: (part, outcome, score, feedback); feedback sent on `feedback_day` when there is some."""
    sent = _at(feedback_day, 14) if feedback_day else None
    for part, outcome, score, feedback in bids:
        bid = Bid.objects.create(
            lot=lot,
            organisation=context.cast[part],
            outcome=outcome,
            score=Decimal(score) if score is not None else None,
            feedback=feedback,
            feedback_sent_at=sent if feedback else None,
        )
        _backdate(bid, _at(opportunity.tender_deadline - datetime.timedelta(days=1), 16))


def _contract(lot: Lot, supplier, *, awarded_on, start, months: int) -> Contract:
    contract = Contract.objects.create(
        lot=lot,
        supplier=supplier,
        supplier_name=supplier.name,
        value=lot.value,
        awarded_on=awarded_on,
        start=start,
        end=_add_months(start, months) - datetime.timedelta(days=1),
    )
    _backdate(contract, _at(awarded_on, 12))
    return contract


def _invoices(contract: Contract, prefix: str, days: list, amounts: list, today, disputed: int | None = None):
    """Monthly invoices in arrears: one received on the 4th of each month after the contract began, up to last
    month (at most a year, and no more than `days` has), paid after the given days (None: not yet). When the
    contract has had fewer months than `days` has entries, the latest entries are used; `disputed` counts from the
    first entry."""
    months = [_month_start(today, back) for back in range(12, 0, -1) if _month_start(today, back) > contract.start]
    months = months[-len(days) :]
    skipped = len(days) - len(months)
    days, amounts = days[skipped:], amounts[skipped:]
    if disputed is not None:
        disputed -= skipped
    rows = []
    for n, (month, wait, amount) in enumerate(zip(months, days, amounts, strict=True)):
        received = month + datetime.timedelta(days=3)
        undisputed = received + datetime.timedelta(days=DISPUTED_DAYS if n == disputed else 0)
        paid = undisputed + datetime.timedelta(days=wait) if wait is not None else None
        if paid is not None and paid > today:
            paid = None
        rows.append(
            Invoice(
                contract=contract,
                reference=f"{prefix}-{received:%Y%m}",
                amount=Decimal(amount).quantize(Decimal("0.01")),
                received_on=received,
                undisputed_on=undisputed,
                paid_on=paid,
            )
        )
    created = Invoice.objects.bulk_create(rows)
    for invoice in created:  # recorded on the day it came in
        invoice.created_at = invoice.modified_at = _at(invoice.received_on, 12)
    Invoice.objects.bulk_update(created, ["created_at", "modified_at"])


# The opportunities ---------------------------------------------------------------------------------------------------


def _home_care(context: _Context) -> None:
    """Open: £400,000 of home care in three lots, reserved for SMEs and VCSEs; the board's busiest opportunity."""
    opportunity = _opportunity(
        context,
        title="Home care for older people in three areas of Eastmarsh",
        reference=HOME_CARE,
        description=(
            "Home care (help with washing, dressing, meals and medicines at home) for older people, in three lots "
            "by area so that smaller local providers can bid for the area they know. About 1,900 hours a week "
            "across the borough, with calls from 7am to 10pm and waking nights where a care plan needs them.\n\n"
            "Reserved for small and medium-sized enterprises and voluntary, community and social enterprises. "
            "Bid for one lot, two or all three; providers may bid together as a consortium."
        ),
        funding_route=Opportunity.Route.CONTRACT,
        light_touch=True,
        service_type=_service_type(8),
        client_group=ClientGroup.OLDER_PEOPLE,
        area=BOROUGH,
        value=Decimal("400000"),
        duration_months=24,
        procurement_start=_days(context, -14),
        market_engagement=_days(context, -14),
        tender_published=_days(context, -10),
        questions_deadline=_days(context, 21),
        tender_deadline=_days(context, 35),
        award_date=_days(context, 63),
        contract_start=_days(context, 119),
        insurance_required=Decimal("5000000"),
        reserved_sme_vcse=True,
        status=Opportunity.Status.OPEN,
    )
    north, _central, south = _lots(
        opportunity,
        [
            {
                "title": "North: Ashby Fen and Brookholme",
                "description": "About 560 hours a week, including waking nights for people living alone.",
                "value": Decimal("120000"),
                "area": NORTH,
                "client_group": ClientGroup.OLDER_PEOPLE,
            },
            {
                "title": "Central: Eastmarsh Central, Kingsmere and Oldbridge",
                "description": "About 780 hours a week around the town centre and the hospital.",
                "value": Decimal("160000"),
                "area": CENTRAL,
                "client_group": ClientGroup.OLDER_PEOPLE,
            },
            {
                "title": "South: Marsh End, Saltcote and Westwater",
                "description": "About 560 hours a week; Saltcote's villages have few buses, so travel time is paid.",
                "value": Decimal("120000"),
                "area": SOUTH,
                "client_group": ClientGroup.OLDER_PEOPLE,
            },
        ],
    )
    _criteria(opportunity)
    _documents(
        opportunity,
        [
            ("Specification: home care in three areas", "specification.pdf"),
            ("Pricing schedule (one rate per lot)", "pricing-schedule.xlsx"),
        ],
    )
    _interests(context, opportunity, ["north", "south", "central", "marsh_end"], first_day=-9)
    _question(
        context,
        opportunity,
        "north",
        asked=-8,
        text="Will TUPE apply to the care workers of the current provider in the north of the borough?",
        answer=(
            "Yes, it may. The current provider of most packages in Ashby Fen and Brookholme has told us that 14 care "
            "workers could transfer. Their anonymised terms are in the TUPE schedule, added to the documents today."
        ),
        answered=-6,
    )
    _question(
        context,
        opportunity,
        "south",
        asked=-7,
        text="May one organisation bid for all three lots, and is there a limit on the lots one bidder can win?",
        answer=(
            "You may bid for one, two or all three lots. There is no limit on the lots one bidder can win: each lot "
            "is evaluated on its own. Consortia may bid for any lot, led by one member."
        ),
        answered=-5,
    )
    _question(
        context,
        opportunity,
        "central",
        asked=-2,
        text="Is the hourly rate fixed by the council, or do bidders propose their own rate for each lot?",
    )
    _consortium(context, opportunity, north, south)


def _consortium(context: _Context, opportunity: Opportunity, north: Lot, south: Lot) -> None:
    """Two home care providers looking for each other: night care in the north, day care in the south."""
    offering, seeking = context.cast["north"], context.cast["south"]
    first = ConsortiumPost.objects.create(
        opportunity=opportunity,
        organisation=offering,
        offers=(
            "Day care and waking night care across Ashby Fen and Brookholme, with a night team of eight care "
            "workers and our own on-call manager."
        ),
        seeks="A partner who covers the south of the borough by day, to bid for the north and south lots together.",
        area=NORTH,
        posted_by=context.people.get(offering.pk),
    )
    first.lots.set([north, south])
    _backdate(first, _at(_days(context, -6), 10, 5))
    second = ConsortiumPost.objects.create(
        opportunity=opportunity,
        organisation=seeking,
        offers="Home care by day in Marsh End, Saltcote and Westwater, where we have worked for nine years.",
        seeks="A partner who can take on night calls and waking nights in the south.",
        area=SOUTH,
        posted_by=context.people.get(seeking.pk),
    )
    second.lots.set([south])
    _backdate(second, _at(_days(context, -4), 14, 20))
    message = ConsortiumMessage.objects.create(
        post=first,
        organisation=seeking,
        sent_by=context.people.get(seeking.pk),
        text=(
            "We cover the south by day and are looking for night care there: could we talk about bidding for the "
            "south lot together, with you leading the north? Our manager is free most mornings next week."
        ),
    )
    _backdate(message, _at(_days(context, -3), 9, 15))


def _supported_living(context: _Context) -> None:
    """Open: a £1.2m framework above the light touch threshold, not divided into lots (with the reason)."""
    opportunity = _opportunity(
        context,
        title="Supported living framework for adults with a learning disability or autistic adults",
        reference=SUPPORTED_LIVING,
        description=(
            "A four-year framework of supported living providers for adults with a learning disability or autistic "
            "adults, in shared houses and self-contained flats across the borough. Call-offs are made person by "
            "person, by a mini-competition on quality and price."
        ),
        service_type=_service_type(55),
        client_group=ClientGroup.LEARNING_DISABILITY,
        area=BOROUGH,
        value=Decimal("1200000"),
        duration_months=48,
        procurement_start=_days(context, -21),
        market_engagement=_days(context, -21),
        tender_published=_days(context, -14),
        questions_deadline=_days(context, 35),
        tender_deadline=_days(context, 49),
        award_date=_days(context, 84),
        contract_start=_days(context, 140),
        no_lots_reason=(
            "A framework is already open to many providers: each place is called off on its own, so a small "
            "provider can win single packages. Dividing it by area would split the few shared houses the borough "
            "has between lots and leave people with fewer choices."
        ),
        minimum_turnover=Decimal("150000"),
        insurance_required=Decimal("5000000"),
        status=Opportunity.Status.OPEN,
    )
    _lots(
        opportunity,
        [
            {
                "title": "Supported living across the borough",
                "description": "About 40 people a year, most needing between 20 and 60 hours of support a week.",
                "value": Decimal("1200000"),
                "area": BOROUGH,
                "client_group": ClientGroup.LEARNING_DISABILITY,
            }
        ],
    )
    _criteria(
        opportunity,
        [
            (Criterion.Kind.QUALITY, "Quality: positive behaviour support and people's choice and control", 70),
            (Criterion.Kind.PRICE, "Price: hourly rates for shared and one-to-one support", 20),
            (Criterion.Kind.SOCIAL_VALUE, "Social value: employing people with lived experience", 10),
        ],
    )
    _documents(opportunity, [("Framework specification and call-off terms", "framework-specification.pdf")])
    _interests(context, opportunity, ["supported_1", "supported_2"], first_day=-12)


def _carers_grant(context: _Context) -> None:
    """Open: a £45,000 grant for carers' support."""
    opportunity = _opportunity(
        context,
        title="Carers' support grant: short breaks and peer support",
        reference=CARERS_GRANT,
        description=(
            "A one-year grant for a voluntary or community organisation, or a provider working with one, to run "
            "peer support groups for unpaid carers and to arrange short breaks at weekends, which carers told us "
            "they most want and can least find."
        ),
        funding_route=Opportunity.Route.GRANT,
        service_type=_service_type(13),
        client_group=ClientGroup.CARERS,
        area=BOROUGH,
        value=Decimal("45000"),
        duration_months=12,
        procurement_start=_days(context, -7),
        tender_published=_days(context, -5),
        questions_deadline=_days(context, 14),
        tender_deadline=_days(context, 28),
        award_date=_days(context, 49),
        contract_start=_days(context, 70),
        reserved_sme_vcse=True,
        status=Opportunity.Status.OPEN,
    )
    _lots(
        opportunity,
        [
            {
                "title": "Carers' support across the borough",
                "value": Decimal("45000"),
                "area": BOROUGH,
                "client_group": ClientGroup.CARERS,
            }
        ],
    )
    _criteria(
        opportunity,
        [
            (Criterion.Kind.QUALITY, "How well the plan meets carers' needs", 70),
            (Criterion.Kind.PRICE, "Value for money", 20),
            (Criterion.Kind.SOCIAL_VALUE, "Volunteering and local partnerships", 10),
        ],
    )
    _documents(opportunity, [("Grant guidance and application form", "grant-guidance.pdf")])
    _interests(context, opportunity, ["featured", "trust_1"], first_day=-4)
    _question(
        context,
        opportunity,
        "featured",
        asked=-3,
        text="Can the grant pay for short breaks in a care home, or only for breaks in the community?",
        answer=(
            "Both. Short stays in a care home count as short breaks, as do sitting services at home and days out. "
            "Tell us in your plan how carers will book them and how you will keep the cost of a night down."
        ),
        answered=-1,
    )


def _day_opportunities(context: _Context) -> None:
    """A draft for the officer to finish: no tender deadline yet and criteria adding up to 90%."""
    opportunity = _opportunity(
        context,
        title="Day opportunities for autistic adults",
        reference=DAY_OPPORTUNITIES,
        description=(
            "Day opportunities for young autistic adults leaving college: activities, work experience and "
            "friendships in the community. Draft: the lots and dates are still to be decided."
        ),
        service_type=_service_type(6),
        client_group=ClientGroup.LEARNING_DISABILITY,
        area=BOROUGH,
        value=Decimal("250000"),
        duration_months=36,
        procurement_start=_days(context, 14),
        market_engagement=_days(context, 14),
        status=Opportunity.Status.DRAFT,
    )
    _lots(
        opportunity,
        [
            {
                "title": "Day opportunities across the borough",
                "value": Decimal("250000"),
                "area": BOROUGH,
                "client_group": ClientGroup.LEARNING_DISABILITY,
            }
        ],
    )
    _criteria(opportunity, STANDARD_CRITERIA[:2])


def _mental_health(context: _Context) -> None:
    """Closed: the tender deadline has passed and the bids wait for the award."""
    opportunity = _opportunity(
        context,
        title="Community support for adults with mental health needs",
        reference=MENTAL_HEALTH,
        description=(
            "Floating support for adults with mental health needs living in their own homes, and a drop-in and "
            "peer support service in the town centre, in two lots."
        ),
        service_type=_service_type(62),
        client_group=ClientGroup.MENTAL_HEALTH,
        area=BOROUGH,
        value=Decimal("520000"),
        duration_months=36,
        procurement_start=_days(context, -70),
        market_engagement=_days(context, -70),
        tender_published=_days(context, -60),
        questions_deadline=_days(context, -26),
        tender_deadline=_days(context, -12),
        award_date=_days(context, 10),
        contract_start=_days(context, 60),
        reserved_sme_vcse=True,
        status=Opportunity.Status.CLOSED,
    )
    floating, drop_in = _lots(
        opportunity,
        [
            {
                "title": "Floating support",
                "description": "Up to 60 people at a time, visited at home.",
                "value": Decimal("360000"),
                "area": BOROUGH,
                "client_group": ClientGroup.MENTAL_HEALTH,
            },
            {
                "title": "Drop-in and peer support in Eastmarsh Central",
                "value": Decimal("160000"),
                "area": "Eastmarsh Central",
                "client_group": ClientGroup.MENTAL_HEALTH,
            },
        ],
    )
    _criteria(opportunity)
    _documents(opportunity, [("Specification: community mental health support", "specification.pdf")])
    _interests(context, opportunity, ["trust_1", "trust_2", "trust_3", "supported_1"], first_day=-58)
    pending = Bid.Outcome.PENDING
    _bids(opportunity, floating, [(p, pending, None, "") for p in ("trust_1", "trust_2", "supported_1")], context)
    _bids(opportunity, drop_in, [(p, pending, None, "") for p in ("trust_3", "trust_1")], context)


def _short_stay_beds(context: _Context) -> None:
    """Awarded about fourteen months ago: two lots, bids with feedback, a contract per lot and a year of invoices."""
    opportunity = _opportunity(
        context,
        title="Short-stay care home beds for people leaving hospital",
        reference=SHORT_STAY_BEDS,
        description=(
            "Block-booked short-stay beds so that people well enough to leave hospital but not yet ready to go "
            "home can recover in a care home for up to six weeks: six residential beds and six nursing beds."
        ),
        service_type=_service_type(2),
        client_group=ClientGroup.OLDER_PEOPLE,
        area=BOROUGH,
        value=Decimal("1404000"),
        duration_months=24,
        procurement_start=_days(context, -535),
        market_engagement=_days(context, -535),
        tender_published=_days(context, -520),
        questions_deadline=_days(context, -485),
        tender_deadline=_days(context, -470),
        award_date=_days(context, -440),
        contract_start=_month_start(context.today, 13),
        status=Opportunity.Status.AWARDED,
    )
    residential, nursing = _lots(
        opportunity,
        [
            {
                "title": "Six short-stay residential beds",
                "value": Decimal("624000"),
                "area": BOROUGH,
                "client_group": ClientGroup.OLDER_PEOPLE,
            },
            {
                "title": "Six short-stay nursing beds",
                "value": Decimal("780000"),
                "area": BOROUGH,
                "client_group": ClientGroup.OLDER_PEOPLE,
            },
        ],
    )
    _criteria(opportunity)
    _documents(opportunity, [("Specification: short-stay beds", "specification.pdf")])
    _interests(context, opportunity, ["featured", "care_home_2", "care_home_3", "nursing", "nursing_2"], first_day=-518)
    awarded_on = opportunity.award_date
    feedback_day = awarded_on + datetime.timedelta(days=1)
    won, lost = Bid.Outcome.SUCCESSFUL, Bid.Outcome.UNSUCCESSFUL
    _bids(
        opportunity,
        residential,
        [
            (
                "featured",
                won,
                "82.40",
                "Your bid scored highest on quality: a clear plan for therapy in the home and for getting people "
                "home within six weeks. Your price was the second lowest.",
            ),
            (
                "care_home_2",
                lost,
                "74.10",
                "Your bid was strong on the home's environment, but said little about how you would work with the "
                "hospital discharge team, which cost marks on quality (31 of 42). Your price was the lowest.",
            ),
            (
                "care_home_3",
                lost,
                "69.75",
                "Your answer on staffing at weekends did not say how admissions would be accepted on Saturdays and "
                "Sundays (quality 28 of 42). Your social value commitments scored full marks.",
            ),
        ],
        context,
        feedback_day,
    )
    _bids(
        opportunity,
        nursing,
        [
            (
                "nursing",
                won,
                "85.20",
                "Your bid scored highest on quality and social value: nursing cover was set out hour by hour, and "
                "your apprenticeships for local people scored full marks.",
            ),
            (
                "nursing_2",
                lost,
                "71.30",
                "Your price was competitive, but the bid did not show how you would keep the beds free for "
                "hospital discharges rather than long-term placements (quality 30 of 42).",
            ),
        ],
        context,
        feedback_day,
    )
    start = opportunity.contract_start
    first = _contract(residential, context.cast["featured"], awarded_on=awarded_on, start=start, months=24)
    second = _contract(nursing, context.cast["nursing"], awarded_on=awarded_on, start=start, months=24)
    _invoices(first, "WCH", RESIDENTIAL_DAYS, RESIDENTIAL_AMOUNTS, context.today)
    _invoices(second, "ONH", NURSING_DAYS, NURSING_AMOUNTS, context.today, disputed=NURSING_DISPUTED)


def _home_first(context: _Context) -> None:
    """Awarded in the summer: a procurement started after 1 April 2026, so its payments over £30,000 are listed."""
    opportunity = _opportunity(
        context,
        title="Home first: reablement home care for people leaving hospital",
        reference=HOME_FIRST,
        description=(
            "Reablement at home for up to six weeks after a hospital stay, starting within 24 hours of the "
            "referral, with the hospital discharge team and the council's occupational therapists."
        ),
        service_type=_service_type(8),
        client_group=ClientGroup.ALL_ADULTS,
        area=BOROUGH,
        value=Decimal("780000"),
        duration_months=24,
        procurement_start=_days(context, -230),
        market_engagement=_days(context, -230),
        tender_published=_days(context, -225),
        questions_deadline=_days(context, -200),
        tender_deadline=_days(context, -185),
        award_date=_days(context, -165),
        contract_start=_days(context, -151),
        no_lots_reason=(
            "One service across the borough, so that people leaving hospital get the same response wherever they "
            "live: the provider works with the hospital discharge team as one team, seven days a week."
        ),
        status=Opportunity.Status.AWARDED,
    )
    [lot] = _lots(
        opportunity,
        [
            {
                "title": "Reablement across the borough",
                "value": Decimal("780000"),
                "area": BOROUGH,
                "client_group": ClientGroup.ALL_ADULTS,
            }
        ],
    )
    _criteria(opportunity)
    _documents(opportunity, [("Specification: home first reablement", "specification.pdf")])
    _interests(context, opportunity, ["marsh_end", "central", "south"], first_day=-224)
    feedback_day = opportunity.award_date + datetime.timedelta(days=2)
    _bids(
        opportunity,
        lot,
        [
            (
                "marsh_end",
                Bid.Outcome.SUCCESSFUL,
                "80.60",
                "Your bid scored highest on quality: a credible plan to start within 24 hours, seven days a week.",
            ),
            (
                "central",
                Bid.Outcome.UNSUCCESSFUL,
                "76.90",
                "A close second. Your plan relied on recruiting 12 reablement workers before the start, without "
                "saying how, which cost marks on quality (33 of 42). Your price was the lowest.",
            ),
            (
                "south",
                Bid.Outcome.UNSUCCESSFUL,
                "70.15",
                "Your bid covered the south of the borough well but not the north and centre, which the service "
                "must reach within 24 hours (quality 29 of 42).",
            ),
        ],
        context,
        feedback_day,
    )
    contract = _contract(
        lot, context.cast["marsh_end"], awarded_on=opportunity.award_date, start=opportunity.contract_start, months=24
    )
    _invoices(contract, "WHC", HOME_FIRST_DAYS, HOME_FIRST_AMOUNTS, context.today)
