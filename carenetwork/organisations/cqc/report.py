"""What a CQC import did: counts of changes and the records it skipped, with the reason."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from django.utils.translation import gettext_lazy as _

# The group under which records older than the portal's data are counted.
OLDER = _("Older than the CQC data the portal already has")


@dataclass
class ImportReport:
    """Counts of what changed, and why records were skipped; kept small even for a national file."""

    # Only this many skipped records are listed one by one; every skip is still counted by reason.
    LISTED_LIMIT: ClassVar[int] = 500

    created_organisations: int = 0
    updated_organisations: int = 0
    created_locations: int = 0
    updated_locations: int = 0
    unchanged: int = 0  # records that matched the portal exactly
    total: int = 0  # records read from the file(s), whatever happened to them
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (reference, reason), up to LISTED_LIMIT
    skipped_count: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)
    data_date: datetime.date | None = None  # the date of the imported data
    # What was added and what was updated: (what, reference) such as ("Location", "Willow House (1-123456789)").
    added: list[tuple[str, str]] = field(default_factory=list)
    updated: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, reference: str, reason: str, *, count: int = 1, listed: bool = True, group: str = "") -> None:
        """Count skipped records under `group` (else the reason); list them unless enough are listed already."""
        self.skipped_count += count
        self.skipped_reasons[group or reason] += count
        if listed and len(self.skipped) < self.LISTED_LIMIT:
            self.skipped.append((reference, reason))

    def listed(self, items: list, kind: str, reference: str) -> None:
        """Name a record that was added or updated, unless enough are named already."""
        if len(items) < self.LISTED_LIMIT:
            items.append((kind, reference))

    @property
    def skipped_older(self) -> int:
        """Records not applied because the portal has newer CQC data about them."""
        return self.skipped_reasons[str(OLDER)]

    @property
    def added_not_listed(self) -> int:
        return self.created_organisations + self.created_locations - len(self.added)

    @property
    def updated_not_listed(self) -> int:
        return self.updated_organisations + self.updated_locations - len(self.updated)

    @property
    def changes(self) -> int:
        """Organisations and locations added or updated."""
        return self.created_organisations + self.updated_organisations + self.created_locations + self.updated_locations

    @property
    def changed(self) -> bool:
        return self.changes > 0

    @property
    def skipped_by_reason(self) -> list[tuple[str, int]]:
        """(reason, number of records), most common first."""
        return sorted(self.skipped_reasons.items(), key=lambda item: (-item[1], item[0]))

    @property
    def skipped_not_listed(self) -> int:
        """Skipped records counted by reason but not listed one by one."""
        return self.skipped_count - len(self.skipped)

    def summary(self, *, verbosity: int = 1) -> list[str]:
        """The counts as the import and sync commands print them; at verbosity 2, each record added, updated or
        skipped too."""
        lines = [
            f"  organisations added:   {self.created_organisations}",
            f"  organisations updated: {self.updated_organisations}",
            f"  locations added:       {self.created_locations}",
            f"  locations updated:     {self.updated_locations}",
            f"  unchanged:             {self.unchanged}",
            f"  skipped:               {self.skipped_count}",
            f"    of which older than the portal's data: {self.skipped_older}",
            *(f"    {count:>6}  {reason}" for reason, count in self.skipped_by_reason),
        ]
        if verbosity >= 2:
            lines += [f"  added {kind.lower()} {reference}" for kind, reference in self.added]
            lines += [f"  updated {kind.lower()} {reference}" for kind, reference in self.updated]
            lines += [f"  skipped {reference}: {reason}" for reference, reason in self.skipped]
            if self.skipped_not_listed:
                lines.append(f"  … {self.skipped_not_listed} more skipped records are counted above but not listed")
        return lines

    def as_dict(self) -> dict:
        """The counts, for the audit trail and for printing."""
        return {
            "created_organisations": self.created_organisations,
            "updated_organisations": self.updated_organisations,
            "created_locations": self.created_locations,
            "updated_locations": self.updated_locations,
            "unchanged": self.unchanged,
            "skipped": self.skipped_count,
            "skipped_older": self.skipped_older,
            "data_date": self.data_date.isoformat() if self.data_date else None,
            "total": self.total,
        }
