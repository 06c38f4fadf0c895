"""The Market Shaping Toolkit's questionnaires in its own words (../shared/seeds/002_1ca3469a8ad8a12d.txt): tool 1's
twelve questions (sections 1.1–1.3), tool 2's checklist for providers on the market position statement (section
2.3), tool 4's engagement methods (section 4.2) and tool 5's sixteen-point procurement checklist (sections 5.2–5.4).
`seed` puts version 1 of each in the database; the migrations, the demo and the browser tests (whose database is
flushed) call it. Pure data and one idempotent function."""

TOOL_1 = {
    "tool": "tool-1",
    "kind": "yes-no",
    "title": "Understanding providers' business: can we answer these questions?",
    "intro": (
        "Local authorities are invited to answer the questions in the table below and reflect on how well you "
        "understand your providers' costs."
    ),
    "questions": [
        # 1.1 How much do care services cost?
        ("Have we explored with SME providers how to judge a fair price for care?", "How much do care services cost?"),
        (
            "How do we know that all providers we contract with pay staff at least the minimum wage?",
            "How much do care services cost?",
        ),
        (
            "Do we have a process in place to uplift fees if there are changes to the minimum or living wage?",
            "How much do care services cost?",
        ),
        (
            "Do our fees and conditions encourage innovation and continuous improvement?",
            "How much do care services cost?",
        ),
        # 1.2 How do we encourage market sustainability?
        (
            "Do we have a clear idea of the characteristics of a well-run care business?",
            "How do we encourage market sustainability?",
        ),
        (
            "Do providers we contract with have robust business plans that are updated regularly and informed by our "
            "market position statement?",
            "How do we encourage market sustainability?",
        ),
        (
            "Have we identified sub-markets (e.g. in particular areas, or provision for particular care needs) where "
            "the market could not withstand the failure of the largest provider(s)?",
            "How do we encourage market sustainability?",
        ),
        (
            "Do we have an overview of what is collected from providers by the CQC, Clinical Commissioning Groups "
            "(CCGs), and the local authority? In the interests of efficiency, are we seeking to minimise duplication "
            "of effort by providers in completing this information for funders and inspectors?",
            "How do we encourage market sustainability?",
        ),
        # 1.3 How do we ensure a trained, quality workforce?
        (
            "Do we have strategic oversight of the training provision available locally for care and support staff?",
            "How do we ensure a trained, quality workforce?",
        ),
        (
            "Do we work with our providers to ensure there is suitable education and training provision across the "
            "care economy?",
            "How do we ensure a trained, quality workforce?",
        ),
        (
            "Is there a budget for effective training and development of staff; both for the cost of training and "
            "the cost of staff time?",
            "How do we ensure a trained, quality workforce?",
        ),
        (
            "Do local care and support wages encourage high staff retention, helping to ensure that services can be "
            "delivered to the agreed quality?",
            "How do we ensure a trained, quality workforce?",
        ),
    ],
}

# Section 2.3's "If you can't yet tick the box" column is each question's help. The toolkit's pointer to a 2015 list
# of published statements (its footnote 13, a link that no longer works) is left out.
TOOL_2 = {
    "tool": "tool-2",
    "kind": "yes-no",
    "title": "Checklist for providers: the market position statement",
    "intro": (
        "Key questions to ask yourself about a market position statement. If you can't yet tick the box, the hint "
        "under the question says what to do."
    ),
    "questions": [
        (
            "Does your local authority have a market position statement that covers your part of the market?",
            "If you're not sure if your local authority has a market position statement, it should be available on "
            "the local authority website. If they do not yet have one ask when they expect to.",
        ),
        (
            "Have you got a copy of the market position statement or know where to download one?",
            "Local authorities and health providers also prepare a Joint Strategic Needs Assessment (JSNA) and a "
            "Health and Wellbeing strategy. The market position statement will complement these two documents but "
            "should be more concise. For more information about social care demand and provision locally it may be "
            "useful for you to look at these other documents as well.",
        ),
        (
            "Have you contributed to the development of the market position statement or given feedback on its "
            "content?",
            "Statutory guidance states that local authorities should engage with providers when producing their "
            "market position statement and while many do, this is not universally the case. For the next edition of "
            "the market position statement ensure your perspective is heard and establish what would be useful for "
            "you to see. Contact your local authority and ask what the process is for being involved in the "
            "development of the next edition and whether a provider forum or other body can put in a request on "
            "behalf of the sector?",
        ),
        (
            "Has there been a discussion amongst your management team about its implications and the business "
            "opportunities of the market position statement?",
            "Put it on the agenda. Regardless of whether you contract with them or not, the actions of the local "
            "authority, and the local operating context, will have an impact on your business. Looking at the "
            "implications and business opportunities in the market position statement is particularly important "
            "when doing business planning.",
        ),
    ],
}

