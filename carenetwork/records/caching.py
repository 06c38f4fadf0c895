"""Caching the training aggregates, which read tens of thousands of covers for one large provider and a million
records for the whole market.

A provider's figures are cached under a version of its records that every write changes (and a version of the
council's rules and taxonomies), so they are never stale: the cache must be shared between servers (CACHE_URL) in
production. The market-wide figures are cached for RECORDS_REPORT_CACHE_SECONDS and may be that old.
RECORDS_REPORT_CACHE_SECONDS = 0 turns both off.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache

RULES = "rules"
A_DAY = 24 * 60 * 60


def _version_key(name) -> str:
    return f"records:version:{name}"


def _version(name) -> str:
    key = _version_key(name)
    version = cache.get(key)
    if version is None:
        version = secrets.token_hex(8)
        cache.set(key, version, None)
    return version


def records_changed(organisation_ids) -> None:
    """Forget these providers' cached figures: their staff, records or own requirements changed."""
    cache.delete_many([_version_key(pk) for pk in set(organisation_ids)])


def rules_changed() -> None:
    """Forget every provider's cached figures: the council's rules, taxonomies or settings changed."""
    cache.delete(_version_key(RULES))


def sectors_of(organisation) -> tuple[int, ...]:
    """The organisation's sectors, part of its cache keys (its mandatory training follows them); no query when
    they were prefetched."""
    return tuple(sorted(sector.pk for sector in organisation.sectors.all()))


def cached_report(kind: str, compute, *, organisation_id: int | None = None, rules_only: bool = False, **params):
    """The report from the cache, or computed now and kept: for one provider until its records change, for the
    council's settings until they change (each at most a day), for the whole market RECORDS_REPORT_CACHE_SECONDS."""
    timeout = settings.RECORDS_REPORT_CACHE_SECONDS
    if not timeout:
        return compute()
    if organisation_id is not None:
        params.update(organisation=organisation_id, version=_version(organisation_id))
    if organisation_id is not None or rules_only:
        params.update(rules=_version(RULES))
        timeout = A_DAY
    key = "records:report:" + hashlib.sha256(repr((kind, sorted(params.items()))).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
