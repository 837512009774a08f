"""The timestamps logs, chat clients and people start a line with, in one table.

Like the log viewers that came before (Textualize's toolong and logmerger keep
a list of ``(regex, parser)`` pairs and try them in order), this module holds one
table of formats, each anchored at the start of the line. Unlike them, it never
guesses what it can't know: a time that is ambiguous or impossible comes back as
a :class:`Stamp` with an ``error``, so the caller can refuse that line by name.

Every row, with the tools that print it:

=========  ===================================================  ===============================
row        example                                              printed by
=========  ===================================================  ===============================
iso        ``2021-06-08T09:47:13.802915``, ``…12.345+0000``,     ISO 8601 / RFC 3339, Python
           ``2021-06-08 09:47:13,802``, ``2009/11/10 23:00:00``  logging, Go's log, journalctl
           ``Tue 2021-06-08 09:47:13 UTC``                       ``-o short-iso``/``short-full``
named      ``Jun  8 09:47:13``, ``Tue Jun  8 09:47:13 2021``,    syslog (RFC 3164), ctime,
           ``Jun 8, 2021, 2:58 PM``                              date(1), web UIs
dayfirst   ``Tue, 08 Jun 2021 09:47:13 +0000``,                  RFC 2822 mail and HTTP dates,
           ``08/Jun/2021:09:47:13 +0000``                        Apache/nginx access logs
epoch      ``1623145633``, ``1623145633.802``, ``1623145633802``  seconds or ms since 1970
clock      ``14:32``, ``14:32:05.123``, ``1:58 PM``, ``9:47pm``,  chat clients, people
           ``9:47 p.m.``, ``14h32``
slashed    ``06/08/2021 09:47``                                  locale-dependent UIs
=========  ===================================================  ===============================

Any row may be wrapped in ``[...]`` and followed by a zone: ``Z``, ``+0000``,
``+05:45``, ``+05`` (PostgreSQL), ``UTC``, ``GMT+2`` or an abbreviation from
:mod:`models.zonenames`. A ``slashed`` date's order (day or month first) is not
knowable from one line; the caller decides it from the rest of the log.

The result is what the line *says*, not yet an instant: a bare clock needs a
date and a zone from its context. Rows match disjoint inputs, so trying the
last row that matched first (as toolong does) changes speed, never results.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from models.timeparse import FIRST_YEAR, LAST_YEAR, TIME_RANGE
from models.zonenames import ABBREVIATIONS, AMBIGUOUS, ambiguity

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for name in names
}
MONTH_NAMES = ("", *(dt.date(2000, m, 1).strftime("%B") for m in range(1, 13)))

_WEEKDAY = r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)"
_MONTH = (
    r"(?P<mon>(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\.?"
)
_CLOCK = (
    r"(?P<h>\d{1,2})"
    r"(?:(?P<sep>[:h])(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"(?:\s?(?P<ap>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?"
)
_NAMES = "|".join(sorted([*ABBREVIATIONS, *AMBIGUOUS], key=len, reverse=True))
_ZONE = (
    r"(?:(?P<zoff>[+-]\d{2}(?::?\d{2})?)(?![\d:])"  # attached: +0000, +00:00, +05
    r"|\s(?P<zoffs>[+-]\d{2}:?\d{2})(?![\d:])"  # after a space: +0000, +05:45 (not "-10 pods")
    r"|(?P<zz>[Zz])(?![A-Za-z])"  # attached Z
    rf"|\s?(?P<zname>(?:UTC|GMT)[+-]\d{{1,2}}(?::?\d{{2}})?|{_NAMES})(?![A-Za-z0-9]))?"
)
_ISO = re.compile(
    rf"{_WEEKDAY}?(?P<y>\d{{4}})(?P<ds>[-/])(?P<mo>\d{{2}})(?P=ds)(?P<d>\d{{2}})"
    rf"(?:[Tt]|\s+){_CLOCK}{_ZONE}",
    re.ASCII,
)
_NAMED = re.compile(
    rf"{_WEEKDAY}?{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?"
    rf"(?:,?\s+(?:at\s+)?){_CLOCK}{_ZONE}(?:\s+(?P<y2>\d{{4}})(?![\d:]))?",
    re.ASCII,
)
_DAYFIRST = re.compile(
    rf"{_WEEKDAY}?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?P<dsep>[\s/-]){_MONTH}(?P=dsep)(?P<y>\d{{4}})"
    rf"(?::|,?\s+(?:at\s+)?){_CLOCK}{_ZONE}",
    re.ASCII,
)
_EPOCH = re.compile(r"(?P<ep>\d{13}(?:\.\d{1,6})?|\d{10}(?:\.\d{1,9})?)(?![\d.:/])", re.ASCII)
_CLOCK_ONLY = re.compile(rf"{_CLOCK}{_ZONE}", re.ASCII)
_SLASHED = re.compile(
    rf"(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{2,4}})(?:,?\s+){_CLOCK}{_ZONE}", re.ASCII
)
# What may follow a stamp: the end, a space, a nick's "<", a separator and a space.
_AFTER = re.compile(r"$|[\s<|│\]]|[:,;\-–—](?=\s|$)")
_SEPARATOR = re.compile(r"\s*(?:[:|│,;\-–—](?=\s|$))?\s*")


@dataclass(slots=True)
class Stamp:
    """What a line's leading timestamp says. Sizes are characters of the line;
    the clock is wall time in the stamp's own zone (``offset``) or, without one,
    the reader's."""

    form: str  # the table row: iso, named, dayfirst, epoch, clock, slashed
    start: int  # where the stamp starts (after "[" or a syslog priority)
    end: int  # where the text after it starts (separator and spaces skipped)
    typed: str  # the stamp as written, for messages
    year: int | None = None  # None: not written (a clock, a syslog line)
    month: int | None = None
    day: int | None = None
    hour: int = 0
    minute: int = 0
    second: int = 0
    micro: int = 0
    offset: dt.timedelta | None = None  # a written zone or offset
    zone: str | None = None  # that zone as written: "PDT", "+05:45", "Z"
    instant: dt.datetime | None = None  # epoch stamps: already an instant (UTC)
    slashed: tuple[int, int] | None = None  # 06/08: day and month in an unknown order
    error: str | None = None  # looks like a time but can't be read: why
    syslog: bool = False  # a syslog priority or format: "host program[pid]:" follows

    @property
    def has_date(self) -> bool:
        return self.month is not None or self.instant is not None or self.slashed is not None

    def clock(self) -> dt.time:
        return dt.time(self.hour, self.minute, self.second, self.micro)


