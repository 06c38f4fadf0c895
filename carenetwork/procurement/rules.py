"""The procurement rules for SMEs, right for the day each procurement starts: which regime applies, the thresholds,
the notices, and what may and may not be asked of bidders (the toolkit's checklist is in checklist.py).

Pure and dated: no database. Every piece of advice cites the rule it comes from and, where there is one, the address
of that rule. The data is at the top (dates, limits, thresholds, the words of the advice); below it,
one small function per rule returning a list of advice, and `advise` putting them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Dates ---------------------------------------------------------------------------------------------------------

ACT_COMMENCEMENT = date(2025, 2, 24)  # the Procurement Act 2023 and the Procurement Regulations 2024 in force
RESERVATION_FROM = date(2026, 2, 4)  # SI 2026/94: councils may reserve below-threshold competitions by location
PAYMENTS_COMPLIANCE_FROM = date(2026, 1, 1)  # s69 (Commencement No. 4 Regulations 2025): UK17 every six months
PAYMENTS_OVER_30K_FROM = date(2026, 4, 1)  # s70: payments over £30,000 published every quarter
PSR_FROM = date(2024, 1, 1)  # the Provider Selection Regime replaced the NHS procurement regulations
SUBSIDY_CONTROL_FROM = date(2023, 1, 4)  # the Subsidy Control Act 2022 in force

# --- Limits that are good practice, not law (named so that they can be argued with) ---------------------------------

TENDER_PERIOD_MIN_DAYS = 25  # below this SMEs rarely have time to form consortia and find sub-contractors
TURNOVER_MULTIPLE = 2  # law under PCR 2015 (reg 58(9), of the contract value); since the Act, guidance only
INSURANCE_MAX = Decimal("5000000")  # £5m is the legal minimum employers' liability cover; asking more...
SMALL_CONTRACT_ANNUAL = Decimal("1000000")  # ...for a contract worth under £1m a year is rarely proportionate
PRICE_WEIGHT_MAX = 60  # above this, price decides and quality, innovation and social value count for little

# --- Sources -------------------------------------------------------------------------------------------------------

ACT_URL = "https://www.legislation.gov.uk/ukpga/2023/54"
PCR_URL = "https://www.legislation.gov.uk/uksi/2015/102"
RESERVATION_ORDER_URL = "https://www.legislation.gov.uk/uksi/2026/94"
PSR_URL = "https://www.legislation.gov.uk/uksi/2023/1348"
SUBSIDY_URL = "https://www.legislation.gov.uk/ukpga/2022/23"
EL_INSURANCE_URL = "https://www.legislation.gov.uk/uksi/1998/2573/regulation/3"
RESERVATION_ORDER = "Local Government (Exclusion of Non-commercial Considerations) (England) Order 2026 (SI 2026/94)"
TOOLKIT = "Market Shaping Toolkit"
SOCIAL_VALUE = "National Procurement Policy Statement; Public Services (Social Value) Act 2012, s1"


def act(section: int | str) -> str:
    """The legislation.gov.uk address of a section of the Procurement Act 2023."""
    return f"{ACT_URL}/section/{section}"


def pcr(regulation: int | str) -> str:
    """The legislation.gov.uk address of a regulation of the Public Contracts Regulations 2015."""
    return f"{PCR_URL}/regulation/{regulation}"


def _cite_act(sections: str, note: str = "") -> tuple[str, str]:
    """A citation of the Act ("s21(1)", "s68 and s73") and the address of its first section."""
    return f"Procurement Act 2023, {sections}{note}", act(re.search(r"\d+", sections).group())


def _cite_pcr(regulations: str, note: str = "") -> tuple[str, str]:
    """A citation of the 2015 Regulations ("reg 58(9)", "regs 110 and 112") and the address of the first."""
    return f"Public Contracts Regulations 2015, {regulations}{note}", pcr(re.search(r"\d+", regulations).group())


def _cite(rule: str, url: str = "") -> tuple[str, str]:
    return rule, url


# --- The shapes ----------------------------------------------------------------------------------------------------

REQUIRED, WARNING, INFO, GUIDANCE = "required", "warning", "info", "guidance"
LEVELS = (REQUIRED, WARNING, INFO, GUIDANCE)


@dataclass(frozen=True)
class Procurement:
    """What the officer's form says of a procurement; every field but the start date may be left blank."""

    start: date  # the first notice or market engagement: it decides the regime and the thresholds
    value: Decimal | None = None  # the estimated total value including VAT, £
    annual_value: Decimal | None = None  # per year including VAT; see annual_value_of
    funding_route: str = "contract"  # "contract" or "grant"
    light_touch: bool = True  # social care services are light touch (Procurement Regulations 2024, Schedule 1)
    lots: int = 1
    no_lots_reason: str = ""
    tender_published: date | None = None
    questions_deadline: date | None = None
    tender_deadline: date | None = None
    award_date: date | None = None
    contract_start: date | None = None
    minimum_turnover: Decimal | None = None  # £ a year bidders are asked to have
    insurance_required: Decimal | None = None  # the highest cover asked for, £
    prequalification: bool = False  # a suitability assessment (PQQ) that shortlists before tenders
    reserved_local: bool = False
    reserved_uk: bool = False
    reserved_sme_vcse: bool = False
    health_led: bool = False  # mixed with health care, or led by the NHS
    social_value_weight: int | None = None  # % of the evaluation
    price_weight: int | None = None  # % of the evaluation
    duration_years: Decimal | int | None = None  # spreads the value over the years when annual_value is blank


