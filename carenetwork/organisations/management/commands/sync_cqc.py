"""manage.py sync_cqc [--since WHEN] [--local-authority NAME]: apply the changes CQC's API lists since the last sync."""

import argparse
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carenetwork.organisations.cqc import api, sync


def moment(value: str) -> datetime.datetime:
    """A date (the start of that day here) or a date and time (here, unless it gives its offset or Z)."""
    try:
        if len(value.strip()) == 10:
            day = datetime.date.fromisoformat(value.strip())
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"give a date such as 2025-03-21, or a date and time such as 2025-03-21T06:30, not {value!r}"
        ) from error
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def local(when: datetime.datetime) -> str:
    return f"{timezone.localtime(when):%d %B %Y %H:%M:%S %Z}"


class Command(BaseCommand):
    help = (
        "Bring the directory in step with CQC's register: fetch the locations and providers CQC's API lists as "
        "changed since the last successful sync, and apply them as the CQC file import does. Needs CQC_API_KEY. "
        "Safe to repeat: records are matched by CQC ID, and a failed sync changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=moment,
            default=None,
            help=(
                "Fetch changes from this date (YYYY-MM-DD) or moment (YYYY-MM-DDTHH:MM). Default: the end of the last "
                "successful sync; the first sync needs it (the date of the CQC data you last imported)."
            ),
        )
        parser.add_argument("--local-authority", default="", help="Only apply locations in this local authority")

    def handle(self, *args, since, local_authority, **options):
        key = sync.configured_key()
        if not key:
            self.stdout.write(self.style.WARNING("CQC_API_KEY is not set: nothing was fetched."))
            return
        if since is None:
            since = sync.last_synced(local_authority)
            if since is None:
                raise CommandError(
                    "There is no earlier CQC sync to start from"
                    + (f" for {local_authority}" if local_authority.strip() else "")
                    + ": give --since YYYY-MM-DD, the date of the CQC data you last imported."
                )
        verbosity = options["verbosity"]
        try:
            result = sync.sync_changes(
                actor=None,
                fetch=api.UrllibFetch(key=key),
                base_url=settings.CQC_API_BASE_URL,
                since=since,
                local_authority=local_authority,
                progress=self.stdout.write if verbosity >= 2 else None,
            )
        except (api.CqcApiError, ValidationError) as error:
            message = str(error) if isinstance(error, api.CqcApiError) else " ".join(error.messages)
            raise CommandError(
                f"{message} Nothing was changed; the next sync starts from {local(since)} again."
            ) from error
        self.print_result(result, verbosity=verbosity)

    def print_result(self, result: sync.SyncResult, *, verbosity: int) -> None:
        write, report = self.stdout.write, result.report
        write(
            f"CQC's API lists {result.changed_locations} locations and {result.changed_providers} providers as "
            f"changed from {local(result.since)} to {local(result.until)} ({result.requests} requests)."
        )
        for line in report.summary(verbosity=verbosity):
            write(line)
        if report.changed:
            write(self.style.SUCCESS(f"Done: {report.changes} organisations and locations added or updated."))
        else:
            write(self.style.SUCCESS("Nothing changed: the portal already matches CQC's changes."))
        write(f"The next sync starts from {local(result.until)}.")
