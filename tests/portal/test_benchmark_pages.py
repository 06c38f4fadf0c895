"""The benchmark measures the pages each capability registers: every one answers, as the person it is meant for."""

import pytest
from django.test import Client

from carenetwork.core.registry import BenchmarkContext, capabilities
from carenetwork.forums import portal_registration as forums_registration
from carenetwork.organisations.volume import benchmark_officer_ensure, benchmark_user_ensure, generate_volume
from carenetwork.procurement.volume import generate_procurement_volume
from carenetwork.records.volume import generate_records_volume
from carenetwork.training.volume import generate_training_volume

pytestmark = pytest.mark.django_db


def test_every_registered_benchmark_page_answers(settings, monkeypatch):
    settings.COUNCIL_MFA_REQUIRED = False
    monkeypatch.setitem(forums_registration.FORUM_VOLUMES, "council", {"meetings": 6, "items": 40})
    generate_volume(organisations=20, locations=30, people=40)
    generate_records_volume(staff=60, records=300)
    generate_training_volume(training_providers=2, courses=6, runs=20, interests=80)
    generate_procurement_volume(opportunities=8, open=3, questions=20, contracts=2)
    member, own = benchmark_user_ensure()
    officer = benchmark_officer_ensure()
    bench = BenchmarkContext(volume="council", member=member, member_organisation=own, officer=officer)

    pages = [page for capability in capabilities() if capability.benchmark for page in capability.benchmark(bench)]

    assert not bench.missing
    names = {page.name.split(" (")[0] for page in pages}
    assert {"forum", "issue log", "training overview", "skills gap", "course list", "programme report"} <= names
    assert {"opportunities board", "opportunity page", "questions to answer", "payment on time"} <= names
    clients = {}
    for as_officer, person in ((False, member), (True, officer)):
        clients[as_officer] = Client()
        clients[as_officer].force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    for page in pages:
        assert clients[page.as_officer].get(page.path).status_code == 200, page
    counts = {k: v for capability in capabilities() if capability.counts for k, v in capability.counts().items()}
    assert counts["staff"] == 60 and counts["training records"] == 300