@dataclass(frozen=True)
class Advice:
    """One piece of advice: what applies or what to do, and the rule it comes from."""

    key: str  # stable id
    level: str  # required (the law requires it), warning (looks wrong or risky), info, guidance (good practice)
    title: str
    text: str
    rule: str  # the citation
    url: str = ""  # the citation's address


@dataclass(frozen=True)
class Regime:
    """A body of procurement law."""

    key: str
    name: str
    url: str


PCR2015 = Regime("pcr2015", "Public Contracts Regulations 2015", PCR_URL)
PA2023 = Regime("pa2023", "Procurement Act 2023 and Procurement Regulations 2024", ACT_URL)


@dataclass(frozen=True)
class Thresholds:
    """The thresholds, including VAT, for a council's procurements started on or after a day."""

    effective_from: date
    light_touch: Decimal  # light touch services, which cover most care
    goods_and_services: Decimal  # other goods and services for a sub-central authority
    notifiable_below: Decimal  # below threshold, the value from which notices are due (Contracts Finder under PCR)
    includes_vat: bool
    source: str
    label: str = ""


THRESHOLDS: tuple[Thresholds, ...] = (
    Thresholds(
        date(2022, 1, 1), Decimal("663540"), Decimal("213477"), Decimal("25000"), True, pcr(5),
        "PCR 2015, reg 5 as amended from 1 January 2022: thresholds include VAT (PPN 10/21)",
    ),
    Thresholds(
        date(2022, 12, 21), Decimal("663540"), Decimal("213477"), Decimal("30000"), True, pcr(109),
        "Public Contracts (Amendment) Regulations 2022: Contracts Finder from £30,000 (PPN 01/23)",
    ),
    Thresholds(
        date(2024, 1, 1), Decimal("663540"), Decimal("214904"), Decimal("30000"), True,
        "https://www.gov.uk/government/publications/procurement-policy-note-1123-new-thresholds-from-1-january-2024",
        "PPN 11/23: thresholds from 1 January 2024",
    ),
    Thresholds(
        ACT_COMMENCEMENT, Decimal("663540"), Decimal("214904"), Decimal("30000"), True, f"{ACT_URL}/schedule/1",
        "Procurement Act 2023, Schedule 1 (rows 8 and 12) and s87",
    ),
    Thresholds(
        date(2026, 1, 1), Decimal("663540"), Decimal("207720"), Decimal("30000"), True,
        "https://www.legislation.gov.uk/uksi/2025/1200",
        "Procurement Act 2023 (Threshold Amounts) (Amendment) Regulations 2025 (PPN 023)",
    ),
)  # fmt: skip

# --- The words of the advice: (title, text), filled in with str.format when the advice is given --------------------

