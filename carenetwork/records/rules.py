"""The pure rules of training records: expiry dates and the status of a person's cover. No database here."""

import datetime
from calendar import monthrange
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_DAYS = 90


class Status(models.TextChoices):
    """Where a person stands in a category, shown as colour and text (never colour alone)."""

    IN_DATE = "in_date", _("In date")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def expiry_date(completed_on: datetime.date, months: int | None) -> datetime.date | None:
    """ASC-WDS: training valid for `months` expires on completion + months − 1 day; None never expires."""
    if not months:
        return None
    return add_months(completed_on, months) - datetime.timedelta(days=1)


def cover_status(
    expires_on: datetime.date | None,
    *,
    today: datetime.date,
    has_cover: bool = True,
    window_days: int = DEFAULT_REMINDER_DAYS,
) -> Status:
    """Missing without cover; expired after the expiry date; expiring soon within `window_days` of it.

    The expiry date is the last day the training is valid, so it is still in date (though expiring) that day.
    """
    if not has_cover:
        return Status.MISSING
    if expires_on is None:
        return Status.IN_DATE
    if expires_on < today:
        return Status.EXPIRED
    if expires_on <= today + datetime.timedelta(days=window_days):
        return Status.EXPIRING
    return Status.IN_DATE


def share(part: int, whole: int) -> int | None:
    """A whole-number percentage, rounded down so that 99.6% never shows as 100%; None when there is no whole."""
    return None if not whole else part * 100 // whole


@dataclass(frozen=True)
class Counts:
    """Where a set of requirements stands. `in_date` excludes those expiring soon; `held` includes them."""

    required: int = 0
    in_date: int = 0
    expiring: int = 0
    expired: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.required + other.required,
            self.in_date + other.in_date,
            self.expiring + other.expiring,
            self.expired + other.expired,
        )

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(
            self.required - other.required,
            self.in_date - other.in_date,
            self.expiring - other.expiring,
            self.expired - other.expired,
        )

    def __bool__(self) -> bool:
        return any((self.required, self.in_date, self.expiring, self.expired))

    @property
    def missing(self) -> int:
        return self.required - self.in_date - self.expiring - self.expired

    @property
    def held(self) -> int:
        """Still in date, including training that expires soon."""
        return self.in_date + self.expiring

    @property
    def share_in_date(self) -> int | None:
        return share(self.held, self.required)

    @property
    def gap(self) -> int:
        """Requirements not met: missing or expired."""
        return self.missing + self.expired

    @property
    def gap_share(self) -> int | None:
        return share(self.gap, self.required)
