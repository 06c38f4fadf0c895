"""Authorisation matrix rows for the records imports pages (see tests/test_authorisation_matrix.py).

Only the provider's admins import and export its staff and training: every other role is refused (403), and the
anonymous visitor is sent to sign in. `_run` is a finished import of the provider's, so confirming it again only
redirects back to its page.
"""

from django.core.files.base import ContentFile

from carenetwork.records.models import ImportRun
from tests.matrix_roles import REDIRECT, only


def _run(w):
    run = ImportRun(organisation=w.provider, kind=ImportRun.Kind.TRAINING, original_name="training.csv")
    run.status = ImportRun.Status.DONE
    run.file.save("matrix.csv", ContentFile(b"LOCALESTID\n"), save=False)
    run.save()
    return [w.provider.pk, run.pk]


IMPORTS_CASES = [
    ("records:import-start", lambda w: [w.provider.pk], "get", only("provider_admin")),
    ("records:import-detail", _run, "get", only("provider_admin")),
    ("records:import-confirm", _run, "post", only("provider_admin", status=REDIRECT)),
    ("records:import-progress", _run, "get", only("provider_admin")),
    ("records:import-report", _run, "get", only("provider_admin")),
    ("records:import-template", lambda w: [w.provider.pk, "training", "csv"], "get", only("provider_admin")),
    ("records:export", lambda w: [w.provider.pk], "get", only("provider_admin")),
]
