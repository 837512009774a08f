"""The one parser for every time a user types.

Users type wall-clock times in the postmortem's zone, often tired and in a
hurry, so the rules are few and the error says exactly what was typed and what
would have worked. Everything returned is an aware UTC datetime: storage and
arithmetic happen in UTC, display converts back with :func:`to_zone`.

DST policy, chosen deliberately:

* A wall time inside a spring-forward gap never happened. Guessing would put an
  event an hour off on the timeline, so it is an error that names the gap and
  suggests the equivalent time after it.
* A wall time in a fall-back overlap happened twice. The first occurrence (the
  one before the clocks went back) is used; typing an explicit offset
  (RFC 3339) picks the second.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import pendulum

from models.errors import TimeParseError, ValidationError
from models.usertext import shown

UTC = dt.UTC

ACCEPTED_FORMS = "now, HH:MM[:SS], YYYY-MM-DD HH:MM[:SS], or RFC 3339 like 2026-11-28T14:32:00Z"

# Every time the app accepts lies in [EARLIEST, LATEST). Every IANA zone can show
# these instants (local mean time and year-1 offsets can push a stored year 1 or
# 9999 out of datetime's range and crash every listing), and nobody writes a
# postmortem about an incident before the Unix epoch or after this century.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=UTC)
FIRST_YEAR, LAST_YEAR = 1970, 2099
TIME_RANGE = "1970 to 2099"

_CLOCK = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
_DATE = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_TIME_ONLY = re.compile(rf"^{_CLOCK}$")
_LOCAL = re.compile(rf"^{_DATE}(?:[T ]|\s+){_CLOCK}$")
_RFC3339 = re.compile(
    rf"^{_DATE}[Tt ]{_CLOCK}(?P<frac>\.\d{{1,9}})?(?P<off>[Zz]|[+-]\d{{2}}:\d{{2}})$"
)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """Return the zone for an IANA name, or raise ValidationError.

    Cached because every keystroke of a time field looks the zone up again.
    """
    if not name or name != name.strip():
        raise ValidationError("timezone", f"unknown timezone {shown(name)}")
    try:
        tz = pendulum.timezone(name)
    except Exception as exc:  # pendulum raises InvalidTimezone, zoneinfo raises others
        raise ValidationError("timezone", f"unknown timezone {shown(name)}") from exc
    if not isinstance(tz, ZoneInfo):  # a fixed offset such as "+02:00" is not a zone name
        raise ValidationError("timezone", f"unknown timezone {shown(name)}")
    return tz


def validate_timezone(name: str) -> str:
    """Return the name unchanged if it is an IANA zone a postmortem may use.

    Stricter than :func:`zone`, which still resolves names stored before this
    rule: legacy POSIX names (``EST``, ``PST8PDT``, ...) and abbreviations
    (``PDT``, ``IST``) are refused with the city zone to use instead
    (:mod:`models.zonenames`); a name in the wrong case gets its right spelling.
    ``UTC`` and ``Etc/*`` stay valid. Raises ValidationError."""
    from models.zonenames import zone_advice

    if (advice := zone_advice(name)) is not None:
        raise ValidationError("timezone", advice)
    try:
        zone(name)
    except ValidationError:
        spelled = _by_lower_name().get(name.strip().lower())
        if spelled is not None and spelled != name:
            raise ValidationError(
                "timezone", f"unknown timezone {shown(name)}; did you mean {spelled}?"
            ) from None
        raise
    return name


@lru_cache(maxsize=1)
def _by_lower_name() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {n.lower(): n for n in available_timezones()}


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """All IANA names, sorted, for completion in the UI."""
    from zoneinfo import available_timezones

    return tuple(sorted(n for n in available_timezones() if "/" in n or n == "UTC"))


def to_zone(moment: dt.datetime, tz_name: str) -> dt.datetime:
    """Convert an aware datetime to the postmortem's zone for display."""
    return moment.astimezone(zone(tz_name))


def utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)


def localize(wall: dt.datetime, tz_name: str, typed: str | None = None) -> dt.datetime:
    """Attach the zone to a naive wall time, applying the DST policy, and return UTC."""
    return place_wall(wall, tz_name, typed=typed).at


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a wall-clock time lands: ``at`` in UTC, and whether the clocks showed
    that wall time twice (``ambiguous``) and the later occurrence was taken."""

    at: dt.datetime
    ambiguous: bool = False
    second: bool = False


def place_wall(
    wall: dt.datetime,
    tz_name: str,
    *,
    after: dt.datetime | None = None,
    typed: str | None = None,
) -> Placed:
    """Read a naive wall time in ``tz_name`` and return where it lands in UTC.

    A time the clocks skipped (a spring-forward gap) raises TimeParseError naming
    the equivalent time after the gap. A time they showed twice (fall-back) is
    the first occurrence, unless ``after`` is given (the previous event of the
    same log, UTC) and only the second occurrence lies at or after it: within
    one log, times keep moving forward. The result is not range-checked."""
    tz = zone(tz_name)
    first = wall.replace(tzinfo=tz, fold=0)
    offset_first = first.utcoffset()
    second = wall.replace(tzinfo=tz, fold=1)
    if offset_first == second.utcoffset():
        return Placed(first.astimezone(UTC))
    early = first.astimezone(UTC)
    if early.astimezone(tz).replace(tzinfo=None) != wall:
        # In a gap, fold=0 reads the wall time with the offset from before the
        # transition; that instant, read back, is the equivalent time after the gap.
        round_trip = early.astimezone(tz).replace(tzinfo=None)
        what = typed if typed is not None else wall.strftime("%Y-%m-%d %H:%M")
        raise TimeParseError(
            f"{shown(what)} never happened in {tz_name}: the clocks skipped it for daylight "
            f"saving; type {round_trip:%H:%M} or give an offset, e.g. "
            f"{wall:%Y-%m-%dT%H:%M}{_fmt_offset(offset_first)}"
        )
    late = second.astimezone(UTC)
    if after is not None and early < after <= late:
        return Placed(late, ambiguous=True, second=True)
    return Placed(early, ambiguous=True)


def out_of_range(moment: dt.datetime) -> bool:
    """True if an aware datetime lies outside [EARLIEST, LATEST)."""
    return not EARLIEST <= moment < LATEST


def check_range(moment: dt.datetime, typed: str) -> dt.datetime:
    """Return ``moment`` if it lies in the accepted range, else raise TimeParseError."""
    if out_of_range(moment):
        raise TimeParseError(f"{shown(typed)} is outside the accepted years, {TIME_RANGE}")
    return moment


def utc_offset(offset: dt.timedelta | None) -> str:
    """``+05:45``, ``-04:00``: an offset as RFC 3339 writes it (minutes, no seconds)."""
    return _fmt_offset(offset)


def _fmt_offset(offset: dt.timedelta | None) -> str:
    total = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _wall(y: int, mo: int, d: int, h: int, mi: int, s: int, typed: str) -> dt.datetime:
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise TimeParseError(f"{shown(typed)} is outside the accepted years, {TIME_RANGE}")
    try:
        return dt.datetime(y, mo, d, h, mi, s)
    except ValueError as exc:
        raise TimeParseError(f"{shown(typed)} is not a real date or time ({exc})") from exc


def _check_clock(m: re.Match[str], typed: str) -> tuple[int, int, int]:
    h, mi, s = int(m["h"]), int(m["mi"]), int(m["s"] or 0)
    if h > 23 or mi > 59 or s > 59:
        raise TimeParseError(f"{shown(typed)} is not a valid clock time (00:00 to 23:59:59)")
    return h, mi, s


def parse_time(
    text: str,
    tz_name: str,
    *,
    reference: dt.date | None = None,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """Read a typed time in the zone ``tz_name`` and return it as aware UTC.

    ``reference`` is the wall-clock date in that zone that a bare ``HH:MM`` falls
    on; it defaults to today there. ``now`` is injectable so tests and the live
    timeline agree on one clock.

    Raises TimeParseError for anything unreadable, impossible (a DST gap, 25:00)
    or outside :data:`TIME_RANGE`.
    """
    return check_range(_parse_time(text, tz_name, reference=reference, now=now), text.strip())


def _parse_time(
    text: str,
    tz_name: str,
    *,
    reference: dt.date | None,
    now: dt.datetime | None,
) -> dt.datetime:
    typed = text.strip()
    zone(tz_name)
    current = (now or utc_now()).astimezone(UTC)
    if not typed:
        raise TimeParseError(f"no time given; accepted: {ACCEPTED_FORMS}")
    if typed.lower() == "now":
        return current

    if m := _TIME_ONLY.match(typed):
        h, mi, s = _check_clock(m, typed)
        day = reference or current.astimezone(zone(tz_name)).date()
        return localize(_wall(day.year, day.month, day.day, h, mi, s, typed), tz_name, typed)

    if m := _LOCAL.match(typed):
        h, mi, s = _check_clock(m, typed)
        wall = _wall(int(m["y"]), int(m["mo"]), int(m["d"]), h, mi, s, typed)
        return localize(wall, tz_name, typed)

    if m := _RFC3339.match(typed):
        _check_clock(m, typed)
        _wall(int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]), 0, typed)
        try:
            parsed = pendulum.parse(typed.replace(" ", "T").replace("t", "T").replace("z", "Z"))
        except (ValueError, pendulum.parsing.exceptions.ParserError) as exc:
            raise TimeParseError(f"{shown(typed)} is not valid RFC 3339 ({exc})") from exc
        assert isinstance(parsed, dt.datetime)
        # A plain datetime: pendulum's subclass compares and pickles differently.
        return dt.datetime.fromisoformat(parsed.isoformat()).astimezone(UTC)

    raise TimeParseError(f"can't read {shown(typed)} as a time; accepted: {ACCEPTED_FORMS}")


def parse_rfc3339(text: str) -> dt.datetime:
    """Strict RFC 3339 with an offset or Z, for the JSON interchange format."""
    if not isinstance(text, str) or not _RFC3339.match(text.strip()):
        what = shown(text) if isinstance(text, str) else type(text).__name__
        raise TimeParseError(f"{what} is not RFC 3339 with an offset or Z")
    return parse_time(text, "UTC")


def format_rfc3339(moment: dt.datetime) -> str:
    """UTC with a Z, seconds always present, fractions only when there are some."""
    utc = moment.astimezone(UTC)
    spec = "microseconds" if utc.microsecond else "seconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
