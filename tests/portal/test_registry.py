"""Capabilities show themselves to the portal by registering, and the portal gathers what they register."""

import pytest
from django.urls import reverse

from carenetwork.core import registry
from carenetwork.core.registry import Attention, Capability, Panel, attention_for, capabilities, register
from carenetwork.portal.navigation import navigation_for

pytestmark = pytest.mark.django_db


def test_each_capability_registers_in_installed_apps_order_with_what_the_portal_builds():
    found = {c.name: c for c in capabilities()}
    assert list(found) == [
        "forums",
        "records",
        "training",
        "market",
        "costofcare",
        "assessment",
        "procurement",
        "api",
    ]
    # The API has no pages of its own in the navigation or on the home page: its reference is in the footer and its
    # tokens on an organisation's page.
    api = found.pop("api")
    assert api.footer_links and api.organisation_links and api.benchmark
    for capability in found.values():
        assert capability.navigation and capability.panels and capability.demo and capability.benchmark
    assert found["records"].volume and found["training"].volume
    assert found["records"].counts and found["training"].counts and found["records"].reports
    assert found["procurement"].volume and found["procurement"].counts


def labels(user) -> list[str]:
    return [link["label"] for link in navigation_for(user, "/")]


def test_navigation_follows_each_persons_roles(
    provider, provider_admin, provider_member, council_officer, council_admin, training_admin
):
    assert labels(provider_admin) == [
        "Home",
        "Forums",
        "Directory",
        "Staff and training",
        "Training courses",
        "Market",
        "Cost of care",
        "Self-assessment",
        "Opportunities",
    ]
    assert labels(provider_member) == [
        "Home",
        "Forums",
        "Directory",
        "Training courses",
        "Market",
        "Cost of care",
        "Self-assessment",
        "Opportunities",
    ]
    assert labels(council_officer) == [
        "Home",
        "Forums",
        "Directory",
        "Training courses",
        "Skills picture",
        "Market",
        "Cost of care",
        "Self-assessment",
        "Opportunities",
    ]
    assert labels(council_admin) == [
        "Home",
        "Forums",
        "Directory",
        "Training courses",
        "Skills picture",
        "Market",
        "Cost of care",
        "Self-assessment",
        "Opportunities",
        "Administration",
    ]
    assert labels(training_admin) == ["Home", "Forums", "Directory", "Training courses", "Market", "Opportunities"]
    staff = next(link for link in navigation_for(provider_admin, "/") if link["label"] == "Staff and training")
    assert staff["href"] == reverse("records:dashboard", args=[provider.pk])


def test_the_current_page_is_marked_in_the_navigation(provider_admin):
    links = navigation_for(provider_admin, reverse("training:catalogue") + "?page=2")
    assert [link["label"] for link in links if link["active"]] == ["Training courses"]


def test_a_registered_panel_shows_only_what_counts(monkeypatch, provider_admin):
    monkeypatch.setattr(registry, "_registry", {})
    register(
        Capability(
            name="market",
            panels=[
                Panel(
                    title="Market",
                    items_for=lambda user: [Attention("2 things", 2, "/a/"), Attention("0 things", 0, "/b/")],
                ),
                Panel(title="Quiet", items_for=lambda user: [Attention("none", 0, "/c/")]),
                Panel(title="Elsewhere", items_for=lambda user: [Attention("1", 1, "/d/")], where="my-training"),
            ],
        )
    )
    shown = attention_for(provider_admin)
    assert [(panel.title, [item.text for item in items]) for panel, items in shown] == [("Market", ["2 things"])]
    assert [panel.title for panel, _items in attention_for(provider_admin, where="my-training")] == ["Elsewhere"]