WORDS = {
    "regime-act": (
        gettext_lazy("The Procurement Act 2023 applies"),
        gettext_lazy("This procurement starts on {day}, on or after 24 February 2025, so the Procurement Act 2023 "
                     "and the Procurement Regulations 2024 apply to it."),
    ),
    "regime-pcr": (
        gettext_lazy("The Public Contracts Regulations 2015 apply"),
        gettext_lazy("This procurement started on {day}, before the Procurement Act 2023 came into force on 24 "
                     "February 2025. A procurement keeps the rules it started under, so the old rules, the Public "
                     "Contracts Regulations 2015, apply to it to the end."),
    ),
    "grant-route": (
        gettext_lazy("A grant is not a public contract"),
        gettext_lazy("A grant that is not paid in return for services supplied to the council is not a public "
                     "contract, so the procurement notices and procedures do not apply: follow your council's grant "
                     "rules and {subsidy}. If the council specifies the service and pays for its delivery, it may "
                     "be a contract in law: take advice. The good practice below still helps SMEs and VCSEs."),
    ),
    "value-missing": (
        gettext_lazy("Enter the estimated value"),
        gettext_lazy("Enter the estimated total value including VAT to see the threshold, notice and reservation "
                     "advice."),
    ),
    "threshold-unknown": (
        gettext_lazy("Check the threshold that applied"),
        gettext_lazy("Thresholds are held here from 1 January 2022. Check the threshold that applied on {day}."),
    ),
    "threshold-above": (
        gettext_lazy("At or above the threshold"),
        gettext_lazy("{value} including VAT is at or above the {kind} threshold of {threshold} for procurements "
                     "started on or after {since}."),
    ),
    "threshold-below": (
        gettext_lazy("Below the threshold"),
        gettext_lazy("{value} including VAT is below the {kind} threshold of {threshold} for procurements started on "
                     "or after {since}."),
    ),
    "notifiable": (
        gettext_lazy("A notifiable below-threshold contract"),
        gettext_lazy("At or above {floor} including VAT, so the below-threshold notice rules apply."),
    ),
    "below-notifiable": (
        gettext_lazy("No notices required by law"),
        gettext_lazy("Below {floor} including VAT there is no duty to publish notices. Advertising openly is still "
                     "good practice: it helps SMEs find the opportunity."),
    ),
    "notice-uk4": (
        gettext_lazy("Publish a tender notice (UK4)"),
        gettext_lazy("Publish a tender notice on the Central Digital Platform (Find a Tender) before you invite "
                     "tenders, unless a direct award is justified (then a transparency notice instead)."),
    ),
    "notice-uk6": (
        gettext_lazy("Publish a contract award notice (UK6)"),
        gettext_lazy("Before you enter into the contract, publish a contract award notice and give every bidder an "
                     "assessment summary of its tender."),
    ),
    "notice-uk7": (
        gettext_lazy("Publish a contract details notice (UK7)"),
        gettext_lazy("Publish a contract details notice within {days} days of entering into the contract (120 days "
                     "for a light touch contract, 30 for others)."),
    ),
    "tender-period-proportionate": (
        gettext_lazy("No minimum tender period, but a proportionate one"),
        gettext_lazy("A light touch contract has no minimum tender period, but the period must be proportionate to "
                     "the contract's nature and complexity, with time for bidders to form consortia and arrange "
                     "sub-contracting."),
    ),
    "tender-period-minimum": (
        gettext_lazy("Minimum tender periods apply"),
        gettext_lazy("This is not a light touch contract, so the Act's minimum tender periods apply: check the "
                     "minimum for your procedure and treat it as a floor, not a target."),
    ),
    "standstill-voluntary": (
        gettext_lazy("Standstill is voluntary"),
        gettext_lazy("A light touch contract needs no standstill period before it is entered into. You may still "
                     "choose one (8 working days) to lower the risk of a challenge after award."),
    ),
    "standstill": (
        gettext_lazy("Observe a standstill period"),
        gettext_lazy("Wait at least 8 working days after the contract award notice before entering into the "
                     "contract."),
    ),
    "kpis-light-touch": (
        gettext_lazy("No KPIs need be set and published"),
        gettext_lazy("The duty to set and publish at least three key performance indicators for contracts over £5 "
                     "million does not apply to light touch contracts. Check with your legal team whether a serious "
                     "breach must still be published in a contract performance notice."),
    ),
    "notice-below-threshold": (
        gettext_lazy("If you advertise it, publish a below-threshold tender notice"),
        gettext_lazy("If you advertise this opportunity, publish a below-threshold tender notice (UK4) on the "
                     "Central Digital Platform (Find a Tender) before advertising it anywhere else. You need not "
                     "advertise if you invite quotes from chosen suppliers."),
    ),
    "notice-uk7-below": (
        gettext_lazy("After award, publish a contract details notice (UK7)"),
        gettext_lazy("Once the contract is entered into, publish a contract details notice on the Central Digital "
                     "Platform as soon as reasonably practicable."),
    ),
    "no-prequalification": (
        gettext_lazy("No pre-qualification step"),
        gettext_lazy("Below threshold there may be no pre-qualification (suitability) stage that shortlists "
                     "bidders: let every interested supplier tender, and check suitability with the tenders."),
    ),
    "prequalification-not-allowed": (
        gettext_lazy("Remove the pre-qualification step"),
        gettext_lazy("Below threshold you may not shortlist bidders by assessing their suitability (financial "
                     "standing, technical ability) before they tender. Let every interested supplier tender and "
                     "check suitability with the tenders."),
    ),
    "pcr-notices": (
        gettext_lazy("Advertise on Find a Tender and Contracts Finder"),
        gettext_lazy("Under the 2015 Regulations, advertise it on Find a Tender (for light touch services a "
                     "contract notice or a prior information notice), publish it on Contracts Finder too, and "
                     "publish the award."),
    ),
    "pcr-contracts-finder": (
        gettext_lazy("If you advertise it, publish it on Contracts Finder"),
        gettext_lazy("Under the 2015 Regulations, if you advertise this opportunity, publish it on Contracts "
                     "Finder, and publish the award there afterwards."),
    ),
    "sme-barriers": (
        gettext_lazy("Have regard to the barriers SMEs face"),
        gettext_lazy("Have regard to the particular barriers small and medium-sized enterprises face, and consider "
                     "how to remove or reduce them: plain documents, proportionate requirements, enough time, and "
                     "lots."),
    ),
    "reservation-pcr": (
        gettext_lazy("This competition cannot be reserved"),
        gettext_lazy("It started under the 2015 Regulations. Councils may reserve below-threshold competitions only "
                     "in procurements under the Procurement Act 2023 started on or after 4 February 2026."),
    ),
    "reservation-early": (
        gettext_lazy("Too early to reserve this competition"),
        gettext_lazy("It starts on {day}, before 4 February 2026, when councils could first reserve below-threshold "
                     "competitions for local or UK suppliers, with the guidance on reserving for SMEs and VCSEs. "
                     "Open it to all, or take legal advice."),
    ),
    "reservation-above": (
        gettext_lazy("An above-threshold contract cannot be reserved this way"),
        gettext_lazy("Reserving for local, UK, SME or VCSE suppliers is allowed only below the threshold. Above it, "
                     "the Act allows reservation only for supported employment providers and, for some light touch "
                     "services, public service mutuals."),
    ),
    "reservation-allowed": (
        gettext_lazy("You may reserve this competition"),
        gettext_lazy("Below the threshold and started on or after 4 February 2026, this competition may be reserved "
                     "for {who}. State the reservation in the tender notice."),
    ),
    "lots-divided": (
        gettext_lazy("Divided into {n} lots"),
        gettext_lazy("Say in the tender notice whether a bidder may win more than one lot, and keep each lot's "
                     "requirements proportionate so that an SME can bid for one."),
    ),
    "lots-reason-required": (
        gettext_lazy("Give the reasons for not dividing into lots"),
        gettext_lazy("Consider whether the contract could be divided into lots. If you decide not to, give your "
                     "reasons in the tender notice or the tender documents."),
    ),
    "lots-reason-practice": (
        gettext_lazy("Consider lots, and explain a decision not to"),
        gettext_lazy("Smaller lots let SMEs bid. Decide whether to divide the work into lots and, if not, say why."),
    ),
    "tender-period-short": (
        gettext_lazy("The tender period is short"),
        gettext_lazy("Only {days} days from publishing to the tender deadline. SMEs need time to understand the "
                     "requirement, form consortia and find sub-contractors: allow at least {minimum} days."),
    ),
    "dates": (
        gettext_lazy("{what}"),
        gettext_lazy("Check these dates: they are in the wrong order."),
    ),
    "turnover-act": (
        gettext_lazy("The turnover asked for is disproportionate"),
        gettext_lazy("{asked} a year is more than twice the contract's yearly value ({limit}). Conditions must be "
                     "proportionate. The old limit of twice the value is now guidance, not law, but a higher figure "
                     "shuts out many SMEs: lower it or record why it is needed."),
    ),
    "turnover-pcr-law": (
        gettext_lazy("The turnover asked for breaks the 2015 Regulations"),
        gettext_lazy("{asked} a year is more than twice the estimated contract value. The minimum yearly turnover "
                     "must not exceed twice the contract value, except in duly justified cases: lower it, or record "
                     "the justification."),
    ),
    "turnover-pcr-annual": (
        gettext_lazy("The turnover asked for is disproportionate"),
        gettext_lazy("{asked} a year is within the limit of twice the whole contract value, but more than twice its "
                     "yearly value ({limit}), which shuts out many SMEs."),
    ),
    "turnover-grant": (
        gettext_lazy("The turnover asked for is disproportionate"),
        gettext_lazy("{asked} a year is more than twice the yearly value ({limit}); it shuts out small "
                     "organisations."),
    ),
    "insurance-disproportionate": (
        gettext_lazy("The insurance asked for is disproportionate"),
        gettext_lazy("{asked} of cover is asked for a contract worth {annual} a year. £5 million is the legal "
                     "minimum for employers' liability; asking more of a small contract is rarely proportionate and "
                     "shuts out SMEs."),
    ),
    "payment-30-days": (
        gettext_lazy("Pay valid invoices within 30 days"),
        gettext_lazy("Pay valid, undisputed invoices within 30 days. Write the term into the contract and require "
                     "it in every sub-contract down the supply chain."),
    ),
    "payment-grant": (
        gettext_lazy("Pay on time"),
        gettext_lazy("Pay grant instalments on time: cash flow decides whether a small organisation survives."),
    ),
    "payments-compliance-notice": (
        gettext_lazy("Payments compliance notice (UK17) every six months"),
        gettext_lazy("From {day} the council publishes a payments compliance notice within 30 days of each 31 March "
                     "and 30 September: average days to pay, and the share paid within 30, 31 to 60 and 61 or more "
                     "days. This contract's invoices count."),
    ),
    "payments-over-30k": (
        gettext_lazy("Payments over £30,000 published each quarter"),
        gettext_lazy("From {day} the council publishes, within 30 days of each quarter's end, every payment over "
                     "£30,000 made under a public contract."),
    ),
    "psr-mixed": (
        gettext_lazy("Health care: take legal advice on the regime"),
        gettext_lazy("The Provider Selection Regime covers health care services, not social care. For a procurement "
                     "led by the NHS or mixing health and social care, take legal advice on which rules apply: this "
                     "is flagged here, not decided.{before}"),
    ),
    "social-value-missing": (
        gettext_lazy("Give social value a weight"),
        gettext_lazy("Include social value in the award criteria with a stated weight: local SMEs and VCSEs often "
                     "add most of it, and the weight tells bidders it counts."),
    ),
    "price-weight-high": (
        gettext_lazy("Price carries a very high weight"),
        gettext_lazy("Price is {weight}% of the evaluation, so quality and innovation count for little. Look for "
                     "the best price-quality balance, check that the lowest price can pay the care workforce "
                     "lawfully and sustainably, and investigate an abnormally low tender before deciding on it."),
    ),
}  # fmt: skip


