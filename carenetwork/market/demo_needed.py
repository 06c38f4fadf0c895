"""The demo borough's needed services: five gaps of the kind an outer London borough such as Havering (whose ONS
figures the demo's demand uses) writes about, two of them with interest, one from someone with no organisation yet
who wants to start a micro-enterprise, and one council reply. Built through the services; idempotent."""

from carenetwork.accounts.models import User
from carenetwork.accounts.services import account_create
from carenetwork.market.models_statement import NeededService
from carenetwork.market.needed import interest_organisations, interest_register, interest_reply, needed_save
from carenetwork.organisations.demo import DEMO_PASSWORD

MICRO_PROVIDER_EMAIL = "micro-provider@example.org"

NEEDS = [
    {
        "service": "Nursing beds for people living with dementia",
        "client_group": NeededService.ClientGroup.DEMENTIA,
        "locality": "The north of the borough: Ashby Fen and Brookholme",
        "evidence": (
            "The number of people aged 65 and over living with dementia in the borough is projected to rise by about a "
            "third by 2040 (see Predicted demand). Nursing homes in the north of the borough have had fewer than 3 "
            "vacant dementia nursing beds in most months of the last year, and people are placed out of the borough, "
            "away from their families."
        ),
        "caveats": (
            "The council cannot guarantee to place people. We pay the banded rate for dementia nursing; the fee "
            "review for next year is under way."
        ),
        "status": NeededService.Status.OPEN,
    },
    {
        "service": "Extra care housing with on-site care, around 60 flats",
        "client_group": NeededService.ClientGroup.OLDER,
        "locality": "Eastmarsh Central, near the town centre's shops and transport",
        "evidence": (
            "One extra care scheme serves the whole borough and has a waiting list of over 40 people. A quarter of "
            "the people we place in residential care each year could have stayed independent in extra care."
        ),
        "caveats": (
            "The council is looking for a housing partner and a care provider, together or separately. Land and "
            "capital funding are still being discussed."
        ),
        "status": NeededService.Status.DISCUSSING,
    },
    {
        "service": "Specialist home care for adults with a learning disability",
        "client_group": NeededService.ClientGroup.LEARNING,
        "locality": "Marsh End and Saltcote",
        "evidence": (
            "Packages for adults with a learning disability in the south of the borough take on average 3 weeks to "
            "start, against 4 days for older people. Families tell us that carers change too often for their "
            "relatives to build trust."
        ),
        "caveats": "Staff need positive behaviour support training; the council can offer places on its courses.",
        "status": NeededService.Status.OPEN,
    },
    {
        "service": "Day opportunities for autistic adults",
        "client_group": NeededService.ClientGroup.LEARNING,
        "locality": "Across the borough",
        "evidence": (
            "Young autistic people leaving college have few options in the borough: most day services are built for "
            "older people or for people with profound and multiple learning disabilities. Community groups and "
            "micro-providers are welcome."
        ),
        "caveats": "Small grants of up to £5,000 are available to help new community services start.",
        "status": NeededService.Status.OPEN,
    },
    {
        "service": "Short breaks (respite) for unpaid carers at weekends",
        "client_group": NeededService.ClientGroup.CARERS,
        "locality": "Oldbridge and Westwater",
        "evidence": (
            "The carers' survey found that weekend breaks were the support carers most wanted and could least find."
        ),
        "caveats": "",
        "status": NeededService.Status.FILLED,
    },
]


def build_needed_demo(borough) -> None:
    """The needed services, interest from the featured provider's admin and from a would-be micro-provider with no
    organisation, and the council's reply to one. Idempotent: nothing is added once any needed service exists."""
    if NeededService.objects.exists():
        return
    officer = borough.officer
    saved = [needed_save(actor=officer, data=data) for data in NEEDS]
    dementia, _extra_care, learning, day_opportunities, _respite = saved

    admin = borough.people["provider_admin"]
    first = interest_register(
        actor=admin,
        need=dementia,
        name=admin.full_name,
        organisation=borough.featured,
        note=(
            "We run a 40-bed nursing home and have planning permission for a 16-bed extension. We would like to "
            "talk about using it for dementia nursing."
        ),
    )
    interest_reply(
        actor=officer,
        interest=first,
        reply=(
            "Thank you. We would like to meet to talk about the extension and the fee band: I will email you "
            "some dates next week."
        ),
    )
    micro = User.objects.filter(email=MICRO_PROVIDER_EMAIL).first() or account_create(
        email=MICRO_PROVIDER_EMAIL, full_name="Joy Mensah", password=DEMO_PASSWORD, job_title="Support worker"
    )
    interest_register(
        actor=micro,
        need=day_opportunities,
        name=micro.full_name,
        organisation=None,
        note=(
            "I have worked for 8 years as a support worker with autistic adults and want to start a small "
            "community day group (up to 6 people) running gardening and cooking sessions."
        ),
    )
    member = borough.people.get("training_admin")
    if member is not None:
        interest_register(
            actor=member,
            need=learning,
            name=member.full_name,
            organisation=next(iter(interest_organisations(member)), None),
            note="We train positive behaviour support and could train the staff of a new home care service.",
        )
