"""The training brokerage in the demo borough: a live programme, with a year of history behind it.

- Thirteen approved courses from the five demo training providers, covering the main ASC-WDS categories, and two
  of Eastmarsh Care Academy's waiting for the council: one newly proposed, one returned with comments.
- Runs taking interest from several providers (Willow Care Home on one, where one more place lowers the price;
  not on another), one with a tiered schedule, one offered to partners now, one confirmed with Willow's delegates
  named, and a few further ahead with little interest yet.
- A year of past runs: confirmed ones with bookings, delegates, attendance (which writes the delegates' training
  records), invoices and evaluations; some rescued by partners; some cancelled for want of places. The most recent
  one is waiting for its training provider to record attendance.
- Demand survey answers from fifteen providers.

Every step goes through the services, each performed at the moment it would have happened (`time_machine`), so
the rules, the kept figures and the audit trail are exactly what real use would leave: interest before the deadline,
the decision at the deadline, partners' places before the partner deadline, attendance after the course, ratings
after that. Dates are relative to today. Idempotent: nothing is added once the demo training providers have courses.
"""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

import time_machine
from django.utils import timezone

from carenetwork.organisations.demo import FIRST_NAMES, LAST_NAMES, PARTNERS, TRAINING_PROVIDERS
from carenetwork.organisations.models import Membership, Organisation, Role, Sector
from carenetwork.records.models import StaffMember, TrainingCategory
from carenetwork.training import bookings, courses, decisions, delivery, demand, interests, runs
from carenetwork.training.models import BrokerageSettings, Course, CourseRun, DeliveryMode, Interest

Mode = DeliveryMode
D = Decimal
# Where each training provider (by its place in TRAINING_PROVIDERS) runs its face-to-face courses.
VENUES = [
    ("Eastmarsh Care Academy, 14 Station Road, Eastmarsh", "Eastmarsh Central"),
    ("SafeHands Training Suite, Kingsmere Business Park", "Kingsmere"),
    ("Brookholme Community Centre, Mill Road, Brookholme", "Brookholme"),
    ("Oldbridge Library, meeting room 1", "Oldbridge"),
    ("Town Hall, Committee Room 2, Market Place, Eastmarsh", "Eastmarsh Central"),
]
OTHER_VENUES = [
    ("Saltcote Village Hall, Church Road", "Saltcote"),
    ("Westwater Resource Centre, Park Lane", "Westwater"),
    ("Ashby Fen Day Centre, High Street", "Ashby Fen"),
]
CARE_HOMES = ["residential-care", "nursing-care"]
LD = ["learning-disability", "supported-living", "day-services"]

