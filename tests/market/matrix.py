"""Authorisation matrix rows for the market pages (see tests/test_authorisation_matrix.py).

Every member of an organisation reads the overview, predicted demand and supply (aggregates; small sub-markets
hidden from providers); council staff read sustainability, which names providers; council administrators change the
market settings.
"""

from tests.matrix_roles import REDIRECT, SIGNED_IN, only

COUNCIL = only("council_officer", "council_admin")

MARKET_CASES = [
    ("market:overview", lambda w: [], "get", only(*SIGNED_IN)),
    ("market:demand", lambda w: [], "get", only(*SIGNED_IN)),
    ("market:supply", lambda w: [], "get", only(*SIGNED_IN)),
    ("market:sustainability", lambda w: [], "get", COUNCIL),
    ("market:settings", lambda w: [], "get", only("council_admin")),
    ("market:settings", lambda w: [], "post", only("council_admin", status=200)),
    ("market:returns", lambda w: [], "get", only("provider_admin", "other_admin")),
    ("market:returns-completion", lambda w: [], "get", COUNCIL),
    ("market:returns-completion-csv", lambda w: ["providers"], "get", COUNCIL),
    ("market:returns-completion-xlsx", lambda w: ["months"], "get", COUNCIL),
    ("market:return-edit", lambda w: [w.location.pk], "get", only("provider_admin")),
    ("market:return-no-change", lambda w: [w.location.pk], "post", only("provider_admin", status=REDIRECT)),
    # A provider's admins upload their returns (an empty POST: the form asks for a file).
    ("market:returns-upload", lambda w: [], "get", only("provider_admin", "other_admin")),
    ("market:returns-upload", lambda w: [], "post", only("provider_admin", "other_admin")),
    ("market:returns-template", lambda w: [], "get", only("provider_admin", "other_admin")),
]

# Needed services are public; anyone signed in but council staff registers interest (an empty POST: the form's
# errors); council staff add and change them and reply to each interest (tests/market/test_needed.py).
NOT_COUNCIL = [role for role in SIGNED_IN if role not in ("council_officer", "council_admin")]
MARKET_CASES += [
    ("market:needed", lambda w: [], "get", only(*SIGNED_IN, anonymous=200)),
    ("market:needed-detail", lambda w: [needed_for(w).pk], "get", only(*SIGNED_IN, anonymous=200)),
    ("market:needed-detail", lambda w: [needed_for(w).pk], "post", only(*NOT_COUNCIL)),
    ("market:needed-new", lambda w: [], "get", COUNCIL),
    ("market:needed-new", lambda w: [], "post", only("council_officer", "council_admin", status=200)),
    ("market:needed-edit", lambda w: [needed_for(w).pk], "get", COUNCIL),
    ("market:needed-edit", lambda w: [needed_for(w).pk], "post", only("council_officer", "council_admin", status=200)),
    (
        "market:needed-interest-reply",
        lambda w: [needed_for(w).interests.get().pk],
        "post",
        only("council_officer", "council_admin", status=200),
    ),
]


def needed_for(w):
    """An open needed service with one interest, from someone with no organisation (made once per world)."""
    if not hasattr(w, "needed"):
        from carenetwork.market.models_statement import NeededService, ServiceInterest
        from tests.factories import UserFactory

        w.needed = NeededService.objects.create(
            service="Dementia nursing beds", client_group="dementia", locality="Kingsmere", evidence="Few vacancies."
        )
        ServiceInterest.objects.create(need=w.needed, person=UserFactory(), name="Joy Mensah", note="A day group.")
    return w.needed


# The market position statement: published versions, their history and comparisons are public; council staff write
# the draft, publish (an empty POST: the form's error) and respond; providers and partners comment (an empty POST:
# 400 with the error).
COMMENTERS = ("provider_member", "provider_admin", "other_admin", "partner_member")
EVERYONE = only(*SIGNED_IN, anonymous=200)
MARKET_CASES += [
    ("market:statement", lambda w: no_args_once_published(w), "get", EVERYONE),
    ("market:statement-history", lambda w: [], "get", EVERYONE),
    ("market:statement-version", lambda w: [statement_for(w).number], "get", EVERYONE),
    ("market:statement-compare", lambda w: [], "get", EVERYONE),
    ("market:statement-draft", lambda w: [], "get", COUNCIL),
    ("market:statement-draft", lambda w: [], "post", only("council_officer", "council_admin", status=200)),
    ("market:statement-preview", lambda w: [], "get", COUNCIL),
    ("market:statement-section-new", lambda w: [], "get", COUNCIL),
    ("market:statement-section-new", lambda w: [], "post", only("council_officer", "council_admin", status=200)),
    (
        "market:statement-section",
        lambda w: [draft_section_for(w).pk],
        "post",
        only("council_officer", "council_admin", status=200),
    ),
    ("market:statement-section", lambda w: [draft_section_for(w).pk], "get", COUNCIL),
    ("market:statement-section-delete", lambda w: [draft_section_for(w).pk], "get", COUNCIL),
    (
        "market:statement-section-delete",
        lambda w: [draft_section_for(w).pk],
        "post",
        only("council_officer", "council_admin", status=REDIRECT),
    ),
    (
        "market:statement-comment",
        lambda w: [statement_for(w).sections.first().pk],
        "post",
        only(*COMMENTERS, status=400),
    ),
    ("market:statement-comments", lambda w: [], "get", COUNCIL),
    ("market:statement-respond", lambda w: [comment_for(w).pk], "get", COUNCIL),
    (
        "market:statement-respond",
        lambda w: [comment_for(w).pk],
        "post",
        only("council_officer", "council_admin", status=200),
    ),
]


def statement_for(w):
    """Version 1 of the statement, published by a council officer (made once per world)."""
    if not hasattr(w, "statement"):
        from carenetwork.market.statement_services import draft_sections, statement_publish
        from carenetwork.organisations.models import Membership, Organisation

        officer = Membership.objects.filter(organisation__kind=Organisation.Kind.COUNCIL).first().user
        draft_sections()
        w.statement = statement_publish(actor=officer, summary="First version")
    return w.statement


def no_args_once_published(w) -> list:
    statement_for(w)
    return []


def draft_section_for(w):
    from carenetwork.market.statement_services import draft_sections

    return draft_sections()[0]


def comment_for(w):
    """A provider admin's comment on the first section of version 1."""
    from carenetwork.market.models import SectionComment

    section = statement_for(w).sections.first()
    return SectionComment.objects.create(section=section, author=w.provider.memberships.first().user, text="A point")
