"""Due dates as people type them in an action item.

Accepted: ``YYYY-MM-DD``, ``today``, ``tomorrow``, ``+3d`` / ``+2w`` / ``+1m`` (days, weeks,
months from today), ``next monday`` or just ``monday`` (the next one strictly after
today), ``eow`` (this Friday, or today if it is Friday), and an empty string (no due date).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from models.errors import ValidationError
from models.timeparse import FIRST_YEAR, LAST_YEAR, TIME_RANGE
from models.usertext import shown

DUE_FORMS = "YYYY-MM-DD, today, tomorrow, +3d, +2w, +1m, next monday, eow, or empty"
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(r"^\+\s*(\d{1,4})\s*([dwm])$")


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (Jan 31 + 1m = Feb 28).
    Raises OverflowError past year 9999."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError("year out of range")
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def parse_due(text: str, today: dt.date) -> dt.date | None:
    """Read a due date as typed (see the module doc) relative to ``today``.

    Returns None for an empty string. Raises ValidationError (field ``due``) for
    text it can't read, an impossible date, or a date outside 1970-2099."""
    try:
        due = _parse_due(text, today)
    except OverflowError:
        due = dt.date.max
    if due is not None and not FIRST_YEAR <= due.year <= LAST_YEAR:
        raise ValidationError(
            "due", f"{shown(text.strip())} is outside the accepted years, {TIME_RANGE}"
        )
    return due


def _parse_due(text: str, today: dt.date) -> dt.date | None:
    typed = " ".join(text.strip().lower().split())
    if not typed:
        return None
    if typed == "today":
        return today
    if typed == "tomorrow":
        return today + dt.timedelta(days=1)
    if typed == "eow":
        return today + dt.timedelta(days=(4 - today.weekday()) % 7)
    if m := _RELATIVE.match(typed):
        n, unit = int(m[1]), m[2]
        if unit == "m":
            return _add_months(today, n)
        return today + dt.timedelta(days=n * (7 if unit == "w" else 1))
    name = typed.removeprefix("next ").strip()
    for index, day in enumerate(_DAYS):
        if len(name) >= 3 and day.startswith(name):
            ahead = (index - today.weekday()) % 7 or 7
            return today + dt.timedelta(days=ahead)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", typed):
        try:
            return dt.date.fromisoformat(typed)
        except ValueError:
            pass
        raise ValidationError("due", f"{shown(text.strip())} is not a real date")
    raise ValidationError("due", f"can't read {shown(text.strip())}; accepted: {DUE_FORMS}")