# The toolkit's table gives examples of less and more positive practice for each method; where its text survives
# the PDF's extraction whole, it is the method's help.
TOOL_4 = {
    "tool": "tool-4",
    "kind": "score",
    "title": "Engagement self-assessment",
    "intro": (
        "Rank the effectiveness of the methods of engagement you use between 0 (poor practice) to 5 (positive "
        "practice); importantly think about how effective they are for your SME providers. What needs to be done to "
        "improve the score? How do you think your providers would score your effectiveness?"
    ),
    "questions": [
        ("Provider forum", ""),
        ("Market position statement", ""),
        (
            "'Meet the commissioner' events",
            "Less positive: insufficient time for providers to be able to ask questions. More positive: notes and "
            "resources available after the event; balance of input, questions and discussion.",
        ),
        ("Briefing sessions", ""),
        (
            "Dedicated business support",
            "Less positive: business support is not specialised for care providers; training support is poor "
            "quality. More positive: the local authority provides free training to local SMEs, including those "
            "entering the market.",
        ),
        ("Working with local provider representative organisations", ""),
        (
            "Social media e.g. webinars, online Q&As",
            "Less positive: consultations do not appear to be taken seriously, often being 'tickbox' exercises "
            "involving pre-set question; real concerns are not addressed.",
        ),
        (
            "Community based engagement",
            "Less positive: poorly advertised with only 'known' providers involved. More positive: community "
            "contacts and organisations used to attract diverse mix of providers.",
        ),
        ("Other – do you use any other methods of SME engagement?", ""),
    ],
}

TOOL_5 = {
    "tool": "tool-5",
    "kind": "yes-no",
    "title": "Checklist for SME procurement",
    "intro": (
        "The checklist below is designed to pull together existing advice on good procurement so that local "
        "authorities can reflect on their practice. Give the council's evidence in the note."
    ),
    "questions": [
        # 5.2 Pre-tender phase
        (
            "Are we engaging with providers? (pre-tender)",
            "New EU procurement rules place an increased emphasis on consultation before and during the tender "
            "process to assess user need.",
        ),
        (
            "Have we considered the most appropriate way of funding the service?",
            "A grant can be an effective way of funding a voluntary organisation to deliver local services.",
        ),
        (
            "Do we know and use the options available beyond standard competitive procurement, avoiding full EU "
            "process when not needed?",
            "",
        ),
        (
            "Are we splitting larger contracts into smaller lots? If not, can we provide reasons for not doing so?",
            "",
        ),
        (
            "Have commissioners, procurement officers and SMEs worked together to produce compliant but simple and "
            "proportionate processes?",
            "E.g. allow adequate tendering periods; allow sufficient time for suppliers to form consortia; offer "
            "flexible interview dates.",
        ),
        ("Do we advertise our tender opportunities on Contracts Finder?", ""),
        # 5.3 Tendering phase
        ("Are we engaging with providers? (tendering)", ""),
        ("Is our invitation to tender documentation clear, concise and jargon-free?", ""),
        (
            "Are we using contract terms which are proportionate to the scale and complexity of the contract "
            "(standard ones wherever possible)?",
            "",
        ),
        (
            "Have we explained the evaluation process to tenderers at the outset, including the criteria to be used "
            "and their relative importance?",
            "",
        ),
        ("Are we including economic, environmental and social value criteria in all contracts?", ""),
        ("Do our evaluation criteria look at the 'best price-quality ratio'?", ""),
        ("Are we confident that the lowest price we accept is sustainable and lawful?", ""),
        # 5.4 Post contract
        ("Are we engaging with providers? (post contract)", ""),
        (
            "Are we offering and providing feedback that is as helpful as possible and designed to promote future "
            "improvement?",
            "",
        ),
        ("Are there arrangements in place to ensure that providers are paid in a timely manner?", ""),
    ],
}

TOOLS = [TOOL_1, TOOL_2, TOOL_4, TOOL_5]


def seed(apps, schema_editor=None) -> None:
    """Version 1 of each of the toolkit's question sets, unless it is there already."""
    QuestionSet = apps.get_model("assessment", "QuestionSet")
    Question = apps.get_model("assessment", "Question")
    # The initial migration's Question has no key yet; migration 0002 gives those questions theirs.
    keyed = any(f.name == "key" for f in Question._meta.get_fields())
    for tool in TOOLS:
        question_set, created = QuestionSet.objects.get_or_create(
            tool=tool["tool"],
            version=1,
            defaults={"title": tool["title"], "intro": tool["intro"], "kind": tool["kind"]},
        )
        if created:
            Question.objects.bulk_create(
                Question(question_set=question_set, order=n, text=text, help=help_text, **({"key": n} if keyed else {}))
                for n, (text, help_text) in enumerate(tool["questions"], start=1)
            )
