"""Background work for the directory: the daily sync with CQC's register, started by `manage.py run_scheduler`."""

from django.conf import settings
from django_tasks import task

from carenetwork.organisations.cqc import api, sync


class NoEarlierSync(Exception):
    """The scheduled sync continues from the last successful one; the first is run by hand."""


@task()
def sync_cqc() -> dict:
    """Apply what CQC's API lists as changed since the last successful sync, for the local authority that sync
    covered, as `manage.py sync_cqc` does. Without CQC_API_KEY it fetches nothing (the sync is not set up); before
    the first sync, run by hand with `manage.py sync_cqc --since DATE --local-authority NAME`, it fails saying so."""
    key = sync.configured_key()
    if not key:
        return {"fetched": False, "reason": "CQC_API_KEY is not set"}
    area = sync.last_sync_area()
    since = sync.last_synced(area) if area is not None else None
    if since is None:
        raise NoEarlierSync(
            "There is no earlier CQC sync to continue from: run `manage.py sync_cqc --since YYYY-MM-DD "
            "--local-authority NAME` once, with the date of the CQC data you last imported."
        )
    result = sync.sync_changes(
        actor=None,
        fetch=api.UrllibFetch(key=key),
        base_url=settings.CQC_API_BASE_URL,
        since=since,
        local_authority=area,
    )
    return {
        "fetched": True,
        "local_authority": area,
        "changed_locations": result.changed_locations,
        "changed_providers": result.changed_providers,
        "changes": result.report.changes,
        "until": result.until.isoformat(),
    }
