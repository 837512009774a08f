"""Durations and times as people read them in a postmortem."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from models.errors import ValidationError
from models.timeparse import out_of_range, zone

# What a stored time that can't be shown (outside 1970-2099, see models.stored)
# reads as, in every place that shows times.
INVALID_TIME = "invalid time"
_UTC = ZoneInfo("UTC")


def duration_words(seconds: float | None, *, empty: str = "—") -> str:
    """'1h 12m', '3d 4h', '45s': two units at most, since nobody needs more."""
    if seconds is None:
        return empty
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    if not total:
        return "0s"
    # The largest unit and the one after it: "1d 2h", "1h", "2h 5m"; precision beyond that is noise.
    first = next(i for i, (n, _) in enumerate(parts) if n)
    # Minutes and seconds after a larger unit are padded, as the T+ column shows
    # them: "1h 08m", not "1h 8m".
    shown = [
        f"{n:02d}{u}" if i > first and u in "ms" else f"{n}{u}"
        for i, (n, u) in enumerate(parts[first : first + 2], start=first)
        if n
    ]
    return sign + " ".join(shown)


def lasted_words(seconds: float | None) -> str:
    """The header's "lasted 52m"; a negative impact (mitigated or resolved
    before it started, usually a time on the wrong day) is named as the mistake
    it is rather than shown as "-15h 52m"."""
    if seconds is not None and seconds < 0:
        return "⚠ ends before it starts"
    return f"lasted {duration_words(seconds)}"


def ongoing_words(started: dt.datetime, now: dt.datetime) -> str:
    """How long an unmitigated incident has run: "ongoing for 1h 05m", or
    "starts in 11h 36m" when its start lies ahead of the clock (a typo or a
    wrong zone): a negative duration reads as nonsense, and hides the mistake."""
    seconds = (now - started).total_seconds()
    if seconds < 0:
        return f"starts in {duration_words(-seconds)}"
    return f"ongoing for {duration_words(seconds)}"


def offset_words(seconds: float) -> str:
    """A T+ offset: 'T+0', 'T+1h 05m', 'T-10m'. Minutes padded so columns align."""
    sign = "-" if seconds < 0 else "+"
    total = int(abs(seconds))
    hours, rest = divmod(total, 3_600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"T{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"T{sign}{minutes}m" + (f" {secs:02d}s" if secs else "")
    return f"T{sign}{secs}s" if secs else "T+0"


def display_zone(tz_name: str) -> ZoneInfo:
    """The zone to show times in: the postmortem's, or UTC when the stored name
    is not a zone this machine knows (models.stored reports it)."""
    try:
        return zone(tz_name)
    except (ValidationError, TypeError):
        return _UTC


def local(moment: dt.datetime | None, tz_name: str) -> dt.datetime | None:
    """``moment`` as wall time in the postmortem's zone, or None when it can't be
    shown: missing, not an aware time, or stored outside the accepted years (in
    year 1 or 9999 some zones' offsets leave datetime's range and raise)."""
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None or out_of_range(moment):
        return None
    return moment.astimezone(display_zone(tz_name))


def local_time(moment: dt.datetime | None, tz_name: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time for display; never raises, whatever is stored (see :func:`local`)."""
    if moment is None:
        return "—"
    shown = local(moment, tz_name)
    return INVALID_TIME if shown is None else shown.strftime(fmt)
