"""Values as database drivers hand them back to plain SQL, made uniform.

The library-wide views (models.search, models.library) read with plain SQL for
speed, below the ORM's type conversions: SQLite returns datetimes as naive
text and JSON lists as text, PostgreSQL returns Python objects. These turn
either into what the ORM would have given.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any


def moment(value: Any) -> dt.datetime | None:
    """A UTC instant (aware); SQLite's naive text is UTC by the store's rule."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def string_list(value: Any) -> list[str]:
    """A JSON list of strings (services, tags, authors); anything else read leniently."""
    if isinstance(value, str):
        return list(_decoded(value))
    return [str(v) for v in value] if isinstance(value, list) else []


@functools.lru_cache(maxsize=8192)
def _decoded(text: str) -> tuple[str, ...]:
    # The same few service and tag lists recur across a library: decode each once.
    try:
        value = json.loads(text)
    except ValueError:
        return (text,)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def day(value: Any) -> dt.date | None:
    """A date column (a due date)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def local_date(instant: dt.datetime, zone: str) -> dt.date:
    """The calendar date of ``instant`` in the IANA ``zone``; UTC for a zone name
    stored before today's rules that zoneinfo doesn't know."""
    from zoneinfo import ZoneInfo

    try:
        return instant.astimezone(ZoneInfo(zone)).date()
    except (ValueError, KeyError, OSError):
        return instant.astimezone(dt.UTC).date()
    except OverflowError:
        # Year 1 or 9999, stored before today's range (models.timeparse): a
        # zone's offset can't move it past the calendar's end, so its UTC date.
        return instant.date()