def _advice(key: str, level: str, cite: tuple[str, str], words: str | None = None, **fill: object) -> Advice:
    title, text = WORDS[words or key]
    return Advice(key, level, str(title).format(**fill), str(text).format(**fill), *cite)


# --- Dates, thresholds and values ----------------------------------------------------------------------------------


class ThresholdsMissing(LookupError):
    """No thresholds are held for the day asked about (before the first entry of THRESHOLDS)."""


def regime_for(start: date) -> Regime:
    """The Act for procurements started on or after 24 February 2025; the 2015 Regulations for those before."""
    return PA2023 if start >= ACT_COMMENCEMENT else PCR2015


def thresholds_on(day: date) -> Thresholds:
    """The thresholds in force on a day; ThresholdsMissing before the first held."""
    held = [t for t in THRESHOLDS if t.effective_from <= day]
    if not held:
        raise ThresholdsMissing(f"No procurement thresholds are held for {_day(day)}")
    return max(held, key=lambda t: t.effective_from)


def _thresholds_or_none(day: date) -> Thresholds | None:
    try:
        return thresholds_on(day)
    except ThresholdsMissing:
        return None


def threshold_for(p: Procurement) -> Decimal | None:
    """The threshold for this procurement's kind on its start date, or None when none is held for that day."""
    t = _thresholds_or_none(p.start)
    return None if t is None else t.light_touch if p.light_touch else t.goods_and_services


