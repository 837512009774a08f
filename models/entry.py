"""The timeline's quick-entry line: `14:32 Pager fired #detected @alertmanager`.

Everything typed into the entry line goes through :func:`parse_entry`, which
returns a time, an optional kind and actor, and the remaining text, or raises
TimeParseError naming what it could not read. It never raises anything else:
a property test feeds it arbitrary strings.

Time forms, at the start of the line (in the postmortem's zone unless the line
names its own):
  (nothing) or `now`                  now: live logging during an incident
  `14:32`, `14:32:05`, `[14:32]`      on the reference date
  `2:32pm`, `2:32 PM`, `2:32 p.m.`    12-hour clocks, in any case
  `14h32`                             the French/Quebec way of writing 14:32
  `+5m`, `+1h30m`, `+90s`, `+5min`    after the anchor (the selected event, else the last)
  `T+5m`, `T-10m`                     from the incident's start (the app's T+ column)
  `-10m`, `5m ago`, `in 5m`, `now+5m` from now
  `yesterday 23:50`, `today 08:00`
  `2026-11-28 14:32`, RFC 3339, and every log timestamp of :mod:`models.logstamps`
  a zone after the time: `14:32 UTC`, `09:47 PDT`, `14:32+05:45`
Tags, anywhere: `#kind` by unique prefix (`#det`, `#mit`, `#comm`), `@name` the actor
(`@"Priya Shah"` for a name with spaces).

A bare clock time with no reference date means its most recent occurrence: typed
at 02:26, `14:02` is yesterday afternoon, not twelve hours in the future.
A first word that looks like a time but can't be read is an error that lists
these forms: it is never left in the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.enums import EventKind
from models.errors import TimeParseError
from models.logstamps import MONTH_NAMES, Stamp, nearest_date, read_stamp
from models.timeparse import TIME_RANGE, check_range, localize, to_zone, zone
from models.zonenames import season_note

ENTRY_FORMS = (
    "now, 14:32, 2:32pm, 14h32, +5m, T+5m, 5m ago, in 5m, yesterday 23:50, "
    "2026-11-28 14:32 PDT; #kind @actor anywhere"
)
_UNITS: dict[str, int] = {}
for _seconds, _names in (
    (86_400, ("d", "day", "days")),
    (3_600, ("h", "hr", "hrs", "hour", "hours")),
    (60, ("m", "min", "mins", "minute", "minutes")),
    (1, ("s", "sec", "secs", "second", "seconds")),
):
    _UNITS.update(dict.fromkeys(_names, _seconds))
_PART = re.compile(
    r"\s*(\d{1,5})\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)(?![A-Za-z])",
    re.ASCII | re.IGNORECASE,
)
_LEAD = re.compile(
    r"(?:(?P<now>now)\s*(?P<nsign>[+-])|(?P<t>T)\s*(?P<tsign>[+-])|(?P<in>in)\s+(?=\d)"
    r"|(?P<sign>[+-])(?=\s*\d))\s*",
    re.ASCII | re.IGNORECASE,
)
_AGO = re.compile(r"\s+ago(?![A-Za-z])", re.IGNORECASE)
_DAY_WORD = re.compile(r"(yesterday|today)\s+", re.IGNORECASE)
_NOW = re.compile(r"now(?=\s|$)", re.IGNORECASE)
# A first word that is trying to be a time; never left in the text unread.
_TIMELIKE = re.compile(
    r"\[?\d{1,2}:\d|\d{1,2}h\d{2}(?![\dm])|\d{4}-\d{1,2}-\d|\d{1,2}/\d{1,2}/\d|[+-]\d"
    r"|T\s*[+-]\s*\d|\d{1,2}\s?[ap]\.?m\b|now\s*[+-]\s*\d|\d+\s*[a-z]+\s+ago\b",
    re.ASCII | re.IGNORECASE,
)


# How long ahead of now a bare time may be and still mean today (clock skew).
AHEAD = dt.timedelta(minutes=5)
_QUOTED_ACTOR = re.compile(r'(?:^|(?<=\s))@"([^"\n]+)"(?=\s|$)')


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: EventKind | None
    text: str
    actor: str | None
    timed: bool = True  # False when the line named no time and ``at`` is now
    note: str = ""  # read as written, but worth a word: "PDT is UTC-07:00, but on …"


def actor_token(actor: str) -> str:
    """How an actor is written in an entry line: ``@alertmanager``, ``@"Priya Shah"``."""
    return f'@"{actor}"' if any(ch.isspace() or ch == '"' for ch in actor) else f"@{actor}"


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
    seconds = sum(int(n) * _UNITS[u.lower()] for n, u in _PART.findall(body))
    try:
        delta = dt.timedelta(seconds=seconds)
    except OverflowError:
        raise TimeParseError(
            f"{sign}{body} is too long a span; times lie in {TIME_RANGE}"
        ) from None
    return delta if sign == "+" else -delta


def _duration(text: str, start: int) -> tuple[dt.timedelta, int] | None:
    """A span written at ``start``: ``5m``, ``1h30m``, ``1h 30m``, ``5 minutes``,
    units largest first. Returns (span, where it ends) or None."""
    seconds, end, last = 0, start, None
    while m := _PART.match(text, end):
        size = _UNITS[m[2].lower()]
        if last is not None and size >= last:
            break
        seconds += int(m[1]) * size
        end, last = m.end(), size
    if last is None:
        return None
    try:
        return dt.timedelta(seconds=seconds), end
    except OverflowError:
        raise TimeParseError(
            f"{text[start:end].strip()!r} is too long a span; times lie in {TIME_RANGE}"
        ) from None


def _shift(base: dt.datetime, delta: dt.timedelta, typed: str) -> dt.datetime:
    try:
        moment = base + delta
    except OverflowError:
        raise TimeParseError(f"{typed!r} is outside the accepted years, {TIME_RANGE}") from None
    return check_range(moment, typed)


def _fail(typed: str) -> dt.datetime:
    raise TimeParseError(f"can't read the time in {typed!r}; accepted: {ENTRY_FORMS}")


def _relative(
    text: str,
    *,
    now: dt.datetime,
    anchor: dt.datetime | None,
    started: dt.datetime | None,
) -> tuple[dt.datetime, int] | None:
    """``+5m``, ``T+5m``, ``now-5m``, ``in 5m`` and ``5m ago``: (instant, characters used)."""
    lead = _LEAD.match(text)
    if lead is None:
        span = _duration(text, 0)
        if span is None or not (ago := _AGO.match(text, span[1])):
            return None
        return _shift(now, -span[0], text[: ago.end()]), ago.end()
    sign = lead["nsign"] or lead["tsign"] or lead["sign"] or "+"
    span = _duration(text, lead.end())
    if span is None:
        if lead["t"] and text[lead.end() : lead.end() + 1] == "0":
            span = (dt.timedelta(0), lead.end() + 1)
        elif lead["in"]:
            return None  # "in 5 pods": words, not a time
        else:
            word = text[: lead.end()] + re.split(r"\s", text[lead.end() :], maxsplit=1)[0]
            raise TimeParseError(
                f"{word.strip()!r} needs a unit, like {sign}5m, {sign}2h or {sign}90s; "
                f"accepted: {ENTRY_FORMS}"
            )
    delta, end = span
    typed = text[:end].strip()
    if sign == "-":
        delta = -delta
    if lead["t"]:
        if started is None:
            raise TimeParseError(
                f"{typed!r} counts from the incident's start, and no event is marked "
                "#started yet; use +5m (after the selected event) or a clock time"
            )
        return _shift(started, delta, typed), end
    if lead["sign"] and sign == "+":
        return _shift(anchor or now, delta, typed), end
    return _shift(now, delta, typed), end


def _nearest_year(month: int, day: int, around: dt.date) -> dt.date:
    best = nearest_date(month, day, around)
    if best is None:
        raise TimeParseError(f"{MONTH_NAMES[month]} {day} is not a real date")
    return best


def stamp_instant(stamp: Stamp, tz: str, day: dt.date) -> dt.datetime:
    """The instant a typed stamp means: its own date, else ``day``; its own zone,
    else ``tz`` (a fall-back hour's first occurrence, see models.timeparse).
    Raises TimeParseError for a stamp that can't be placed."""
    if stamp.error is not None:
        raise TimeParseError(stamp.error)
    if stamp.instant is not None:
        return stamp.instant
    if stamp.month is not None and stamp.day is not None:
        day = (
            dt.date(stamp.year, stamp.month, stamp.day)
            if stamp.year is not None
            else _nearest_year(stamp.month, stamp.day, day)
        )
    elif stamp.slashed is not None and stamp.year is not None:
        a, b = stamp.slashed
        if a > 12 >= b:
            a, b = b, a
        elif not b > 12 >= a:
            raise TimeParseError(
                f"can't tell whether {stamp.typed.split()[0]} is {a} {MONTH_NAMES[b]} or "
                f"{MONTH_NAMES[a]} {b}; write it as {stamp.year}-{b:02d}-{a:02d} "
                f"or {stamp.year}-{a:02d}-{b:02d}"
            )
        try:
            day = dt.date(stamp.year, a, b)
        except ValueError as exc:
            raise TimeParseError(f"{stamp.typed!r} is not a real date ({exc})") from None
    wall = dt.datetime.combine(day, stamp.clock())
    if stamp.offset is not None:
        try:
            moment = (wall - stamp.offset).replace(tzinfo=dt.UTC)
        except OverflowError:
            raise TimeParseError(
                f"{stamp.typed!r} is outside the accepted years, {TIME_RANGE}"
            ) from None
    else:
        moment = localize(wall, tz, stamp.typed)
    return check_range(moment, stamp.typed)


def parse_entry(
    line: str,
    tz: str,
    *,
    now: dt.datetime,
    reference: dt.date | None = None,
    anchor: dt.datetime | None = None,
    started: dt.datetime | None = None,
    strict_tags: bool = True,
) -> Entry:
    """Split an entry line into time, kind, actor and text (see the module doc).

    ``now`` and ``anchor`` (the event ``+5m`` counts from) and ``started`` (what
    ``T+5m`` counts from) are aware datetimes; ``reference`` is the date, in
    ``tz``, of a bare ``14:32`` (default: today there). With ``strict_tags`` an
    unknown ``#tag`` is an error (a typo in the entry line); without, it stays
    in the text. Raises TimeParseError (or ValidationError for an unknown ``tz``)."""
    zone(tz)
    kind: EventKind | None = None
    actor: str | None = None
    if m := _QUOTED_ACTOR.search(line):
        actor = " ".join(m[1].split())
        line = line[: m.start()] + line[m.end() :]
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

    rest = " ".join(words)
    at, used = _time(rest, tz, now=now, reference=reference, anchor=anchor, started=started)
    note = next((n for token in rest[:used].split() if (n := season_note(token.upper(), at))), "")
    return Entry(
        at=at.astimezone(dt.UTC),
        kind=kind,
        text=rest[used:].strip(),
        actor=actor,
        timed=used > 0,
        note=note,
    )


def _time(
    rest: str,
    tz: str,
    *,
    now: dt.datetime,
    reference: dt.date | None,
    anchor: dt.datetime | None,
    started: dt.datetime | None,
) -> tuple[dt.datetime, int]:
    """(instant, characters of ``rest`` the time used)."""
    relative = _relative(rest, now=now, anchor=anchor, started=started)
    if relative is not None:
        return relative
    if m := _NOW.match(rest):
        return now, m.end()
    today = to_zone(now, tz).date()
    if m := _DAY_WORD.match(rest):  # "yesterday 23:50"; "today is the day" is just text
        after = rest[m.end() :]
        stamp = read_stamp(after)
        if stamp is not None and not stamp.has_date:
            day = today - dt.timedelta(days=1 if m[1].lower() == "yesterday" else 0)
            return stamp_instant(stamp, tz, day), m.end() + stamp.end
        if stamp is not None or _TIMELIKE.match(after):
            _fail(rest)
        return now, 0
    stamp = read_stamp(rest)
    if stamp is not None:
        instant = stamp_instant(stamp, tz, reference or today)
        if reference is None and not stamp.has_date and instant > now + AHEAD:
            instant = stamp_instant(stamp, tz, today - dt.timedelta(days=1))  # most recent
        return instant, stamp.end
    if _TIMELIKE.match(rest):
        _fail(rest)
    return now, 0
