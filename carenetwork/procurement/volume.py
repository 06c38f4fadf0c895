"""The opportunities board at benchmark volume: 500 opportunities at council volume (about 60 open, most of the rest
closed or awarded over the last four years), 5,000 clarification questions (most answered), interests, consortium
posts and messages, bids with their outcome, and about 200 contracts with a year of monthly invoices each.

Synthetic opportunities have references "BENCH-00001" onwards and carry ``OPPORTUNITY_MARKER`` at the start of their
description; only the synthetic organisations (`organisations.volume.synthetic_organisations`) take part in them.
Like the other capabilities' volumes, generation *tops up*: it creates the shortfall of opportunities (with their
lots, criteria, documents, interests, posts, bids, contracts and invoices, the awarded ones enough for the contracts
asked for) and then of questions, so a second call creates nothing and a larger volume adds the difference. The
random numbers are seeded from what already exists, so the same calls give the same data. Rows are written with
`bulk_create` in batches, bypassing the services on purpose: this is benchmark data, not procurements anyone ran.

A board belongs to one council (or a region's councils together): the national volume carries a region's board.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from carenetwork.core.bulk import bulk_load
from carenetwork.organisations.models import Membership, Organisation, Role, ServiceType
from carenetwork.organisations.volume import AREAS, synthetic_organisations
from carenetwork.procurement import rules
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

OPPORTUNITY_MARKER = "[Synthetic benchmark opportunity]"
REFERENCE_PREFIX = "BENCH-"
SEED = 20261204
BATCH = 2000
PROCUREMENT_VOLUMES = {
    "council": {"opportunities": 500, "open": 60, "questions": 5_000, "contracts": 200},
    "region": {"opportunities": 5_000, "open": 600, "questions": 50_000, "contracts": 2_000},
}
PROCUREMENT_VOLUMES["national"] = PROCUREMENT_VOLUMES["region"]

Status = Opportunity.Status
DRAFT_SHARE, CANCELLED_SHARE = 0.02, 0.04  # of the opportunities neither open nor awarded
GRANT_SHARE = 0.1
LOTS_MIX = [(1, 60), (2, 25), (3, 15)]
OPEN_ANSWERED_SHARE = 0.7  # questions on open opportunities already answered; every other one is
ANSWER_DELAY = datetime.timedelta(days=2, hours=3)  # from asking to the answer
DISPUTED_SHARE = 0.05
# (ASC-WDS service code, client group, title)
SERVICES = [
    (8, ClientGroup.OLDER_PEOPLE, "Home care for older people"),
    (73, ClientGroup.OLDER_PEOPLE, "Live-in care"),
    (55, ClientGroup.LEARNING_DISABILITY, "Supported living"),
    (61, ClientGroup.LEARNING_DISABILITY, "Community support for adults with a learning disability"),
    (6, ClientGroup.LEARNING_DISABILITY, "Day opportunities"),
    (13, ClientGroup.CARERS, "Carers' support"),
    (14, ClientGroup.CARERS, "Short breaks for carers"),
    (62, ClientGroup.MENTAL_HEALTH, "Community mental health support"),
    (2, ClientGroup.OLDER_PEOPLE, "Care home beds"),
    (1, ClientGroup.OLDER_PEOPLE, "Nursing home beds"),
    (20, ClientGroup.ALL_ADULTS, "Information and advice"),
    (18, ClientGroup.PHYSICAL_DISABILITY, "Equipment and assistive technology"),
]
WEIGHTS = [(60, 30, 10), (70, 20, 10), (50, 40, 10), (60, 25, 15)]
DOCUMENTS = ["Specification", "Pricing schedule", "Contract terms", "TUPE information"]
QUESTIONS = [
    "Will TUPE apply to the staff of the current provider?",
    "May one organisation bid for more than one lot?",
    "Is the hourly rate fixed, or do bidders propose their own?",
    "Can a consortium bid, and must one member lead it?",
    "How many people use the service now, and how many hours a week?",
    "Is travel time between visits paid separately?",
    "What insurance cover must a bidder hold at the start of the contract?",
    "Will the council pay for the training the specification asks for?",
    "Are the evaluation questions' word limits per question or in total?",
    "Can the contract start later if staff have to be recruited?",
]
ANSWERS = [
    "Yes. The anonymised staff list is in the TUPE information document.",
    "Yes: each lot is evaluated on its own and there is no limit on lots won.",
    "Bidders propose their own rate; the price criterion compares them.",
    "Yes. One member leads and signs the contract; the others are named as sub-contractors.",
    "About 120 people and 1,400 hours a week; the figures by area are in the specification.",
    "Travel time is paid within the hourly rate; mileage is paid separately at 45p a mile.",
    "Public liability of £5 million and employer's liability of £10 million, from the start.",
    "The council offers places on its training programme at no cost.",
    "Per question, as shown on each question.",
    "The start date is fixed, but the service may be phased in over the first month.",
]
FEEDBACK = [
    "Your bid scored well on quality; the winning bid's price was lower.",
    "Your answer on staffing at weekends did not say how new referrals would be accepted.",
    "Your social value commitments scored full marks; your quality answers lacked detail on risk.",
    "A close second: the winning bid had a stronger plan for recruiting staff before the start.",
]


def synthetic_opportunities():
    """The synthetic opportunities, oldest first."""
    return Opportunity.objects.filter(reference__startswith=REFERENCE_PREFIX).order_by("pk")


def procurement_counts() -> dict:
    """How much the board holds (every opportunity, the demo's and imported ones too)."""
    today = timezone.localdate()
    return {
        "opportunities": Opportunity.objects.count(),
        "open opportunities": Opportunity.objects.filter(status=Status.OPEN, tender_deadline__gte=today).count(),
        "clarification questions": Question.objects.count(),
        "opportunity interests": Interest.objects.count(),
        "consortium posts": ConsortiumPost.objects.count(),
        "contracts": Contract.objects.count(),
        "invoices": Invoice.objects.count(),
    }


def procurement_volume_ensure(volume: str, stdout=None) -> dict:
    """Top up the synthetic board to the volume's figures."""
    result = generate_procurement_volume(**PROCUREMENT_VOLUMES[volume], stdout=stdout)
    _say(stdout, f"Procurement volume ready in {result['seconds']:.1f} s: {procurement_counts()}")
    return result


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _have(today) -> dict:
    synthetic = synthetic_opportunities()
    return {
        "opportunities": synthetic.count(),
        "open": synthetic.filter(status=Status.OPEN, tender_deadline__gte=today).count(),
        "questions": Question.objects.filter(opportunity__in=synthetic).count(),
        "contracts": Contract.objects.filter(lot__opportunity__in=synthetic).count(),
    }


def generate_procurement_volume(
    *, opportunities: int, open: int, questions: int, contracts: int, stdout=None, today=None
) -> dict:
    """Top up the synthetic opportunities (`open` of them open, the awarded ones with about `contracts` contracts)
    and their questions to the numbers given."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    created = {"opportunities": 0, "questions": 0, "contracts": 0, "invoices": 0}
    with bulk_load():
        organisations = dict(
            synthetic_organisations().filter(kind=Organisation.Kind.PROVIDER, is_active=True).values_list("pk", "name")
        )
        if not organisations:
            _say(stdout, "No synthetic organisations: no synthetic opportunities made")
            return {**_have(today), "created": created, "seconds": round(time.perf_counter() - started, 2)}
        have = _have(today)
        rng = random.Random(f"{SEED}-{have['opportunities']}-{have['questions']}-{have['contracts']}")
        world = _World(
            today=today,
            now=timezone.now(),
            rng=rng,
            organisations=organisations,
            people=_people(),
            officer_id=_officer_id(),
            service_types=dict(ServiceType.objects.values_list("ascwds_code", "pk")),
        )
        short = opportunities - have["opportunities"]
        if short > 0:
            plans = _plan(world, short, open - have["open"], contracts - have["contracts"], have["opportunities"])
            created.update(_write(world, plans))
            created["opportunities"] = len(plans)
            _say(stdout, f"Created {len(plans)} synthetic opportunities, {created['contracts']} contracts")
        if questions > have["questions"]:
            created["questions"] = _top_up_questions(world, questions - have["questions"])
            _say(stdout, f"Created {created['questions']} synthetic clarification questions")
        if any(created.values()):
            _backdate()
    return {**_have(today), "created": created, "seconds": round(time.perf_counter() - started, 2)}


@dataclass
class _World:
    today: datetime.date
    now: datetime.datetime
    rng: random.Random
    organisations: dict
    people: dict
    officer_id: int | None
    service_types: dict


@dataclass
class _Plan:
    """An opportunity to write, with the parts that need its id and its lots' ids."""

    opportunity: Opportunity
    lots: list[Lot]
    interested: list[int] = field(default_factory=list)
    bidders: list[list[int]] = field(default_factory=list)  # per lot, the winner first when awarded


def _people() -> dict:
    """A person who acts for each synthetic organisation (its admin, else a member), by organisation id."""
    people = {}
    rows = (
        Membership.objects.active()
        .filter(organisation__in=synthetic_organisations(), role__in=[Role.ADMIN, Role.MEMBER])
        .order_by("organisation_id", "role", "pk")
        .values_list("organisation_id", "user_id")
    )
    for organisation_id, user_id in rows:
        people.setdefault(organisation_id, user_id)
    return people


def _officer_id() -> int | None:
    """The council officer who publishes and answers: the benchmark's officer if made, else any council officer."""
    staff = Membership.objects.active().filter(
        organisation__kind=Organisation.Kind.COUNCIL, role__in=[Role.OFFICER, Role.ADMINISTRATOR]
    )
    bench = staff.filter(user__email="bench.lead@example.org").values_list("user_id", flat=True).first()
    return bench or staff.order_by("pk").values_list("user_id", flat=True).first()


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _days(day: datetime.date, n: int) -> datetime.date:
    return day + datetime.timedelta(days=n)


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _weighted(rng: random.Random, mix):
    values, weights = zip(*mix, strict=True)
    return rng.choices(values, weights=weights)[0]


# Planning: statuses, dates and values -------------------------------------------------------------------------------


def _statuses(world: _World, count: int, open_short: int, contracts_short: int) -> list[tuple[str, int]]:
    """(status, lots) for each new opportunity: the open ones asked for, awarded ones until their lots reach the
    contracts asked for, a few drafts and cancelled, the rest closed."""
    rng = world.rng
    open_n = min(max(open_short, 0), count)
    rest = count - open_n
    drafts, cancelled = round(rest * DRAFT_SHARE), round(rest * CANCELLED_SHARE)
    statuses = [(Status.OPEN, _weighted(rng, LOTS_MIX)) for _ in range(open_n)]
    statuses += [(Status.DRAFT, 1) for _ in range(drafts)]
    statuses += [(Status.CANCELLED, _weighted(rng, LOTS_MIX)) for _ in range(cancelled)]
    slots, lots = rest - drafts - cancelled, 0
    while slots and lots < contracts_short:
        n = _weighted(rng, LOTS_MIX)
        statuses.append((Status.AWARDED, n))
        lots, slots = lots + n, slots - 1
    statuses += [(Status.CLOSED, _weighted(rng, LOTS_MIX)) for _ in range(slots)]
    rng.shuffle(statuses)
    return statuses


def _dates(world: _World, status: str) -> dict:
    """Key dates that fit the status, relative to today."""
    rng, today = world.rng, world.today
    if status == Status.DRAFT:
        start = _days(today, rng.randint(7, 60))
        return {"procurement_start": start, "market_engagement": start}
    if status == Status.OPEN:
        published = _days(today, -rng.randint(1, 40))
        deadline = _days(today, rng.randint(7, 60))
        award = _days(deadline, rng.randint(20, 60))
    elif status == Status.AWARDED:
        award = _days(today, -rng.randint(330, 1200))
        deadline = _days(award, -rng.randint(20, 60))
        published = _days(deadline, -rng.randint(21, 60))
    else:  # closed (some awaiting award, most long past) or cancelled
        deadline = _days(today, -rng.randint(1, 1400))
        published = _days(deadline, -rng.randint(21, 60))
        award = _days(deadline, rng.randint(20, 60))
    questions = max(_days(deadline, -rng.randint(7, 14)), published)
    start = _days(published, -rng.randint(0, 30))
    return {
        "procurement_start": start,
        "market_engagement": start if rng.random() < 0.5 else None,
        "tender_published": published,
        "questions_deadline": questions,
        "tender_deadline": deadline,
        "award_date": award,
        "contract_start": _days(award, rng.randint(14, 60)),
        "published_at": _at(published, 9),
    }


def _plan(world: _World, count: int, open_short: int, contracts_short: int, numbered: int) -> list[_Plan]:
    rng = world.rng
    plans = []
    for n, (status, lot_count) in enumerate(_statuses(world, count, open_short, contracts_short), start=numbered + 1):
        code, client_group, service = rng.choice(SERVICES)
        grant = rng.random() < GRANT_SHARE
        months = rng.choice([12, 12, 24, 24, 36, 36, 48, 60]) if not grant else 12
        value = Decimal(rng.choice([18, 25, 45, 60, 90, 150, 250, 400, 520, 800, 1200, 2400, 6000]) * 1000)
        area = rng.choice(AREAS) if lot_count == 1 else "Across Eastmarsh"
        dates = _dates(world, status)
        opportunity = Opportunity(
            title=f"{service} in {area}" if lot_count == 1 else f"{service} in {lot_count} areas",
            reference=f"{REFERENCE_PREFIX}{n:05d}",
            description=f"{OPPORTUNITY_MARKER} {service} for the borough's residents, in {lot_count} lot(s).",
            funding_route=Opportunity.Route.GRANT if grant else Opportunity.Route.CONTRACT,
            service_type_id=world.service_types.get(code),
            client_group=client_group,
            area=area,
            value=value,
            duration_months=months,
            no_lots_reason="A single service across the borough." if lot_count == 1 and value > 250_000 else "",
            insurance_required=Decimal("5000000") if value > 100_000 else None,
            reserved_sme_vcse=value < rules.thresholds_on(world.today).light_touch and rng.random() < 0.4,
            status=status,
            created_by_id=world.officer_id,
            **dates,
        )
        share = (value / lot_count).quantize(Decimal("0.01"))
        areas = rng.sample(AREAS, lot_count) if lot_count > 1 else [area]
        lots = [
            Lot(
                number=number,
                title=f"{service}: {lot_area}",
                value=share,
                duration_months=months,
                area=lot_area,
                client_group=client_group,
            )
            for number, lot_area in enumerate(areas, start=1)
        ]
        plans.append(_Plan(opportunity=opportunity, lots=lots))
    return plans


# Writing ------------------------------------------------------------------------------------------------------------


def _write(world: _World, plans: list[_Plan]) -> dict:
    rng = world.rng
    Opportunity.objects.bulk_create([p.opportunity for p in plans], batch_size=BATCH)
    for plan in plans:
        for lot in plan.lots:
            lot.opportunity = plan.opportunity
    Lot.objects.bulk_create([lot for p in plans for lot in p.lots], batch_size=BATCH)
    criteria, documents = [], []
    for plan in plans:
        opportunity = plan.opportunity
        for (kind, name), weight in zip(
            [
                (Criterion.Kind.QUALITY, "Quality"),
                (Criterion.Kind.PRICE, "Price"),
                (Criterion.Kind.SOCIAL_VALUE, "Social value"),
            ],
            rng.choice(WEIGHTS),
            strict=True,
        ):
            criteria.append(Criterion(opportunity=opportunity, kind=kind, name=name, weight=weight))
        if opportunity.status != Status.DRAFT:
            for title in rng.sample(DOCUMENTS, rng.randint(1, 3)):
                slug = title.lower().replace(" ", "-")
                url = f"https://example.org/bench/{opportunity.reference.lower()}/{slug}.pdf"
                documents.append(Document(opportunity=opportunity, title=title, url=url))
    Criterion.objects.bulk_create(criteria, batch_size=BATCH)
    Document.objects.bulk_create(documents, batch_size=BATCH)
    _interests(world, plans)
    _consortium(world, plans)
    _bids(world, plans)
    contracts = _contracts(world, plans)
    invoices = _invoices(world, contracts)
    return {"contracts": len(contracts), "invoices": invoices}


def _interests(world: _World, plans: list[_Plan]) -> None:
    rng, org_ids = world.rng, list(world.organisations)
    rows = []
    for plan in plans:
        if plan.opportunity.status == Status.DRAFT:
            continue
        plan.interested = rng.sample(org_ids, min(len(org_ids), rng.randint(2, 14)))
        rows += [
            Interest(opportunity=plan.opportunity, organisation_id=org, registered_by_id=world.people.get(org))
            for org in plan.interested
        ]
    Interest.objects.bulk_create(rows, batch_size=BATCH)


def _consortium(world: _World, plans: list[_Plan]) -> None:
    """Posts on most open opportunities (and on some past ones, from while they were open); messages on some."""
    rng = world.rng
    posts, lots_of = [], []
    for plan in plans:
        status = plan.opportunity.status
        if status == Status.DRAFT or len(plan.interested) < 2:
            continue
        count = rng.choice([0, 1, 1, 2, 3, 4]) if status == Status.OPEN else int(rng.random() < 0.2)
        for org in plan.interested[:count]:
            area = rng.choice(AREAS)
            posts.append(
                ConsortiumPost(
                    opportunity=plan.opportunity,
                    organisation_id=org,
                    offers=f"Care and support in {area}, by day and at night.",
                    seeks=f"A partner who covers {rng.choice(AREAS)} for the lots we cannot reach alone.",
                    area=area,
                    posted_by_id=world.people.get(org),
                    is_active=rng.random() > 0.1,
                )
            )
            lots_of.append((plan, rng.sample(plan.lots, rng.randint(1, len(plan.lots)))))
    ConsortiumPost.objects.bulk_create(posts, batch_size=BATCH)
    through = ConsortiumPost.lots.through
    through.objects.bulk_create(
        [
            through(consortiumpost_id=post.pk, lot_id=lot.pk)
            for post, (_, lots) in zip(posts, lots_of, strict=True)
            for lot in lots
        ],
        batch_size=BATCH,
    )
    messages = []
    for post, (plan, _lots) in zip(posts, lots_of, strict=True):
        senders = [org for org in plan.interested if org != post.organisation_id]
        if senders and rng.random() < 0.4:
            sender = rng.choice(senders)
            messages.append(
                ConsortiumMessage(
                    post=post,
                    organisation_id=sender,
                    sent_by_id=world.people.get(sender),
                    text="We could cover the areas you are looking for: shall we talk about bidding together?",
                )
            )
    ConsortiumMessage.objects.bulk_create(messages, batch_size=BATCH)


def _bids(world: _World, plans: list[_Plan]) -> None:
    """Bids on the lots of closed and awarded opportunities, from the interested organisations; an awarded lot's
    first bidder won, and every bidder of an awarded lot was sent feedback."""
    rng = world.rng
    rows = []
    for plan in plans:
        opportunity = plan.opportunity
        if opportunity.status not in (Status.CLOSED, Status.AWARDED) or not plan.interested:
            continue
        awarded = opportunity.status == Status.AWARDED
        sent = _at(_days(opportunity.award_date, 1), 14) if awarded else None
        for lot in plan.lots:
            bidders = rng.sample(plan.interested, min(len(plan.interested), rng.randint(1, 5)))
            plan.bidders.append(bidders)
            scores = sorted((rng.randint(5000, 9200) for _ in bidders), reverse=True)
            for n, (org, score) in enumerate(zip(bidders, scores, strict=True)):
                if not awarded:
                    rows.append(Bid(lot=lot, organisation_id=org))
                    continue
                rows.append(
                    Bid(
                        lot=lot,
                        organisation_id=org,
                        outcome=Bid.Outcome.SUCCESSFUL if n == 0 else Bid.Outcome.UNSUCCESSFUL,
                        score=Decimal(score) / 100,
                        feedback="Your bid scored highest on quality and price." if n == 0 else rng.choice(FEEDBACK),
                        feedback_sent_at=sent,
                    )
                )
    Bid.objects.bulk_create(rows, batch_size=BATCH)


def _contracts(world: _World, plans: list[_Plan]) -> list[Contract]:
    rows = []
    for plan in plans:
        opportunity = plan.opportunity
        if opportunity.status != Status.AWARDED:
            continue
        for lot, bidders in zip(plan.lots, plan.bidders, strict=True):
            start = opportunity.contract_start
            rows.append(
                Contract(
                    lot=lot,
                    supplier_id=bidders[0],
                    supplier_name=world.organisations[bidders[0]],
                    value=lot.value,
                    awarded_on=opportunity.award_date,
                    start=start,
                    end=_month_start(start, -opportunity.duration_months) - datetime.timedelta(days=1),
                )
            )
    return Contract.objects.bulk_create(rows, batch_size=BATCH)


def _invoices(world: _World, contracts: list[Contract]) -> int:
    """Monthly invoices in arrears for the last year of each contract up to last month: most paid within 30 days,
    some later, a few disputed first; the latest unpaid now and then."""
    rng, today = world.rng, world.today
    rows = []
    this_month = _month_start(today)
    for contract in contracts:
        months = []
        month, last = _month_start(contract.start, -1), _month_start(contract.end, -1)  # the last one after the end
        while month < this_month and month <= last:
            months.append(month)
            month = _month_start(month, -1)
        monthly = contract.value / max(1, contract.lot.duration_months or 12)
        for month in months[-12:]:
            received = _days(month, rng.randint(1, 9))
            if received > today:
                continue
            disputed = rng.random() < DISPUTED_SHARE
            undisputed = _days(received, rng.randint(3, 20)) if disputed else received
            wait = _weighted(rng, [(rng.randint(5, 30), 75), (rng.randint(31, 60), 19), (rng.randint(61, 95), 6)])
            paid = _days(undisputed, wait)
            rows.append(
                Invoice(
                    contract=contract,
                    reference=f"INV-{contract.pk}-{received:%Y%m}",
                    amount=(monthly * Decimal(rng.randint(85, 110)) / 100).quantize(Decimal("0.01")),
                    received_on=received,
                    undisputed_on=undisputed,
                    paid_on=paid if paid <= today else None,
                )
            )
    Invoice.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _top_up_questions(world: _World, count: int) -> int:
    """`count` questions on the synthetic published opportunities, some having many: asked between publication
    and the questions deadline by an interested organisation, answered two days later (on open opportunities,
    most of them so far)."""
    rng, now = world.rng, world.now
    targets = list(
        synthetic_opportunities()
        .exclude(status=Status.DRAFT)
        .values_list("pk", "status", "tender_published", "questions_deadline")
    )
    if not targets:
        return 0
    interested = {}
    for opportunity_id, org in Interest.objects.filter(opportunity__in=synthetic_opportunities()).values_list(
        "opportunity_id", "organisation_id"
    ):
        interested.setdefault(opportunity_id, []).append(org)
    org_ids = list(world.organisations)
    weights = [rng.paretovariate(1.5) for _ in targets]
    rows = []
    for pk, status, published, deadline in rng.choices(targets, weights=weights, k=count):
        last = min(deadline or world.today, world.today)
        asked = _at(_days(published, rng.randint(0, max(0, (last - published).days))), rng.randint(8, 17))
        if status == Status.OPEN:
            answered = asked + ANSWER_DELAY if rng.random() < OPEN_ANSWERED_SHARE else None
            answered = answered if answered and answered < now else None
        else:
            asked = min(asked, now - ANSWER_DELAY - datetime.timedelta(hours=1))
            answered = asked + ANSWER_DELAY
        org = rng.choice(interested.get(pk) or org_ids)
        n = rng.randrange(len(QUESTIONS))
        rows.append(
            Question(
                opportunity_id=pk,
                organisation_id=org,
                asked_by_id=world.people.get(org),
                text=QUESTIONS[n],
                answer=ANSWERS[n] if answered else "",
                answered_by_id=world.officer_id if answered else None,
                answered_at=answered,
            )
        )
    Question.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _backdate() -> None:
    """When the synthetic rows were made, as the services would have left it (`created_at` is set on saving, so it
    is changed afterwards, in one UPDATE per table): interests, posts and messages when the opportunity was
    published, answered questions when they were asked. Unanswered questions, on open opportunities, keep today."""
    synthetic = synthetic_opportunities()
    published = Subquery(Opportunity.objects.filter(pk=OuterRef("opportunity_id")).values("published_at")[:1])
    for model in (Interest, ConsortiumPost):
        model.objects.filter(opportunity__in=synthetic, opportunity__published_at__isnull=False).update(
            created_at=published
        )
    posted = Subquery(ConsortiumPost.objects.filter(pk=OuterRef("post_id")).values("created_at")[:1])
    ConsortiumMessage.objects.filter(post__opportunity__in=synthetic).update(created_at=posted)
    Question.objects.filter(opportunity__in=synthetic, answered_at__isnull=False).update(
        created_at=F("answered_at") - ANSWER_DELAY
    )