# The catalogue. `provider` is the place in TRAINING_PROVIDERS; the run fields are the usual terms agreed for it.
COURSES = [
    {
        "key": "safeguarding",
        "provider": 0,
        "title": "Safeguarding adults (level 2)",
        "outline": (
            "For care and support workers and their supervisors. Recognising the types and signs of abuse and "
            "neglect, making safeguarding personal, responding to a disclosure, recording what you saw and heard, "
            "and how to raise a concern with the council's adult safeguarding team. Mapped to the Care Certificate "
            "standard 10."
        ),
        "codes": [20],
        "hours": "6.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Skills for Care endorsed",
        # The training provider's price for one place bought alone: savings are measured against it.
        "usual": "110.00",
        "group": 20,
        "capacity": 20,
        "minimum": 8,
        "fee": "800.00",
    },
    {
        "key": "mca",
        "provider": 0,
        "title": "Mental Capacity Act and Deprivation of Liberty Safeguards",
        "outline": (
            "A live online workshop on the five principles of the Mental Capacity Act 2005, assessing capacity for "
            "a specific decision, best-interests decisions, recording them, and when a deprivation of liberty needs "
            "an authorisation. Case studies from care homes and supported living."
        ),
        "codes": [14],
        "hours": "3.0",
        "mode": Mode.ONLINE,
        "accreditation": "CPD certified",
        "usual": "60.00",
        "group": 24,
        "capacity": 24,
        "minimum": 10,
        "tiers": [(1, "55.00"), (10, "42.00"), (18, "35.00")],
    },
    {
        "key": "medication",
        "provider": 0,
        "title": "Safe handling of medicines (level 2)",
        "outline": (
            "For staff who give or support people with their medicines. Following NICE guidance SC1: ordering, "
            "storing and disposing of medicines, the six rights of administration, medication administration "
            "records, 'as required' medicines, covert administration and what to do after an error. Includes a "
            "knowledge assessment; staff still need their competency observed at work."
        ),
        "codes": [13],
        "hours": "6.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Skills for Care endorsed",
        "usual": "105.00",
        "group": 16,
        "capacity": 16,
        "minimum": 6,
        "tiers": [(1, "95.00"), (6, "80.00"), (10, "65.00")],
        "sectors": [*CARE_HOMES, "home-care"],
    },
    {
        "key": "infection",
        "provider": 1,
        "title": "Infection prevention and control",
        "outline": (
            "The chain of infection, hand hygiene, personal protective equipment (putting it on and taking it off "
            "safely), managing outbreaks of norovirus, flu and COVID-19, cleaning and laundry, and handling "
            "sharps and clinical waste. Practical session with a UV hand-hygiene check."
        ),
        "codes": [10],
        "hours": "3.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "CPD certified",
        "usual": "75.00",
        "group": 20,
        "capacity": 20,
        "minimum": 8,
        "fee": "520.00",
    },
    {
        "key": "fire",
        "provider": 1,
        "title": "Fire safety awareness and fire marshal duties",
        "outline": (
            "Fire safety law for care settings, the fire risk assessment, progressive horizontal evacuation, "
            "personal emergency evacuation plans, using evacuation aids, and the fire marshal's role on a shift. "
            "Includes a practical with extinguishers and an evacuation sledge."
        ),
        "codes": [6],
        "hours": "4.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Fire Industry Association approved",
        "usual": "95.00",
        "group": 16,
        "capacity": 16,
        "minimum": 6,
        "fee": "540.00",
        "sectors": CARE_HOMES,
    },
    {
        "key": "food",
        "provider": 1,
        "title": "Food safety in health and social care (level 2)",
        "outline": (
            "For staff who prepare or serve food and drinks. Food safety hazards, temperature control, "
            "cross-contamination, allergens and Natasha's Law, texture-modified diets (IDDSI) and cleaning. "
            "Learners sit the multiple-choice examination at the end of the day."
        ),
        "codes": [8],
        "hours": "6.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Highfield Qualifications: Level 2 Award in Food Safety",
        "usual": "90.00",
        "group": 12,
        "capacity": 12,
        "minimum": 5,
        "tiers": [(1, "85.00"), (5, "70.00"), (9, "60.00")],
    },
    {
        "key": "moving",
        "provider": 2,
        "title": "Moving and assisting people: practical skills",
        "outline": (
            "A practical day for care workers. The law and your employer's duties, risk assessment (TILEO), "
            "safer handling principles, using slide sheets, standing and walking aids, hoists and slings, and "
            "helping someone who has fallen. Each learner is assessed on the equipment."
        ),
        "codes": [15],
        "hours": "6.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Skills for Care endorsed",
        "usual": "120.00",
        "group": 12,
        "capacity": 12,
        "minimum": 6,
        "fee": "660.00",
    },
    {
        "key": "hoists",
        "provider": 2,
        "title": "Hoists, slings and stand aids: a practical refresher",
        "outline": (
            "A half-day refresher for experienced care staff: checking and choosing slings, ceiling and mobile "
            "hoists, stand aids, LOLER checks, and the common mistakes that cause injuries. Bring your own "
            "service's sling types if you can."
        ),
        "codes": [15],
        "hours": "3.5",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "CPD certified",
        "usual": "90.00",
        "group": 12,
        "capacity": 12,
        "minimum": 5,
        "fee": "420.00",
        "sectors": [*CARE_HOMES, "home-care"],
    },
    {
        "key": "dementia",
        "provider": 3,
        "title": "Dementia awareness: living well with dementia",
        "outline": (
            "Understanding the common types of dementia and how they affect people, communicating well, "
            "distress as a form of communication, life story work, eating and drinking, and supporting families. "
            "Includes the virtual dementia experience. Tier 2 of the Dementia Training Standards Framework."
        ),
        "codes": [2, 22],
        "hours": "6.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Skills for Care endorsed",
        "usual": "85.00",
        "group": 20,
        "capacity": 20,
        "minimum": 8,
        "tiers": [(1, "75.00"), (8, "60.00"), (14, "48.00")],
        "sectors": [*CARE_HOMES, "home-care"],
    },
    {
        "key": "pbs",
        "provider": 3,
        "title": "Positive behaviour support: foundation",
        "outline": (
            "Two days, a week apart, for support workers in learning disability and autism services. The values "
            "of PBS, functional assessment, writing and using a behaviour support plan, proactive and reactive "
            "strategies, reducing restrictive practice and debriefing after an incident. Learners bring a case "
            "from their own service to the second day."
        ),
        "codes": [19, 12],
        "hours": "12.0",
        "mode": Mode.BLENDED,
        "accreditation": "BILD Act certified",
        "usual": "295.00",
        "group": 16,
        "capacity": 16,
        "minimum": 6,
        "fee": "1650.00",
        "sectors": LD,
    },
    {
        "key": "oliver",
        "provider": 3,
        "title": "The Oliver McGowan Mandatory Training: Tier 1",
        "outline": (
            "The mandatory training on learning disability and autism for everyone working in health and social "
            "care: the national e-learning package, then a live online interactive session co-delivered by an "
            "expert by experience with a learning disability and one who is autistic."
        ),
        "codes": [41, 42],
        "hours": "2.5",
        "mode": Mode.ONLINE,
        "accreditation": "Delivered to the Oliver McGowan Code of Practice",
        "usual": "55.00",
        "group": 40,
        "capacity": 40,
        "minimum": 15,
        "tiers": [(1, "48.00"), (15, "36.00"), (25, "30.00")],
    },
    {
        "key": "first-aid",
        "provider": 4,
        "title": "Emergency first aid at work",
        "outline": (
            "The one-day qualification for appointed first aiders: managing an incident, CPR and using a "
            "defibrillator, choking, bleeding, shock, seizures and minor injuries, with the extra risks of older "
            "and frail people. Certificate valid for three years; we recommend a yearly refresher."
        ),
        "codes": [7, 5],
        "hours": "6.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "Qualsafe Awards: Level 3 Award in Emergency First Aid at Work",
        "usual": "120.00",
        "group": 12,
        "capacity": 12,
        "minimum": 6,
        "fee": "600.00",
    },
    {
        "key": "bls",
        "provider": 4,
        "title": "Basic life support and anaphylaxis",
        "outline": (
            "A half-day practical on adult basic life support to Resuscitation Council UK guidelines, using an "
            "AED, the recovery position, recognising anaphylaxis and using adrenaline auto-injectors, and "
            "recording what happened."
        ),
        "codes": [7],
        "hours": "3.0",
        "mode": Mode.FACE_TO_FACE,
        "accreditation": "CPD certified",
        "usual": "80.00",
        "group": 12,
        "capacity": 12,
        "minimum": 5,
        "fee": "360.00",
    },
]
SUBMITTED = {
    "title": "End of life care: comfort, communication and dignity",
    "outline": (
        "For care staff supporting people in the last months and days of life: advance care planning, recognising "
        "dying, comfort and symptom management with the district nursing team, mouth care, talking with families, "
        "and looking after yourself afterwards."
    ),
    "codes": [17, 22],
    "hours": "6.0",
    "mode": Mode.FACE_TO_FACE,
    "accreditation": "Skills for Care endorsed",
    "usual": "95.00",
    "group": 16,
}
RETURNED = {
    "title": "Diabetes awareness for care staff",
    "outline": (
        "Types of diabetes, hypos and hypers, foot care, healthy eating and supporting people with their "
        "insulin and blood glucose monitoring."
    ),
    "codes": [29],
    "hours": "2.0",
    "mode": Mode.ONLINE,
    "accreditation": "",
    "usual": "40.00",
    "group": 30,
}
RETURN_COMMENTS = (
    "Thank you for this. Before we publish it, please add the learning outcomes, and say how the blood glucose "
    "monitoring part is taught and assessed online: care staff may only do it once a nurse has signed them off. "
    "Two hours also looks short for everything in the outline."
)
COMMENTS = [
    "Really practical, and the trainer knew care homes well.",
    "Good refresher. The case studies were close to what we see at work.",
    "I feel more confident now. Would like more time on the practical part.",
    "Very useful, and good to meet staff from other services.",
    "The venue was cold but the trainer was excellent.",
    "Clear and well paced. I will share the handouts with my team.",
    "A bit rushed after lunch.",
    "Best training I have had in years.",
]
# The categories providers answer the demand survey for (a few each).
DEMAND_CATEGORIES = [2, 14, 19, 17, 13, 15, 7, 41, 29, 27, 31, 12, 16, 10]


