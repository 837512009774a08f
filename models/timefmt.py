"""Durations and times as people read them in a postmortem."""

from __future__ import annotations

import datetime as dt

from models.timeparse import to_zone


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


def local_time(moment: dt.datetime | None, tz_name: str, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None:
        return "—"
    return to_zone(moment, tz_name).strftime(fmt)
