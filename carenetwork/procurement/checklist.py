"""The Market Shaping Toolkit's procurement checklist for councils (sections 5.2 to 5.4, questions 1 to 16), brought
up to date for the Procurement Act 2023: shown beside the rule advice on an opportunity."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

STAGES = ("pre-tender", "tendering", "post-contract")


@dataclass(frozen=True)
class ChecklistQuestion:
    """A question of the Market Shaping Toolkit's checklist for councils, with why it matters today."""

    number: int
    stage: str
    question: str
    why: str
    rule: str = ""  # the current rule behind it, if any


CHECKLIST: tuple[ChecklistQuestion, ...] = (
    ChecklistQuestion(
        1, "pre-tender",
        gettext_lazy("Are we engaging with providers?"),
        gettext_lazy("Talking to providers before the tender helps you understand people's needs, whether the "
                     "service can be delivered and what providers can offer, and lets you develop the market where "
                     "needed. The Procurement Act 2023 encourages preliminary market engagement, provided no "
                     "supplier gains an unfair advantage."),
        "Procurement Act 2023, s16",
    ),
    ChecklistQuestion(
        2, "pre-tender",
        gettext_lazy("Have we considered the most appropriate way of funding the service?"),
        gettext_lazy("A grant can suit a voluntary organisation running a small, specialist or innovative local "
                     "service. A contract suits a detailed specification where good practice is well understood and "
                     "comparing bids gives best value. Grants follow the council's grant rules and subsidy control."),
        "Subsidy Control Act 2022",
    ),
    ChecklistQuestion(
        3, "pre-tender",
        gettext_lazy("Do we know and use the options beyond a standard competitive tender, avoiding a full process "
                     "when it is not needed?"),
        gettext_lazy("Procurement staff who understand the commissioning task can recommend the procedure that "
                     "suits the task, the provider market and the size of the contract. Light touch and "
                     "below-threshold contracts give wide freedom to design a simple, proportionate process."),
        "Procurement Act 2023, s20",
    ),
    ChecklistQuestion(
        4, "pre-tender",
        gettext_lazy("Are we dividing larger contracts into smaller lots? If not, can we give our reasons?"),
        gettext_lazy("Think about SMEs from the outset: consider whether a contract can be divided into lots, and "
                     "explain why when it is not. Above threshold the reasons must be given in the tender notice or "
                     "documents."),
        "Procurement Act 2023, s18",
    ),
    ChecklistQuestion(
        5, "pre-tender",
        gettext_lazy("Have commissioners, procurement officers and SMEs worked together on a compliant but simple "
                     "and proportionate process, with adequate tender periods, time to form consortia and flexible "
                     "interview dates?"),
        gettext_lazy("Unlike large providers, SMEs rarely have bid writers or development staff. Agreeing the "
                     "process together gets a timely, informed response. Tender periods must be proportionate, with "
                     "time for consortia and sub-contracting."),
        "Procurement Act 2023, s54",
    ),
    ChecklistQuestion(
        6, "pre-tender",
        gettext_lazy("Do we advertise our opportunities on the Central Digital Platform (Find a Tender)?"),
        gettext_lazy("Above threshold a tender notice goes on the Central Digital Platform (Find a Tender). Below "
                     "threshold, if a council advertises a contract worth £30,000 or more including VAT, the notice "
                     "goes there first, before any local portal. Procurements under the Act are no longer "
                     "advertised on Contracts Finder."),
        "Procurement Act 2023, s21 and s87",
    ),
    ChecklistQuestion(
        7, "tendering",
        gettext_lazy("Are we engaging with providers during the tender?"),
        gettext_lazy("Engagement continues during the tender: answer clarification questions promptly and share "
                     "every answer with all bidders, so that everyone understands the requirement equally."),
        "",
    ),
    ChecklistQuestion(
        8, "tendering",
        gettext_lazy("Are our tender documents clear, concise and jargon-free?"),
        gettext_lazy("If a provider cannot fully understand what the commissioner wants, it cannot offer a service "
                     "that is fit for purpose."),
        "Procurement Act 2023, s21",
    ),
    ChecklistQuestion(
        9, "tendering",
        gettext_lazy("Are our contract terms proportionate to the scale and complexity of the contract (standard "
                     "terms wherever possible)?"),
        gettext_lazy("A big worry for SMEs is monitoring out of proportion to a small contract, sometimes more than "
                     "the council would ask of its own service. Complex terms are a barrier the council must "
                     "consider removing."),
        "Procurement Act 2023, s12(4) and s86",
    ),
    ChecklistQuestion(
        10, "tendering",
        gettext_lazy("Have we explained the evaluation to bidders at the outset, with the criteria and their "
                     "relative importance?"),
        gettext_lazy("The criteria tell providers what response and relationship you want. If price carries a high "
                     "weight, it is rarely worth a provider spending time on a lightly weighted innovation "
                     "criterion that raises its costs."),
        "Procurement Act 2023, s23",
    ),
    ChecklistQuestion(
        11, "tendering",
        gettext_lazy("Are we including economic, environmental and social value criteria?"),
        gettext_lazy("Award criteria and specifications may cover equality (for example access for disabled people) "
                     "and social and environmental value. The National Procurement Policy Statement asks councils "
                     "to consider social value; for service contracts the Public Services (Social Value) Act 2012 "
                     "requires it to be considered."),
        "Procurement Act 2023, s19; Public Services (Social Value) Act 2012, s1",
    ),
    ChecklistQuestion(
        12, "tendering",
        gettext_lazy("Do our evaluation criteria look for the best price-quality balance?"),
        gettext_lazy("The Act awards to the most advantageous tender, which lets quality, whole-life cost and "
                     "social value count, not only the lowest price."),
        "Procurement Act 2023, s19",
    ),
    ChecklistQuestion(
        13, "tendering",
        gettext_lazy("Are we confident that the lowest price we accept is sustainable and lawful?"),
        gettext_lazy("Investigate a tender that looks abnormally low before deciding on it, and reject it if the "
                     "price rests on breaking employment, social or environmental law. Compare prices with the fair "
                     "cost of care."),
        "Procurement Act 2023, s19",
    ),
    ChecklistQuestion(
        14, "post-contract",
        gettext_lazy("Are we still engaging with providers after the award?"),
        gettext_lazy("Unsuccessful providers may still work in your area: keep engaging with them, in the forums "
                     "and the directory, as with every provider in the market."),
        "",
    ),
    ChecklistQuestion(
        15, "post-contract",
        gettext_lazy("Are we offering feedback that is as helpful as possible and designed to promote future "
                     "improvement?"),
        gettext_lazy("Helpful, positive feedback is a powerful, personal market shaping tool. Above threshold every "
                     "bidder gets an assessment summary of its tender."),
        "Procurement Act 2023, s50",
    ),
    ChecklistQuestion(
        16, "post-contract",
        gettext_lazy("Are there arrangements to make sure providers are paid on time?"),
        gettext_lazy("Good cash flow keeps SME providers going. Valid, undisputed invoices must be paid within 30 "
                     "days, and contracts must pass the same term down the supply chain. Councils publish how "
                     "promptly they pay."),
        "Procurement Act 2023, s68 and s69",
    ),
)  # fmt: skip


def checklist(stage: str | None = None) -> list[ChecklistQuestion]:
    """The toolkit's checklist for councils: all of it, or one stage (pre-tender, tendering or post-contract)."""
    if stage is not None and stage not in STAGES:
        raise ValueError(f"Unknown checklist stage: {stage!r}")
    return [q for q in CHECKLIST if stage is None or q.stage == stage]


def by_stage() -> list[tuple[str, list[ChecklistQuestion]]]:
    """The checklist grouped by stage, in order, for the pages."""
    return [(stage, checklist(stage)) for stage in STAGES]