def is_above_threshold(p: Procurement) -> bool | None:
    """Whether the value including VAT reaches the threshold ("not less than" it); None when it cannot be told."""
    threshold = threshold_for(p)
    return None if p.value is None or threshold is None else Decimal(p.value) >= threshold


def is_notifiable(p: Procurement) -> bool | None:
    """Below threshold and at or above the value from which notices are due (£30,000 for a council since Dec 2022)."""
    above, t = is_above_threshold(p), _thresholds_or_none(p.start)
    return None if above is None or t is None else not above and Decimal(p.value) >= t.notifiable_below


def annual_value_of(p: Procurement) -> Decimal | None:
    """The yearly value: as entered, else the value spread over the duration in years (at least one), else None."""
    if p.annual_value is not None:
        return Decimal(p.annual_value)
    if p.value is None:
        return None
    return Decimal(p.value) / max(Decimal(1), Decimal(p.duration_years or 1))


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _money(amount: Decimal) -> str:
    amount = Decimal(amount)
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


@dataclass(frozen=True)
class _Facts:
    act: bool  # the Procurement Act applies (else the 2015 Regulations)
    grant: bool
    thresholds: Thresholds | None
    threshold: Decimal | None
    above: bool | None  # None: the value is missing or no threshold is held
    notifiable: bool | None


def _facts(p: Procurement) -> _Facts:
    return _Facts(
        act=regime_for(p.start) is PA2023,
        grant=p.funding_route == "grant",
        thresholds=_thresholds_or_none(p.start),
        threshold=threshold_for(p),
        above=is_above_threshold(p),
        notifiable=is_notifiable(p),
    )


def _act_by_value(f: _Facts, above: str, below: str) -> tuple[str, str]:
    """The Act's section for above or below threshold, or both when the value is not known yet."""
    if f.above is None:
        return _cite_act(above, f" (above threshold) and {below} (below threshold)")
    return _cite_act(above if f.above else below)


# --- One function per rule -----------------------------------------------------------------------------------------


def _regime(p: Procurement, f: _Facts) -> list[Advice]:
    if f.act:
        cite, words = _cite("Procurement Act 2023; Procurement Regulations 2024", ACT_URL), "regime-act"
    else:
        rule = "Public Contracts Regulations 2015 (procurements started before 24 February 2025)"
        cite, words = _cite(rule, PCR_URL), "regime-pcr"
    return [_advice("regime", INFO, cite, words, day=_day(p.start))]


