"""Reading one cell's value: dates, codes and choices, each with the plain-words message a person needs to fix it.

Each reader returns the value, or raises Invalid with the message (the caller adds the row and column).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
INTEGER = re.compile(r"^\d+$")


class Invalid(Exception):
    """A cell's value is wrong; the argument says why, in plain words."""


def date(value: str) -> datetime.date | None:
    """A DD/MM/YYYY date (leading zeros optional); None for an empty cell."""
    if not value:
        return None
    match = DATE.match(value)
    if not match:
        raise Invalid(_("enter the date as DD/MM/YYYY, like 31/03/2026"))
    day, month, year = (int(g) for g in match.groups())
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise Invalid(_("%(value)s is not a real date") % {"value": value}) from None
    if year < 1900:
        raise Invalid(_("enter a year after 1900"))
    return result


def integer(value: str) -> int | None:
    """A whole number; None for an empty cell."""
    if not value:
        return None
    if not INTEGER.match(value):
        raise Invalid(_("enter a whole number"))
    return int(value)


def js_length(value: str) -> int:
    """The length JavaScript gives a string (UTF-16 code units), which is how ASC-WDS counts: an emoji is 2."""
    return len(value.encode("utf-16-le")) // 2


def text(value: str, limit: int) -> str:
    """Free text of at most `limit` characters, counted as ASC-WDS counts them (`js_length`)."""
    count = js_length(value)
    if count > limit:
        raise Invalid(
            _("this must be %(limit)s characters or fewer (it has %(count)s)") % {"limit": limit, "count": count}
        )
    return value


def email(value: str) -> str:
    """An email address, or an empty cell."""
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise Invalid(_("enter an email address like name@example.com")) from None
    return value


def choice(value: str, options: dict[str, str], message: str) -> str:
    """One of the options, matched without case or surrounding spaces; `message` says what to enter."""
    key = re.sub(r"\s+", " ", value.strip().lower()).replace("’", "'")
    if key not in options:
        raise Invalid(message)
    return options[key]
