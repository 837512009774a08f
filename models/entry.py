"""The timeline's quick-entry line: `14:32 Pager fired #detected @alertmanager`.

Everything typed into the entry line goes through :func:`parse_entry`, which
returns a time, an optional kind and actor, and the remaining text, or raises
TimeParseError naming what it could not read. It never raises anything else:
a property test feeds it arbitrary strings.

Time forms, at the start of the line (all in the postmortem's zone):
  (nothing) or `now`          now: live logging during an incident
  `14:32`, `14:32:05`, `[14:32]`  on the reference date
  `+5m`, `+1h30m`, `+90s`      after the anchor (the selected event, else the last)
  `-10m`                       before now
  `yesterday 23:50`, `today 08:00`
  `2026-11-28 14:32`, `2026-11-28T14:32:00Z` (RFC 3339), full dates
Tags, anywhere: `#kind` by unique prefix (`#det`, `#mit`, `#comm`), `@name` the actor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.enums import EventKind
from models.errors import TimeParseError
from models.timeparse import TIME_RANGE, check_range, parse_time, to_zone, zone

ENTRY_FORMS = (
    "now, 14:32, [14:32], +5m, +1h30m, -10m, yesterday 23:50, 2026-11-28 14:32, "
    "or RFC 3339; tags #kind and @actor anywhere"
)
_DURATION = re.compile(r"^([+-])((?:\d{1,4}[dhms])+)$")
_PART = re.compile(r"(\d{1,4})([dhms])")
_CLOCK = re.compile(r"^\[?(\d{1,2}:\d{2}(?::\d{2})?)\]?$")
_DATE = re.compile(r"^\[?(\d{4}-\d{2}-\d{2})$")
_DATE_CLOCK = re.compile(r"^(\d{1,2}:\d{2}(?::\d{2})?)\]?$")
_ISO = re.compile(r"^\[?(\d{4}-\d{2}-\d{2}[Tt]\S+?)\]?$")
_UNITS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: EventKind | None
    text: str
    actor: str | None


def kind_from_prefix(prefix: str) -> EventKind:
    """`#det` -> detected. Exact names win; otherwise the prefix must be unique."""
    word = prefix.lower()
    if not word:
        raise TimeParseError("empty #tag; use one of " + ", ".join(k.value for k in EventKind))
    exact = [k for k in EventKind if k.value == word]
    if exact:
        return exact[0]
    hits = [k for k in EventKind if k.value.startswith(word)]
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(k.value for k in (hits or EventKind))
    problem = "is ambiguous" if hits else "is not a kind"
    raise TimeParseError(f"#{prefix} {problem}; use one of {names}")


def parse_duration(sign: str, body: str) -> dt.timedelta:
    """``+1h30m`` -> 5400 s. Raises TimeParseError for a span no calendar holds."""
    seconds = sum(int(n) * _UNITS[u] for n, u in _PART.findall(body))
    try:
        delta = dt.timedelta(seconds=seconds)
    except OverflowError:
        raise TimeParseError(
            f"{sign}{body} is too long a span; times lie in {TIME_RANGE}"
        ) from None
    return delta if sign == "+" else -delta


def _shift(base: dt.datetime, delta: dt.timedelta, typed: str) -> dt.datetime:
    try:
        moment = base + delta
    except OverflowError:
        raise TimeParseError(f"{typed!r} is outside the accepted years, {TIME_RANGE}") from None
    return check_range(moment, typed)


def _clock_on(day: dt.date, clock: str, tz: str, typed: str) -> dt.datetime:
    hour, minute, *rest = (int(p) for p in clock.split(":"))
    if hour > 23 or minute > 59 or (rest and rest[0] > 59):
        raise TimeParseError(
            f"{clock!r} in {typed!r} is not a valid clock time (00:00 to 23:59:59)"
        )
    return parse_time(f"{day.isoformat()} {clock}", tz)


def _fail(typed: str) -> dt.datetime:
    raise TimeParseError(f"can't read the time in {typed!r}; accepted: {ENTRY_FORMS}")


def parse_entry(
    line: str,
    tz: str,
    *,
    now: dt.datetime,
    reference: dt.date | None = None,
    anchor: dt.datetime | None = None,
    strict_tags: bool = True,
) -> Entry:
    """Split an entry line into time, kind, actor and text (see the module doc).

    With ``strict_tags`` an unknown ``#tag`` is an error (a typo in the entry
    line); without, it stays in the text (a pasted log's ``#general``)."""
    zone(tz)
    kind: EventKind | None = None
    actor: str | None = None
    words: list[str] = []
    for token in line.split():
        if token.startswith("#") and len(token) > 1 and token[1:].isalpha():
            try:
                tagged = kind_from_prefix(token[1:])
            except TimeParseError:
                if strict_tags:
                    raise
                words.append(token)
                continue
            if kind is not None and strict_tags:
                raise TimeParseError(f"two kinds given (#{kind.value} and {token}); keep one")
            kind = kind or tagged
        elif token.startswith("@") and len(token) > 1 and actor is None:
            actor = token[1:]
        else:
            words.append(token)

    local_now = to_zone(now, tz)
    day = reference or local_now.date()
    at: dt.datetime | None = None
    used = 0
    first = words[0] if words else ""
    second = words[1] if len(words) > 1 else ""
    lowered = first.lower()

    if lowered == "now":
        at, used = now, 1
    elif m := _DURATION.match(lowered):
        delta = parse_duration(m[1], m[2])
        base = now if m[1] == "-" else (anchor or now)
        at, used = _shift(base, delta, first), 1
    elif lowered in ("yesterday", "today") and _CLOCK.match(second):
        offset = 1 if lowered == "yesterday" else 0
        clock = _CLOCK.match(second)
        assert clock is not None
        at = _clock_on(local_now.date() - dt.timedelta(days=offset), clock[1], tz, line)
        used = 2
    elif m := _CLOCK.match(first):
        at, used = _clock_on(day, m[1], tz, line), 1
    elif (m := _DATE.match(first)) and (c := _DATE_CLOCK.match(second)):
        at, used = parse_time(f"{m[1]} {c[1]}", tz), 2
    elif m := _ISO.match(first):
        at, used = parse_time(m[1], tz), 1
    elif _DATE.match(first) or re.match(r"^[+-]\d", first) or re.match(r"^\[?\d{1,2}:", first):
        _fail(line)
    else:
        at = now
    assert at is not None
    text = " ".join(words[used:])
    return Entry(at=at.astimezone(dt.UTC), kind=kind, text=text, actor=actor)