def _funding(p: Procurement, f: _Facts) -> list[Advice]:
    if not f.grant:
        return []
    subsidy = _("the Subsidy Control Act 2022") if p.start >= SUBSIDY_CONTROL_FROM else _("the subsidy rules then")
    contract = "Procurement Act 2023, s3" if f.act else "Public Contracts Regulations 2015, reg 2"
    cite = _cite(f"{contract} (public contracts); Subsidy Control Act 2022", SUBSIDY_URL)
    return [_advice("grant-route", INFO, cite, subsidy=subsidy)]


def _threshold(p: Procurement, f: _Facts) -> list[Advice]:
    if f.grant:
        return []
    cite = _cite("Procurement Act 2023, s3 and Schedule 1", f"{ACT_URL}/schedule/1") if f.act else _cite_pcr("reg 5")
    if p.value is None:
        return [_advice("value-missing", INFO, cite)]
    if f.thresholds is None:
        return [_advice("threshold-unknown", INFO, cite, day=_day(p.start))]
    words = "threshold-above" if f.above else "threshold-below"
    kind = _("light touch") if p.light_touch else _("goods and services")
    fill = {"value": _money(p.value), "threshold": _money(f.threshold), "since": _day(f.thresholds.effective_from)}
    advice = [_advice("threshold", INFO, cite, words, kind=kind, **fill)]
    if f.above:
        return advice
    notice = _cite_act("s87") if f.act else _cite_pcr("regs 109 to 112")
    key = "notifiable" if f.notifiable else "below-notifiable"
    return advice + [_advice(key, INFO, notice, floor=_money(f.thresholds.notifiable_below))]


def _dated(advice: Advice, sentence: str) -> Advice:
    """The advice with a sentence saying when, worked out from the procurement's own dates."""
    return replace(advice, text=f"{advice.text} {sentence}")


def _tender_notice_when(advice: Advice, p: Procurement) -> Advice:
    if p.tender_published is None:
        return advice
    return _dated(
        advice, _("For this procurement: on {day}, when the tender is published.").format(day=_day(p.tender_published))
    )


def _notices_act_above(p: Procurement) -> list[Advice]:
    days = 120 if p.light_touch else 30
    details = _advice("notice-uk7", REQUIRED, _cite_act("s53"), days=days)
    if p.contract_start is not None:
        due = p.contract_start + timedelta(days=days)
        details = _dated(
            details,
            _("If the contract is entered into when it starts ({start}), publish it by {due}.").format(
                start=_day(p.contract_start), due=_day(due)
            ),
        )
    advice = [
        _tender_notice_when(_advice("notice-uk4", REQUIRED, _cite_act("s21(1)")), p),
        _advice("notice-uk6", REQUIRED, _cite_act("s50")),
        details,
    ]
    if not p.light_touch:
        return advice + [
            _advice("tender-period-minimum", REQUIRED, _cite_act("s54")),
            _advice("standstill", REQUIRED, _cite_act("s51")),
        ]
    return advice + [
        _advice("tender-period-proportionate", INFO, _cite_act("s54")),
        _advice("standstill-voluntary", INFO, _cite_act("s51")),
        _advice("kpis-light-touch", INFO, _cite_act("s52 (KPIs) and s71 (contract performance notices)")),
    ]


def _notices_act_below(p: Procurement, f: _Facts) -> list[Advice]:
    advice = []
    if f.notifiable:
        advice += [
            _tender_notice_when(_advice("notice-below-threshold", REQUIRED, _cite_act("s87")), p),
            _advice("notice-uk7-below", REQUIRED, _cite_act("s87")),
        ]
    if p.prequalification:
        return advice + [_advice("prequalification-not-allowed", WARNING, _cite_act("s85(1)"))]
    return advice + [_advice("no-prequalification", INFO, _cite_act("s85"))]


def _notices_pcr(p: Procurement, f: _Facts) -> list[Advice]:
    if f.above:
        regulation = "reg 75" if p.light_touch else "reg 49"
        return [_advice("pcr-notices", REQUIRED, _cite_pcr(regulation, "; Part 4 (Contracts Finder)"))]
    if not f.notifiable:
        return []
    advice = [_advice("pcr-contracts-finder", REQUIRED, _cite_pcr("regs 110 and 112"))]
    if p.prequalification:
        advice.append(_advice("prequalification-not-allowed", WARNING, _cite_pcr("reg 111")))
    return advice


def _notices(p: Procurement, f: _Facts) -> list[Advice]:
    if f.grant or f.above is None:
        return []
    if not f.act:
        return _notices_pcr(p, f)
    return _notices_act_above(p) if f.above else _notices_act_below(p, f)


