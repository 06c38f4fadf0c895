"""Pages not reached by the journeys, each checked with axe in its empty and error states."""

import pytest

from carenetwork.organisations.models import Membership
from tests.browser.pages import assert_accessible, assert_error_summary_links_to_fields, sign_in, submit

# (label, who, path, then: None or a step that produces the error state)
PAGES = [
    ("Sectors", "council_admin", "/organisations/council/sectors/", None),
    ("Add a sector: error", "council_admin", "/organisations/council/sectors/add/", submit),
    ("Change a sector", "council_admin", "/organisations/council/sectors/{sector}/edit/", None),
    ("Import from CQC", "council_admin", "/organisations/council/import-cqc/", None),
    ("Import from CQC: error", "council_admin", "/organisations/council/import-cqc/", submit),
    ("Appoint an admin: error", "council_admin", "/organisations/{provider}/appoint-admin/", submit),
    ("Invite a person: error", "provider_admin", "/organisations/{provider}/people/invite/", submit),
    ("Change a role", "provider_admin", "/organisations/{provider}/people/{membership}/role/", None),
    ("Remove a person", "provider_admin", "/organisations/{provider}/people/{membership}/remove/", None),
    ("Ask to join an organisation", "other_admin", "/organisations/{provider}/join/", None),
    ("Forums, as a provider who may join one", "other_admin", "/forums/", None),
    ("Ask to join a forum", "other_admin", "/forums/home-care/join/", None),
    ("Forums, as a lead", "council_officer", "/forums/", None),
    ("Create a forum: error", "council_officer", "/forums/add/", submit),
    ("Change a forum", "council_officer", "/forums/{forum}/edit/", None),
    ("Forum member organisations", "council_officer", "/forums/{forum}/members/", None),
    ("Add a member organisation: error", "council_officer", "/forums/{forum}/members/add/", submit),
]


@pytest.mark.parametrize(("label", "who", "path", "then"), [pytest.param(*p, id=p[0]) for p in PAGES])
def test_page_is_accessible(request, page, forum, provider, provider_member, label, who, path, then):
    sign_in(page, request.getfixturevalue(who))
    page.goto(
        path.format(
            provider=provider.pk,
            forum=forum.slug,
            sector=provider.sectors.get().pk,
            membership=Membership.objects.get(user=provider_member, organisation=provider).pk,
        )
    )
    assert page.locator("h1").count() == 1, f"{label}: {page.url} has no heading"
    if then:
        then(page)
        assert_error_summary_links_to_fields(page)
    assert_accessible(page, label)