Builder = Callable[[re.Match[str], str, int, int], "Stamp | None"]


def _ms(fraction: str | None) -> int:
    return int((fraction or "0")[:6].ljust(6, "0"))


def _offset(text: str) -> dt.timedelta | None:
    """``+0545``, ``+05:45``, ``-07``, ``UTC+2``, ``GMT-05:30`` -> a timedelta, or None
    when it is no real offset (``-15:00`` in ``14:32-15:00`` is a range)."""
    body = text[3:] if text[:3] in ("UTC", "GMT") else text
    sign = -1 if body[0] == "-" else 1
    digits = body[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        return None
    return sign * dt.timedelta(hours=hours, minutes=minutes)


def _clock_error(m: re.Match[str], typed: str) -> tuple[int, int, int, int] | str:
    """(hour, minute, second, µs) in 24-hour terms, or why the clock is impossible."""
    hour, sep, minute, second, fraction, ap = m.group("h", "sep", "mi", "s", "f", "ap")
    if minute is None and ap is None:
        return "no minutes"  # "5 pods": a number, not a time
    if sep == "h" and second is not None:
        return "no minutes"
    h, mi, s = int(hour), int(minute or 0), int(second or 0)
    if ap is not None:
        if not 1 <= h <= 12:
            marker = ap.upper().replace(".", "")
            twelve = f"{(h % 12) or 12}:{mi:02d} {'PM' if 12 <= h < 24 else 'AM'}"
            return (
                f"{typed!r} mixes a 24-hour time with {marker}; "
                f"write {h % 24:02d}:{mi:02d} or {twelve}"
            )
        pm = ap[0] in "Pp"
        h = (h % 12) + (12 if pm else 0)
    if h > 23 or mi > 59 or s > 59:
        return f"{typed!r} is not a valid clock time (00:00 to 23:59:59)"
    return h, mi, s, _ms(fraction) if fraction else 0


def _zone(m: re.Match[str]) -> tuple[dt.timedelta | None, str | None, str | None, int | None]:
    """(offset, as written, error, where the zone starts when it must be dropped)."""
    zz, attached, spaced, name = m.group("zz", "zoff", "zoffs", "zname")
    if zz:
        return dt.timedelta(0), "Z", None, None
    raw = attached or spaced
    if raw:
        offset = _offset(raw)
        if offset is None:
            return None, None, None, m.start("zoff") if attached else m.start("zoffs") - 1
        return offset, raw, None, None
    if not name:
        return None, None, None, None
    if name in AMBIGUOUS:
        return None, name, ambiguity(name), None
    if name in ABBREVIATIONS:
        return ABBREVIATIONS[name].offset, name, None, None
    offset = _offset(name)
    if offset is None:
        return None, name, f"{name!r} is not a UTC offset (they run from -12:00 to +14:00)", None
    return offset, name, None, None


def _finish(
    m: re.Match[str], line: str, start: int, bracket: int, form: str, **fields: object
) -> Stamp | None:
    """Check what follows the match, read its zone, and build the Stamp."""
    offset, zone_text, zone_error, cut = _zone(m)
    end = m.end() if cut is None else cut
    if cut is not None:
        offset, zone_text = None, None
    if bracket:
        close = line.find("]", end, end + 3)
        if close < 0 or line[end:close].strip():
            return None
        end = close + 1
    if cut is None and not _AFTER.match(line, end):
        return None
    typed = line[start:end].strip().rstrip("]")
    clock = _clock_error(m, typed)
    if clock == "no minutes":
        return None
    error = clock if isinstance(clock, str) else zone_error
    h, mi, s, us = clock if not isinstance(clock, str) else (0, 0, 0, 0)
    year = fields.pop("year", None)
    if isinstance(year, int) and not FIRST_YEAR <= year <= LAST_YEAR and error is None:
        error = f"{typed!r} is outside the accepted years, {TIME_RANGE}"
    sep = _SEPARATOR.match(line, end)
    return Stamp(
        form=form,
        start=start,
        end=sep.end() if sep else end,
        typed=typed,
        year=year if isinstance(year, int) else None,
        hour=h,
        minute=mi,
        second=s,
        micro=us,
        offset=offset,
        zone=zone_text,
        error=error,
        **fields,  # type: ignore[arg-type]
    )


def _date_error(year: int, month: int, day: int, typed: str) -> str | None:
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        return f"{typed!r} is not a real date ({exc})"
    return None


def _iso(m: re.Match[str], line: str, start: int, bracket: int) -> Stamp | None:
    stamp = _finish(
        m, line, start, bracket, "iso", year=int(m["y"]), month=int(m["mo"]), day=int(m["d"])
    )
    return _check_date(stamp)


def _check_date(stamp: Stamp | None) -> Stamp | None:
    if stamp is None or stamp.error or stamp.month is None or stamp.day is None:
        return stamp
    problem = _date_error(stamp.year or 2000, stamp.month, stamp.day, stamp.typed)
    return stamp if problem is None else _with_error(stamp, problem)


def _with_error(stamp: Stamp, error: str) -> Stamp:
    from dataclasses import replace

    return replace(stamp, error=error)


def _named(m: re.Match[str], line: str, start: int, bracket: int) -> Stamp | None:
    year = m["y"] or m["y2"]
    stamp = _finish(
        m,
        line,
        start,
        bracket,
        "named",
        year=int(year) if year else None,
        month=MONTHS[m["mon"].lower()],
        day=int(m["d"]),
        syslog=not year,
    )
    return _check_date(stamp)


def _dayfirst(m: re.Match[str], line: str, start: int, bracket: int) -> Stamp | None:
    stamp = _finish(
        m,
        line,
        start,
        bracket,
        "dayfirst",
        year=int(m["y"]),
        month=MONTHS[m["mon"].lower()],
        day=int(m["d"]),
    )
    return _check_date(stamp)


def _clock(m: re.Match[str], line: str, start: int, bracket: int) -> Stamp | None:
    return _finish(m, line, start, bracket, "clock")


def _slashed(m: re.Match[str], line: str, start: int, bracket: int) -> Stamp | None:
    stamp = _finish(
        m, line, start, bracket, "slashed", slashed=(int(m["a"]), int(m["b"])), year=None
    )
    if stamp is None or stamp.error:
        return stamp
    if len(m["y"]) != 4:
        return _with_error(
            stamp, f"{stamp.typed!r} has a two-digit year; write the date as 2021-06-08"
        )
    year = int(m["y"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _with_error(stamp, f"{stamp.typed!r} is outside the accepted years, {TIME_RANGE}")
    from dataclasses import replace

    return replace(stamp, year=year)


def _epoch(m: re.Match[str], line: str, start: int, bracket: int) -> Stamp | None:
    end = m.end()
    if bracket:
        if line[end : end + 1] != "]":
            return None
        end += 1
    if not _AFTER.match(line, end):
        return None
    raw = m["ep"]
    whole, _, fraction = raw.partition(".")
    seconds = int(whole) if len(whole) == 10 else int(whole) // 1000
    micro = _ms(fraction) if len(whole) == 10 else (int(whole) % 1000) * 1000
    try:
        instant = dt.datetime.fromtimestamp(seconds, dt.UTC).replace(microsecond=micro)
    except (OverflowError, OSError, ValueError):
        return None
    if not FIRST_YEAR <= instant.year <= LAST_YEAR:
        return None  # a long number, not a time
    sep = _SEPARATOR.match(line, end)
    return Stamp(
        form="epoch",
        start=start,
        end=sep.end() if sep else end,
        typed=raw,
        instant=instant,
        zone="UTC",
        offset=dt.timedelta(0),
    )


# The table, most specific first. Each row: (name, anchored regex, builder).
FORMATS: tuple[tuple[str, re.Pattern[str], Builder], ...] = (
    ("iso", _ISO, _iso),
    ("named", _NAMED, _named),
    ("dayfirst", _DAYFIRST, _dayfirst),
    ("slashed", _SLASHED, _slashed),
    ("epoch", _EPOCH, _epoch),
    ("clock", _CLOCK_ONLY, _clock),
)
_PRIORITY = re.compile(r"<\d{1,3}>(?:1 )?", re.ASCII)  # syslog's <PRI> and RFC 5424's version
_SKIPPED = " \t\ufeff\u200b\u200c\u200d\u2060"  # spaces, a BOM, zero-width characters
_SPACES = str.maketrans({"\xa0": " ", "\u202f": " ", "\u2007": " "})


# Rows that can start with a letter (a month or a weekday) and with a digit.
_BY_FIRST = {
    True: [row for row in FORMATS if row[0] in ("iso", "named", "dayfirst")],
    False: [row for row in FORMATS if row[0] != "named"],
}


class StampReader:
    """Reads the timestamp a line starts with, trying the row that matched last
    first: a log is nearly always one format, so most lines cost one regex.
    Rows are kept apart by the line's first character (a letter or a digit), so
    a line that is no timestamp costs a few failed matches, not the whole table."""

    def __init__(self) -> None:
        self.orders = {alpha: list(rows) for alpha, rows in _BY_FIRST.items()}

    def read(self, line: str) -> Stamp | None:
        """The stamp at the start of ``line`` (leading spaces, a ``[`` and a syslog
        ``<PRI>`` skipped), or None when the line doesn't start with a time."""
        if not line:
            return None
        if "\xa0" in line or "\u202f" in line or "\u2007" in line:
            line = line.translate(_SPACES)  # no-break spaces: macOS writes "1:58\u202fPM"
        start = 0
        if line[0] in _SKIPPED:
            start = len(line) - len(line.lstrip(_SKIPPED))
            if start >= len(line):
                return None
        syslog = False
        if line[start] == "<" and (p := _PRIORITY.match(line, start)):
            start, syslog = p.end(), True
        bracket = 0
        if line.startswith("[", start):
            bracket = 1
            start += 1
            while line.startswith(" ", start):
                start += 1
        first = line[start : start + 1]
        if first.isdigit():
            order = self.orders[False]
        elif first.isalpha():
            order = self.orders[True]
        else:
            return None
        for index, row in enumerate(order):
            _, pattern, build = row
            m = pattern.match(line, start)
            if m is None:
                continue
            stamp = build(m, line, start, bracket)
            if stamp is None:
                continue
            if index:
                del order[index]
                order.insert(0, row)
            if syslog and not stamp.syslog:
                from dataclasses import replace

                stamp = replace(stamp, syslog=True)
            return stamp
        return None


def nearest_date(month: int, day: int, around: dt.date) -> dt.date | None:
    """The date with this month and day nearest ``around`` (the year before, the
    same or the next): syslog lines and "Nov 27" carry no year, and a log read in
    January may hold December's lines. None when no such day exists (Feb 30)."""
    best: dt.date | None = None
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - around) < abs(best - around):
            best = candidate
    return best


def read_stamp(line: str) -> Stamp | None:
    """One line's leading timestamp (see the module doc), or None."""
    return StampReader().read(line)


# ---------------------------------------------------------------------- dates alone

_DATE_ISO = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})", re.ASCII)
_DATE_NAMED = re.compile(
    rf"{_WEEKDAY}?{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?", re.ASCII
)
_DATE_DAYFIRST = re.compile(
    rf"{_WEEKDAY}?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(?P<y>\d{{4}}))?", re.ASCII
)


def read_date(text: str) -> tuple[int | None, int, int] | None:
    """A whole line that is only a date (a day divider, irssi's ``Day changed``):
    ``2021-06-09``, ``Wed Jun 09 2021``, ``Wednesday, June 9th``, ``9 June 2021``.
    Returns (year or None, month, day), or None if it isn't one (or no real date)."""
    body = text.strip().rstrip(":").strip()
    for pattern in (_DATE_ISO, _DATE_NAMED, _DATE_DAYFIRST):
        m = pattern.fullmatch(body)
        if m is None:
            continue
        year = int(m["y"]) if m["y"] else None
        month = int(m["mo"]) if "mo" in m.groupdict() and m["mo"] else MONTHS[m["mon"].lower()]
        day = int(m["d"])
        if _date_error(year or 2000, month, day, body) is not None:
            return None
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return year, month, day
    return None
