"""Authorisation matrix rows for the provider's staff register, records, matrix and overview.

Staff data is personal: only the provider's admins reach these pages. Its members, other providers and council
staff (who see aggregates on their own pages) are refused. "My training" is for anyone signed in, showing only
their own records.
"""

from tests.matrix_roles import REDIRECT, SIGNED_IN, only

ADMIN = only("provider_admin")


def _org(w):
    return [w.provider.pk]


def _staff(w):
    return [w.provider.pk, w.staff.pk]


def _record(w):
    return [w.provider.pk, w.record.pk]


def _own_rule(w):
    from carenetwork.records.models import MandatoryTraining

    rule = MandatoryTraining.objects.create(organisation=w.provider, category=w.record.category)
    return [w.provider.pk, rule.pk]


def _record_with_certificate(w):
    from django.core.files.base import ContentFile

    w.record.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    w.record.certificate_content_type = "application/pdf"
    w.record.save()
    return _record(w)


STAFF_CASES = [
    ("records:my-training", lambda w: [], "get", only(*SIGNED_IN)),
    ("records:dashboard", _org, "get", ADMIN),
    ("records:staff-list", _org, "get", ADMIN),
    ("records:staff-add", _org, "get", ADMIN),
    ("records:staff-detail", _staff, "get", ADMIN),
    ("records:staff-edit", _staff, "get", ADMIN),
    ("records:staff-leave", _staff, "get", ADMIN),
    ("records:record-add", _staff, "get", ADMIN),
    ("records:record-edit", _record, "get", ADMIN),
    ("records:record-delete", _record, "get", ADMIN),
    ("records:certificate", _record_with_certificate, "get", ADMIN),
    ("records:matrix", _org, "get", ADMIN),
    ("records:matrix-csv", _org, "get", ADMIN),
    ("records:matrix-xlsx", _org, "get", ADMIN),
    ("records:requirements", _org, "get", ADMIN),
    ("records:requirement-remove", _own_rule, "post", only("provider_admin", status=REDIRECT)),
]