def build_training(*, officer, providers, featured, rng: random.Random | None = None) -> bool:
    """Create the demo training programme unless the demo training providers already have courses.

    `providers` are the demo care providers (the featured one is Willow Care Home). Returns whether it built.
    """
    trainers = _training_providers()
    if not trainers or Course.objects.filter(provider__in=[org for org, _user in trainers]).exists():
        return False
    return _Builder(officer=officer, providers=providers, featured=featured, trainers=trainers, rng=rng).build()


def _training_providers() -> list[tuple[Organisation, object]]:
    """(organisation, its admin) for each demo training provider, in TRAINING_PROVIDERS order."""
    found = []
    for name in TRAINING_PROVIDERS:
        org = Organisation.objects.filter(name=name, kind=Organisation.Kind.TRAINING).first()
        admin = _admin_of(org) if org else None
        if org is None or admin is None:
            return []
        found.append((org, admin))
    return found


def _admin_of(org):
    membership = (
        Membership.objects.active()
        .filter(organisation=org, role__in=[Role.ADMIN, Role.MEMBER])
        .select_related("user")
        .order_by("role", "pk")  # "admin" sorts before "member"
        .first()
    )
    return membership.user if membership else None


def _at(day: datetime.date, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


def _weekday(day: datetime.date, *, forward: bool) -> datetime.date:
    """The day itself on a working day; otherwise the next one after (forward) or before: no weekends, and none
    of the days from Christmas Eve to New Year's Day."""
    while day.weekday() >= 5 or (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1):
        day += datetime.timedelta(days=1 if forward else -1)
    return day


def _when(moment: datetime.datetime, call: Callable, /, **kwargs):
    """Call the service as if it were `moment`."""
    with time_machine.travel(moment, tick=False):
        return call(**kwargs)


class _Builder:
    def __init__(self, *, officer, providers, featured, trainers, rng):
        self.officer = officer
        self.featured = featured
        self.trainers = trainers
        self.rng = rng or random.Random(2027)
        self.now = timezone.now()
        self.today = timezone.localdate()
        # The runs are offered to partners when short by this many (at least two, so the demo has those states).
        self.margin = max(BrokerageSettings.current().partner_margin, 2)
        self.categories = {c.code: c for c in TrainingCategory.objects.filter(is_active=True).exclude(code=None)}
        self.sectors = {s.slug: s for s in Sector.objects.all()}
        admins = {
            m.organisation_id: m.user
            for m in Membership.objects.active()
            .filter(organisation__in=providers, role=Role.ADMIN)
            .select_related("user")
            .order_by("-pk")
        }
        # Care providers that can take places: those with an admin.
        self.members = [org for org in providers if org.pk in admins and org.is_active]
        self.admins = admins
        self.others = [org for org in self.members if org.pk != featured.pk]
        self.partners = [
            (org, _admin_of(org))
            for org in Organisation.objects.filter(name__in=PARTNERS, kind=Organisation.Kind.PARTNER).order_by("name")
        ]
        self.partners = [(org, user) for org, user in self.partners if user]
        # Westmere's officer is the demo partner member: on the run offered now, another partner takes a place.
        self.partners.sort(key=lambda pair: pair[0].name != PARTNERS[0])
        staff = StaffMember.objects.filter(
            organisation__in=self.members, leaving_date=None, personal_data_removed_at=None
        ).order_by("pk")
        self.staff: dict[int, list[StaffMember]] = {}
        for person in staff:
            self.staff.setdefault(person.organisation_id, []).append(person)
        self.courses: dict[str, Course] = {}
        self.specs = {spec["key"]: spec for spec in COURSES}
        self.venue_turn = 0

    def days(self, n: int) -> datetime.timedelta:
        return datetime.timedelta(days=n)

    # Courses -------------------------------------------------------------------------------------------------

    def course(self, spec: dict, provider: Organisation, trainer, *, proposed: datetime.datetime) -> Course:
        data = {
            "title": spec["title"],
            "outline": spec["outline"],
            "categories": [self.categories[code] for code in spec["codes"] if code in self.categories],
            "duration_hours": D(spec["hours"]),
            "delivery_mode": spec["mode"],
            "accreditation": spec["accreditation"],
            "max_group_size": spec["group"],
            "usual_price": D(spec["usual"]) if "usual" in spec else None,
        }
        return _when(proposed, courses.course_save, actor=trainer, provider=provider, course=None, data=data)

    def build_courses(self) -> None:
        start = self.now - self.days(430)
        for n, spec in enumerate(COURSES):
            provider, trainer = self.trainers[spec["provider"]]
            proposed = start + self.days(n) + datetime.timedelta(hours=10)
            course = self.course(spec, provider, trainer, proposed=proposed)
            _when(
                proposed + self.days(3),
                courses.course_review,
                actor=self.officer,
                course=course,
                decision=courses.Decision.APPROVE,
            )
            course.refresh_from_db()
            self.courses[spec["key"]] = course
        academy, trainer = self.trainers[0]
        returned = self.course(RETURNED, academy, trainer, proposed=self.now - self.days(19))
        _when(
            self.now - self.days(16),
            courses.course_review,
            actor=self.officer,
            course=returned,
            decision=courses.Decision.RETURN,
            comments=RETURN_COMMENTS,
        )
        self.course(SUBMITTED, academy, trainer, proposed=self.now - self.days(2) - datetime.timedelta(hours=3))

    # Runs ----------------------------------------------------------------------------------------------------

    def venue(self, spec: dict) -> tuple[str, str]:
        self.venue_turn += 1
        if self.venue_turn % 3 == 0:
            return OTHER_VENUES[self.venue_turn % len(OTHER_VENUES)]
        return VENUES[spec["provider"]]

    def run(self, key: str, start_day: datetime.date, *, created: datetime.datetime | None = None) -> CourseRun:
        """A run of the course starting on the day, on the course's usual terms: interest closes three weeks before,
        partners have a week after that, bookings and substitutions close three days before."""
        spec, course = self.specs[key], self.courses[key]
        hours = float(spec["hours"])
        starts = _at(start_day, 9, 30)
        dates_note = ""
        if hours > 7:  # two days a week apart
            second = start_day + self.days(7)
            ends = _at(second, 16, 30)
            dates_note = f"{start_day.day} and {second:%-d %B}, 9:30 to 16:30 each day"
        elif spec["mode"] == Mode.ONLINE:
            starts = _at(start_day, 13, 30)
            ends = starts + datetime.timedelta(hours=hours)
        else:
            ends = starts + datetime.timedelta(hours=hours + (0.5 if hours >= 6 else 0))
        online = spec["mode"] == Mode.ONLINE
        venue, area = ("", "") if online else self.venue(spec)
        data = {
            "starts_at": starts,
            "ends_at": ends,
            "dates_note": dates_note,
            "venue": venue,
            "area": area,
            "online_link": f"https://meet.example/eastmarsh-training/{key}" if online else "",
            "capacity": spec["capacity"],
            "minimum_places": spec["minimum"],
            "interest_deadline": _at(start_day - self.days(21), 17),
            "partner_margin": self.margin,
            "partner_deadline": _at(start_day - self.days(14), 17),
            "booking_cutoff": _at(start_day - self.days(3), 17),
            "free_cancellation_until": _at(start_day - self.days(7), 23, 59, 59),
            "cancellation_terms": (
                "Free cancellation until a week before the course; after that the full price is charged, "
                "though you may send someone else in your place until the cut-off."
            ),
            "sectors": [self.sectors[s] for s in spec.get("sectors", []) if s in self.sectors],
            "pricing": CourseRun.Pricing.TIERS if "tiers" in spec else CourseRun.Pricing.SHARED_FEE,
            "fee": D(spec["fee"]) if "fee" in spec else None,
        }
        tiers = [(f, D(p)) for f, p in spec.get("tiers", [])]
        created = created or data["interest_deadline"] - self.days(35)
        return _when(created, runs.run_save, actor=self.officer, course=course, run=None, data=data, tiers=tiers)

    def wants(self, run: CourseRun, total: int, *, featured: bool | None, most: int = 4) -> list[tuple]:
        """Care providers' requests adding up to `total` places: [(organisation, places)], the featured provider
        first when it takes part (`None`: by chance)."""
        if featured is None:
            featured = self.rng.random() < 0.35
        chosen = [self.featured] if featured else []
        pool = list(self.others)
        self.rng.shuffle(pool)
        requests, left = [], total
        for org in chosen + pool:
            if left <= 0:
                break
            places = min(left, self.rng.randint(1, most))
            if left - places == 1 and places > 1 and self.rng.random() < 0.5:
                places -= 1  # leave room for one more organisation
            requests.append((org, places))
            left -= places
        return requests

    def express(self, run: CourseRun, requests, *, start: datetime.datetime, end: datetime.datetime) -> None:
        """The requests, spread in order between `start` and `end` (and before the run's open deadline)."""
        deadline = run.partner_deadline if run.status == CourseRun.Status.PARTNERS else run.interest_deadline
        end = min(end, deadline - datetime.timedelta(hours=1))
        span = max((end - start).total_seconds(), 0)
        moments = sorted(start + datetime.timedelta(seconds=self.rng.uniform(0, span)) for _ in requests)
        for moment, (org, places, *ceiling) in zip(moments, requests, strict=True):
            actor = self.admins.get(org.pk) or dict(self.partners).get(org)
            _when(
                moment,
                interests.interest_save,
                actor=actor,
                run=run,
                organisation=org,
                places=places,
                ceiling=ceiling[0] if ceiling else None,
            )

    def decide(self, run: CourseRun, moment: datetime.datetime) -> CourseRun:
        _when(moment, decisions.run_decide, run=run)
        run.refresh_from_db()
        return run

    def name_delegates(self, run: CourseRun, moment: datetime.datetime, *, all_places: bool = True, skip=()) -> None:
        """Each booking names people from its staff register who had started by the course (partners: names)."""
        day = timezone.localdate(run.starts_at)
        for interest in Interest.objects.filter(run=run, status=Interest.Status.BOOKED).select_related("organisation"):
            org = interest.organisation
            if org in skip:
                continue
            count = interest.places if all_places or interest.places == 1 else interest.places - 1
            if org.kind == Organisation.Kind.PARTNER:
                names = [f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}" for _ in range(count)]
                _when(moment, bookings.delegates_set, actor=dict(self.partners)[org], interest=interest, names=names)
                continue
            eligible = [p for p in self.staff.get(org.pk, []) if p.start_date is None or p.start_date < day]
            people = self.rng.sample(eligible, min(count, len(eligible)))
            _when(moment, bookings.delegates_set, actor=self.admins[org.pk], interest=interest, staff=people)

    def deliver(self, run: CourseRun, *, evaluations: float = 0.75) -> None:
        """After the course: attendance (most came), invoices issued and mostly paid, and the delegates' ratings."""
        trainer = dict(self.trainers)[run.course.provider]
        ended = run.ends_at
        delegates = list(delivery.attendance_delegates(run))
        came = [d for d in delegates if self.rng.random() > 0.08]
        _when(
            ended + datetime.timedelta(hours=1),
            delivery.attendance_record,
            actor=trainer,
            run=run,
            attended_ids=[d.pk for d in came],
        )
        for interest in delivery.charged_bookings(run):
            issued = ended + self.days(1) + datetime.timedelta(hours=self.rng.randint(1, 6))
            if issued >= self.now:
                continue
            _when(issued, delivery.invoice_mark, actor=trainer, interest=interest, state=Interest.Invoice.ISSUED)
            paid = issued + self.days(self.rng.randint(9, 40))
            if paid < self.now:
                _when(paid, delivery.invoice_mark, actor=trainer, interest=interest, state=Interest.Invoice.PAID)
        for delegate in came:
            if self.rng.random() > evaluations:
                continue
            moment = ended + datetime.timedelta(hours=self.rng.randint(3, 120))
            if moment >= self.now:
                continue
            org = delegate.interest.organisation
            actor = self.admins.get(org.pk) or dict(self.partners).get(org)
            _when(moment, delivery.evaluation_submit, actor=actor, delegate=delegate, data=self.scores())

    def scores(self) -> dict:
        overall = self.rng.choices([5, 4, 3], weights=[50, 40, 10])[0]
        data = {
            q: max(2, min(5, overall + self.rng.choice([0, 0, 0, -1, 1]))) for q in ("met_aims", "trainer", "useful")
        }
        data["overall"] = overall
        data["comments"] = self.rng.choice(COMMENTS) if self.rng.random() < 0.25 else ""
        return data

    # The year behind us ------------------------------------------------------------------------------------

    def past_run(self, key: str, days_ago: int, outcome: str, *, featured=None, deliver=True) -> CourseRun:
        """A run `days_ago` days ago (the weekday before) played through to `outcome`: "confirmed", "rescued",
        "cancelled" (too few places) or "partners_cancelled" (offered to partners, who took none)."""
        spec = self.specs[key]
        day = _weekday(self.today - self.days(days_ago), forward=False)
        run = self.run(key, day)
        minimum, capacity = spec["minimum"], spec["capacity"]
        if outcome == "confirmed":
            total = self.rng.randint(minimum, min(capacity, minimum + 6))
        elif outcome in ("rescued", "partners_cancelled"):
            total = minimum - self.rng.randint(1, min(2, self.margin))
        else:
            total = max(1, minimum - self.margin - self.rng.randint(1, 3))
        requests = self.wants(run, total, featured=featured)
        if outcome == "confirmed" and self.rng.random() < 0.3 and total < capacity:
            # Someone whose limit is below the price drops out at the deadline; the rest go ahead.
            org = self.rng.choice([o for o in self.others if o not in {r[0] for r in requests}])
            requests.append((org, 1, (run.current_price * D("0.5")).quantize(D("1"))))
        self.express(run, requests, start=run.created_at + self.days(2), end=run.interest_deadline - self.days(1))
        run = self.decide(run, run.interest_deadline + datetime.timedelta(minutes=5))
        if run.status == CourseRun.Status.PARTNERS:
            if outcome == "rescued":
                shortfall = run.minimum_places - run.places_taken
                partner = self.partners[self.rng.randrange(len(self.partners))][0]
                self.express(
                    run,
                    [(partner, shortfall + self.rng.randint(0, 1))],
                    start=run.partners_offered_at + self.days(1),
                    end=run.partner_deadline - self.days(1),
                )
            run = self.decide(run, run.partner_deadline + datetime.timedelta(minutes=5))
        if run.status == CourseRun.Status.CONFIRMED:
            self.name_delegates(run, run.decided_at + self.days(self.rng.randint(1, 5)))
            if deliver:
                self.deliver(run)
        return run

    def build_history(self) -> None:
        """A run about every fortnight over the past year, nearly all confirmed and delivered (three rescued by
        partners), four cancelled between them; the latest is waiting for its attendance to be recorded."""
        keys = [spec["key"] for spec in COURSES]
        for n, days_ago in enumerate(range(356, 19, -14)):
            key = keys[n % len(keys)]
            outcome = "rescued" if n in (3, 11, 19) else "confirmed"
            self.past_run(key, days_ago, outcome, featured=True if n % 3 == 0 else None)
        for key, days_ago, outcome in [
            ("fire", 303, "cancelled"),
            ("hoists", 205, "partners_cancelled"),
            ("food", 117, "cancelled"),
            ("pbs", 52, "cancelled"),
        ]:
            self.past_run(key, days_ago, outcome, featured=key == "food")
        self.past_run("safeguarding", 6, "confirmed", featured=True, deliver=False)

    # What is happening now ---------------------------------------------------------------------------------

    def build_current(self) -> None:
        now = self.now
        future = lambda days: _weekday(self.today + self.days(days), forward=True)  # noqa: E731

        # Confirmed in 12 days: Willow has three places named, its deputy (on the register) among them.
        run = self.run("first-aid", future(12))
        requests = [(self.featured, 3), *self.wants(run, 5, featured=False, most=2)]
        self.express(run, requests, start=run.created_at + self.days(1), end=run.interest_deadline - self.days(1))
        run = self.decide(run, run.interest_deadline + datetime.timedelta(minutes=5))
        self.name_delegates(run, run.decided_at + self.days(1), all_places=False, skip=[self.featured])
        self.name_featured(run, run.decided_at + self.days(2))

        # Offered to partners now: short of its minimum; Northvale has taken one place, one more is needed.
        run = self.run("infection", future(16))
        requests = [(self.featured, 2), *self.wants(run, run.minimum_places - 4, featured=False, most=2)]
        self.express(run, requests, start=run.created_at + self.days(1), end=run.interest_deadline - self.days(1))
        run = self.decide(run, run.interest_deadline + datetime.timedelta(minutes=5))
        shortfall = run.minimum_places - run.places_taken
        if run.status == CourseRun.Status.PARTNERS and shortfall > 1 and len(self.partners) > 1:
            moment = min(now - datetime.timedelta(hours=2), run.partners_offered_at + self.days(2))
            self.express(run, [(self.partners[1][0], shortfall - 1)], start=moment, end=moment)

        # Taking interest, past its minimum: Willow is on it, and one more place brings the price down.
        run = self.run("moving", future(24), created=now - self.days(20))
        requests = [(self.featured, 2), *self.wants(run, run.minimum_places - 1, featured=False, most=2)]
        self.express(run, requests, start=run.created_at + self.days(1), end=now - datetime.timedelta(hours=5))

        # Taking interest, short of its minimum; Willow has not joined.
        run = self.run("safeguarding", future(31), created=now - self.days(14))
        requests = self.wants(run, run.minimum_places - 3, featured=False, most=2)
        self.express(run, requests, start=run.created_at + self.days(1), end=now - datetime.timedelta(hours=3))

        # Tiered: seven places at £80 each; three more bring it to £65.
        run = self.run("medication", future(38), created=now - self.days(10))
        self.express(
            run, self.wants(run, 7, featured=False, most=3), start=run.created_at, end=now - datetime.timedelta(hours=1)
        )

        # The Oliver McGowan session, filling up; dementia with Willow on it; further ahead, less interest yet.
        run = self.run("oliver", future(27), created=now - self.days(30))
        self.express(
            run,
            self.wants(run, 13, featured=False, most=4),
            start=run.created_at,
            end=now - datetime.timedelta(hours=2),
        )
        run = self.run("dementia", future(45), created=now - self.days(9))
        requests = [(self.featured, 4), *self.wants(run, 5, featured=False, most=2)]
        self.express(run, requests, start=run.created_at, end=now - datetime.timedelta(hours=4))
        for key, days, places in [("mca", 52, 6), ("fire", 66, 3), ("pbs", 80, 4), ("food", 95, 0), ("bls", 125, 2)]:
            run = self.run(key, future(days), created=now - self.days(self.rng.randint(2, 8)))
            if places:
                self.express(
                    run,
                    self.wants(run, places, featured=False, most=2),
                    start=run.created_at,
                    end=now - datetime.timedelta(hours=1),
                )

    def name_featured(self, run: CourseRun, moment: datetime.datetime) -> None:
        """Willow names its deputy (who has an account) and two more people."""
        interest = Interest.objects.get(run=run, organisation=self.featured, status=Interest.Status.BOOKED)
        people = self.staff.get(self.featured.pk, [])
        deputy = [p for p in people if p.user_id]
        others = [p for p in people if not p.user_id]
        chosen = (deputy + self.rng.sample(others, min(len(others), interest.places)))[: interest.places]
        _when(moment, bookings.delegates_set, actor=self.admins[self.featured.pk], interest=interest, staff=chosen)

    # The demand survey ---------------------------------------------------------------------------------------

    def build_demand(self) -> None:
        answering = [self.featured, *self.rng.sample(self.others, min(14, len(self.others)))]
        for org in answering:
            size = len(self.staff.get(org.pk, [])) or 10
            codes = self.rng.sample(DEMAND_CATEGORIES, self.rng.randint(3, 7))
            answers = {
                self.categories[code].pk: self.rng.randint(1, max(2, size // 3))
                for code in codes
                if code in self.categories
            }
            moment = self.now - self.days(self.rng.randint(3, 150)) - datetime.timedelta(hours=self.rng.randint(0, 8))
            _when(moment, demand.demand_save, actor=self.admins[org.pk], organisation=org, answers=answers)

    def build(self) -> bool:
        if not self.members or not self.partners:
            return False
        self.build_courses()
        self.build_history()
        self.build_current()
        self.build_demand()
        return True