def _sme_barriers(p: Procurement, f: _Facts) -> list[Advice]:
    if f.grant or not f.act:
        return []
    return [_advice("sme-barriers", INFO, _act_by_value(f, "s12(4)", "s86"))]


def _reservation(p: Procurement, f: _Facts) -> list[Advice]:
    if f.grant or not (p.reserved_local or p.reserved_uk or p.reserved_sme_vcse):
        return []
    cite = _cite(f"{RESERVATION_ORDER}; Local Government Act 1988, s17(5)(e)", RESERVATION_ORDER_URL)
    if not f.act:
        return [_advice("reservation-not-allowed", WARNING, cite, "reservation-pcr")]
    if p.start < RESERVATION_FROM:
        return [_advice("reservation-not-allowed", WARNING, cite, "reservation-early", day=_day(p.start))]
    if f.above is None:
        return []  # the value-missing advice asks for the value, on which reservation turns
    if f.above:
        above = _cite(f"{RESERVATION_ORDER} (below threshold only); Procurement Act 2023, s32 and s33", act(33))
        return [_advice("reservation-not-allowed", WARNING, above, "reservation-above")]
    who = [
        label
        for reserved, label in (
            (p.reserved_local, _("suppliers based in your area (with the bordering counties or London boroughs if "
                                 "you choose)")),
            (p.reserved_uk, _("suppliers based in the UK")),
            (p.reserved_sme_vcse, _("SMEs and VCSEs")),
        )
        if reserved
    ]  # fmt: skip
    allowed = _cite(f"{RESERVATION_ORDER}; Procurement Act 2023, Part 6 (below-threshold contracts)", cite[1])
    return [_advice("reservation-allowed", INFO, allowed, who=_(" and ").join(who))]


def _lots(p: Procurement, f: _Facts) -> list[Advice]:
    # The duty to consider lots binds above threshold; under the 2015 Regulations not for light touch services.
    law_binds = not f.grant and f.above is True and (f.act or not p.light_touch)
    law = _cite_act("s18") if f.act else _cite_pcr("reg 46(1)")
    practice = f"{TOOLKIT}, question 4"
    if f.act and not f.grant and f.above is not True:
        practice += (
            "; Procurement Act 2023, s86" if f.above is False else "; Procurement Act 2023, s18 (above threshold)"
        )
    if p.lots > 1:
        cite = _cite(f"{law[0]}; {practice}", law[1]) if law_binds else _cite(practice)
        return [_advice("lots-divided", INFO, cite, n=p.lots)]
    if p.no_lots_reason.strip():
        return []
    if law_binds:
        return [_advice("lots-reason-missing", REQUIRED, law, "lots-reason-required")]
    return [_advice("lots-reason-missing", GUIDANCE, _cite(practice), "lots-reason-practice")]


def _tender_period(p: Procurement, f: _Facts) -> list[Advice]:
    if p.tender_published is None or p.tender_deadline is None:
        return []
    days = (p.tender_deadline - p.tender_published).days
    if days < 0 or days >= TENDER_PERIOD_MIN_DAYS:
        return []  # a negative period is a date error, reported by _dates
    cite = _cite(f"{TOOLKIT}, question 5 (adequate tendering periods)")
    if f.act and not f.grant and f.above is not None:
        section = "s54" if f.above else "s86"
        cite = _cite_act(section, f"; {cite[0]}")
    return [_advice("tender-period-short", WARNING, cite, days=days, minimum=TENDER_PERIOD_MIN_DAYS)]


# The order a procurement's dates must keep: (key, the earlier date, the later date, what is wrong when they are not).
DATE_ORDER = (
    ("tender-deadline-before-published", "tender_published", "tender_deadline",
     gettext_lazy("The tender deadline is before the tender is published")),
    ("questions-before-published", "tender_published", "questions_deadline",
     gettext_lazy("The questions deadline is before the tender is published")),
    ("questions-after-deadline", "questions_deadline", "tender_deadline",
     gettext_lazy("The questions deadline is after the tender deadline")),
    ("award-before-deadline", "tender_deadline", "award_date", gettext_lazy("The award is before the tender deadline")),
    ("start-before-award", "award_date", "contract_start", gettext_lazy("The contract starts before it is awarded")),
)  # fmt: skip


def dates_out_of_order(dates: dict) -> list[tuple[str, str, str]]:
    """(key, the later date's name, what is wrong) for each pair of DATE_ORDER given and out of order."""
    return [
        (key, later, str(what))
        for key, earlier, later, what in DATE_ORDER
        if dates.get(earlier) is not None and dates.get(later) is not None and dates[later] < dates[earlier]
    ]


def _dates(p: Procurement, f: _Facts) -> list[Advice]:
    return [
        _advice(key, WARNING, _cite("Date check: the dates must be in order"), "dates", what=what)
        for key, _later, what in dates_out_of_order(vars(p))
    ]


def _turnover(p: Procurement, f: _Facts) -> list[Advice]:
    annual = annual_value_of(p)
    if p.minimum_turnover is None or annual is None or p.minimum_turnover <= TURNOVER_MULTIPLE * annual:
        return []
    fill = {"asked": _money(p.minimum_turnover), "limit": _money(TURNOVER_MULTIPLE * annual)}
    key = "turnover-disproportionate"
    if f.grant:
        return [
            _advice(key, WARNING, _cite(f"{TOOLKIT}, question 5 (proportionate processes)"), "turnover-grant", **fill)
        ]
    if not f.act:
        total = Decimal(p.value) if p.value is not None else annual
        words = "turnover-pcr-law" if p.minimum_turnover > TURNOVER_MULTIPLE * total else "turnover-pcr-annual"
        return [_advice(key, WARNING, _cite_pcr("reg 58(9)"), words, **fill)]
    section = "s22" if f.above is not False else "s86"
    return [_advice(key, WARNING, _cite_act(section, " (twice the value: guidance, not law)"), "turnover-act", **fill)]


def _insurance(p: Procurement, f: _Facts) -> list[Advice]:
    annual = annual_value_of(p)
    if p.insurance_required is None or annual is None:
        return []
    if p.insurance_required <= INSURANCE_MAX or annual >= SMALL_CONTRACT_ANNUAL:
        return []
    if f.grant:
        rule, url = f"{TOOLKIT}, question 5 (proportionate processes)", EL_INSURANCE_URL
    else:
        rule, url = _cite_act("s22" if f.above is not False else "s86") if f.act else _cite_pcr("reg 58")
    cite = _cite(f"{rule}; Employers' Liability (Compulsory Insurance) Regulations 1998, reg 3", url)
    return [
        _advice("insurance-disproportionate", WARNING, cite, asked=_money(p.insurance_required), annual=_money(annual))
    ]


def _payment(p: Procurement, f: _Facts) -> list[Advice]:
    if f.grant:
        return [_advice("payment-30-days", GUIDANCE, _cite(f"{TOOLKIT}, question 16"), "payment-grant")]
    if not f.act:
        return [_advice("payment-30-days", INFO, _cite_pcr("reg 113"))]
    sections = "s68 and s73" if f.above else "s88 (implied payment terms below the threshold)"
    advice = [_advice("payment-30-days", INFO, _cite_act(sections, f"; {TOOLKIT}, question 16"))]
    if f.above:  # s69 and s70 report payments under public contracts only
        advice += [
            _advice("payments-compliance-notice", INFO, _cite_act("s69"), day=_day(PAYMENTS_COMPLIANCE_FROM)),
            _advice("payments-over-30k", INFO, _cite_act("s70"), day=_day(PAYMENTS_OVER_30K_FROM)),
        ]
    return advice


def _provider_selection(p: Procurement, f: _Facts) -> list[Advice]:
    if not p.health_led:
        return []
    before = (
        " " + _("Before 1 January 2024 the NHS procurement regulations applied instead.") if p.start < PSR_FROM else ""
    )
    cite = _cite("Health Care Services (Provider Selection Regime) Regulations 2023", PSR_URL)
    return [_advice("psr-mixed", WARNING, cite, before=before)]


def _evaluation(p: Procurement, f: _Facts) -> list[Advice]:
    advice = []
    if not p.social_value_weight:
        if f.grant:
            cite = _cite(f"{TOOLKIT}, question 11")
        elif f.act:
            cite = _cite_act("s19 (most advantageous tender)", f"; {SOCIAL_VALUE}; {TOOLKIT}, question 11")
        else:
            cite = _cite_pcr("reg 67", f"; Public Services (Social Value) Act 2012, s1; {TOOLKIT}, question 11")
        advice.append(_advice("social-value-missing", GUIDANCE, cite))
    if p.price_weight is not None and p.price_weight > PRICE_WEIGHT_MAX:
        questions = f"; {TOOLKIT}, questions 12 and 13"
        cite = _cite_act("s19", questions) if f.act else _cite_pcr("regs 67 and 69", questions)
        advice.append(_advice("price-weight-high", GUIDANCE, cite, weight=p.price_weight))
    return advice


RULES = (
    _regime, _funding, _threshold, _notices, _sme_barriers, _reservation, _lots, _tender_period, _dates, _turnover,
    _insurance, _payment, _provider_selection, _evaluation,
)  # fmt: skip


def advise(p: Procurement) -> list[Advice]:
    """The advice for a procurement, right for its start date: the regime first, then what the law requires,
    warnings, information and good practice. Never raises on incomplete input: what cannot be told is left out."""
    facts = _facts(p)
    advice = [a for rule in RULES for a in rule(p, facts)]
    return sorted(advice, key=lambda a: (a.key != "regime", LEVELS.index(a.level)))
