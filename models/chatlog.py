"""Turn a pasted chat log or a log file into timeline events, line by line.

The timeline is the source of every duration, so this parser never guesses and
never loses a line without saying so. Each line of the input ends up as exactly
one :class:`Fate`:

* ``event``: it starts an event (it begins with a timestamp, or is a Slack
  header such as ``Alex Example [1:58 PM]``), or it is that event's message;
* ``joined``: it continues the event above (a wrapped message, a stack trace);
* ``marker``: a log header or day divider that sets the date (``--- Log opened
  Tue Jun 08 09:40:00 2021``, ``--- Day changed Wed Jun 09 2021``, ``June 9, 2021``);
* ``blank``: nothing on it;
* ``left out``: counted and listed with the reason (text before the first
  event, ``--- Log closed``);
* ``refused``: it starts with a time that can't be placed (``25:99``, an
  ambiguous ``IST``, a daylight-saving gap). An import with a refused line
  adds nothing: the message says which line and how to write it.

Timestamps are read by :mod:`models.logstamps`. A zone or offset written on the
line wins; otherwise the postmortem's zone applies. Dates come from the line,
else from the last date the log gave (a full timestamp, a header, a day
divider), else from ``reference``; a clock going back by more than six hours
moves to the next day (23:58 then 00:03). Within one log, a wall time that
happened twice (daylight saving ending) takes the occurrence that keeps the log
moving forward; a wall time that never happened is refused.

Who spoke: ``<alice>``, ``<@alice>``, ``< bob>`` (irssi, ZNC), weechat's
``alice | text`` and tab-separated log files, ``* alice waves``, ``bob:``,
Slack's name-and-time header, and syslog's ``host program[pid]:`` (the actor is
``program@host``). When a line names its speaker, ``@bob`` in the message is a
mention and stays in the text; on a line without one, ``@name`` sets the actor
as in the entry line. ``#kind`` tags (``#mitigated``, ``#det``) set the kind.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from models.enums import EventKind
from models.errors import TimeParseError
from models.logstamps import (
    MONTH_NAMES,
    Stamp,
    StampReader,
    nearest_date,
    read_date,
    read_stamp,
)
from models.timeparse import TIME_RANGE, out_of_range, place_wall, to_zone, utc_offset, zone
from models.usertext import ESCAPE_SEQUENCE, clean, normalize_newlines, shown
from models.zonenames import season_note

ROLLOVER = dt.timedelta(hours=6)

_LOG_OPENED = re.compile(r"(?:-{3}\s+Log opened|\*{4}\s+BEGIN LOGGING AT)\s+(?P<rest>.+)$")
_LOG_CLOSED = re.compile(r"(?:-{3}\s+Log closed|\*{4}\s+ENDING LOGGING AT)\b")
_DAY_CHANGED = re.compile(r"-{3}\s+Day changed\s+(?P<rest>.+)$")
_RELATIVE_DAY = re.compile(r"(?i:today|yesterday):?")

_ANGLE = re.compile(r"<[ @+%~&!]?(?P<nick>[^<>\s]{1,40})>(?:\s+|$)")
_ACTION = re.compile(r"\*\s+(?P<nick>[^\s*]{1,40})(?:\s+|$)")
_STATUS = re.compile(r"(?:-!-|\*\*\*|-->|<--|--|=!=)(?:\s+|$)")
_PIPE = re.compile(r"[@+%~&]?(?P<nick>[^\s|│<>]{1,40})\s+[|│](?:\s|$)")
_SOURCE = re.compile(
    r"(?P<host>[\w.\-]{1,64})\s+(?P<prog>[\w./\-()]{1,64}?)(?P<pid>\[\d+\])?:(?:\s+|$)"
)
_RFC5424 = re.compile(r"(?P<host>\S+)\s+(?P<app>\S+)\s+\S+\s+\S+\s+(?:-|(?:\[[^\]]*\])+)(?:\s+|$)")
_COLON = re.compile(r"(?P<nick>[A-Za-z][\w.\-]{0,39}):(?:\s+|$)")
# Words that end in a colon at the start of a message without being anyone's name.
_LABELS = frozenset(
    """note update status fyi todo action info warn warning error err critical crit debug
    fatal trace notice alert emerg emergency re fwd subject summary impact cause fix
    resolved mitigated detected started question answer edit edited""".split()  # noqa: SIM905
)
_NAME = re.compile(r"[^\W\d_][\w.'’\-]*(?: [\w.'’\-]+){0,4}")
_BADGE = re.compile(r"\s+(?:APP|BOT)$")
_SLACK = re.compile(
    r"(?P<name>[^\W\d_][\w.'’\- ]{0,50}?)(?:\s+(?:APP|BOT))?"
    r"(?:\s*\[(?P<bracketed>[^\]]{3,24})\]|\s{2,}(?P<spaced>\d{1,2}:\d{2}(?::\d{2})?\s?[AaPp]\.?[Mm]\.?))"
    r"\s*$"
)
_TAG = re.compile(r"(?<!\S)([#@])([^\s#@]+)")


def _kind_words() -> dict[str, str]:
    """Every tag a log may use for a kind: its name, or a unique prefix of three
    letters or more (``#mit``). Built once: a 10,000-line log looks up thousands."""
    words: dict[str, str] = {}
    for kind in EventKind:
        for size in range(3, len(kind.value) + 1):
            prefix = kind.value[:size]
            if sum(k.value.startswith(prefix) for k in EventKind) == 1 or prefix == kind.value:
                words[prefix] = kind.value
    return words


_KIND_WORDS = _kind_words()
_SLASH_DATE = re.compile(r"\s*\[?(\d{1,2})/(\d{1,2})/\d{4}\b", re.ASCII)


class Fate(StrEnum):
    EVENT = "event"
    JOINED = "joined"
    MARKER = "marker"
    BLANK = "blank"
    LEFT_OUT = "left out"
    REFUSED = "refused"


@dataclass
class ParsedEvent:
    at: dt.datetime  # UTC
    kind: str
    text: str
    actor: str
    line: int  # 1-based: the line the event starts on
    zone: str | None = None  # a zone written on the line ("PDT", "+05:45"), else None
    assumed_date: bool = False  # its date came from the reference, not the log

    def row(self) -> tuple[dt.datetime, str, str, str]:
        return (self.at, self.kind, self.text, self.actor)


@dataclass(frozen=True, slots=True)
class LineNote:
    """A line the reader wants the user to see: its number, its text, and why."""

    line: int
    text: str
    reason: str

    def quoted(self, limit: int = 48) -> str:
        return shown(self.text.strip(), limit)


@dataclass
class ChatLog:
    tz: str
    reference: dt.date
    fates: list[Fate] = field(default_factory=list)  # one per line
    events: list[ParsedEvent] = field(default_factory=list)
    joined: list[LineNote] = field(default_factory=list)
    markers: list[LineNote] = field(default_factory=list)
    left_out: list[LineNote] = field(default_factory=list)
    refused: list[LineNote] = field(default_factory=list)
    ambiguous: list[LineNote] = field(default_factory=list)  # DST overlaps, resolved
    notes: list[LineNote] = field(default_factory=list)  # e.g. PST written in July

    @property
    def line_count(self) -> int:
        return len(self.fates)

    @property
    def skipped(self) -> int:
        """Lines left out (kept for callers of the old interface)."""
        return len(self.left_out)

    @property
    def assumed_date(self) -> list[ParsedEvent]:
        """Events whose date (or year) came from ``reference``, not from the log."""
        return [e for e in self.events if e.assumed_date]

    @property
    def in_postmortem_zone(self) -> list[ParsedEvent]:
        return [e for e in self.events if e.zone is None]

    def rows(self) -> list[tuple[dt.datetime, str, str, str]]:
        return [e.row() for e in self.events]


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: CR, LF and CRLF all end one; a final line
    end doesn't start another line."""
    text = normalize_newlines(text)
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


def _tidy(raw: str) -> str:
    """A line as stored: terminal colour codes removed, control characters
    dropped (models.usertext), trailing spaces trimmed."""
    if "\x1b" in raw:
        raw = ESCAPE_SEQUENCE.sub("", raw)
    return clean(raw).rstrip()


def _name_like(text: str) -> str | None:
    """``Alex Example`` or ``PagerDuty APP`` as a name (badge dropped), else None."""
    body = _BADGE.sub("", text.strip())
    if len(body) > 50 or not _NAME.fullmatch(body):
        return None
    return body


def _slash_order(lines: list[str]) -> str | None:
    """Whether this log writes 06/08/2021 day first ("dmy") or month first ("mdy"),
    judged from dates whose day is above 12; None when it doesn't say (or both)."""
    dmy = mdy = False
    for line in lines:
        if "/" not in line[:14]:
            continue
        m = _SLASH_DATE.match(line)
        if m:
            a, b = int(m[1]), int(m[2])
            dmy |= a > 12 >= b
            mdy |= b > 12 >= a
    if dmy == mdy:
        return None
    return "dmy" if dmy else "mdy"


class _Reader:
    def __init__(self, tz: str, reference: dt.date, now: dt.datetime) -> None:
        zone(tz)
        self.tz = tz
        self.now = now
        self.log = ChatLog(tz=tz, reference=reference)
        self.stamps = StampReader()
        self.day: dt.date | None = None  # the date of the last event or marker
        self.log_dated = False  # the log has given a date of its own
        self.previous: dt.datetime | None = None  # the last event's instant
        self.pinned = False  # a marker just set the date: no rollover for the next time
        self.current: ParsedEvent | None = None  # the event continuation lines join
        self.body_open = False  # the current event's message hasn't started yet
        self.refused_line: int | None = None  # continuation lines belong to a refused line
        self.blank_run = 0  # blank lines since the last text, kept as paragraph breaks
        self.last_loose: tuple[int, str, str] | None = None  # (line, text before it, line)
        self.slack_speaker: str | None = None
        self.slash_order: str | None = None
        self.loose_reason = "before the first line with a time"

    # ------------------------------------------------------------------ lines

    def run(self, lines: list[str]) -> ChatLog:
        self.slash_order = _slash_order(lines)
        tidy = [_tidy(raw) for raw in lines]
        for index, line in enumerate(tidy):
            number = index + 1
            if not line.strip():
                self.log.fates.append(Fate.BLANK)
                self.blank_run += 1
                continue
            stamp = self.stamps.read(line)
            if stamp is not None:
                self._stamped(number, line, stamp)
            elif self._marker(number, line):
                pass
            elif (header := self._slack_header(line, tidy, index)) is not None:
                self._slack(number, line, *header)
            else:
                self._continuation(number, line)
            self.blank_run = 0
        return self.log

    def _fate(self, fate: Fate) -> None:
        self.log.fates.append(fate)

    def _refuse(self, number: int, line: str, reason: str) -> None:
        self._fate(Fate.REFUSED)
        self.log.refused.append(LineNote(number, line, reason))
        self.current = None
        self.refused_line = number
        self.last_loose = None

    def _continuation(self, number: int, line: str) -> None:
        text = line.strip()
        event = self.current
        if event is not None:
            before = event.text
            if self.body_open:  # the message of a header line (Slack): its tags count
                note = EventKind.NOTE.value
                kind, event.text, actor = _tags(
                    text, allow_kind=event.kind == note, allow_actor=not event.actor
                )
                if kind != note:
                    event.kind = kind
                event.actor = event.actor or actor
                self.body_open = False
                self._fate(Fate.EVENT)
            else:
                breaks = "\n" * (1 + min(self.blank_run, 1))
                event.text = f"{event.text}{breaks}{text}" if event.text else text
                self._fate(Fate.JOINED)
                self.log.joined.append(LineNote(number, line, f"joined to line {event.line}"))
            self.last_loose = (number, before, line)
            return
        self._fate(Fate.LEFT_OUT)
        if self.refused_line is not None:
            reason = f"continues line {self.refused_line}, which was refused"
        else:
            reason = self.loose_reason
        self.log.left_out.append(LineNote(number, line, reason))
        self.last_loose = (number, "", line)

    def _marker(self, number: int, line: str) -> bool:
        body = line.strip()
        if body[:1] in "-*":
            if m := _LOG_OPENED.match(body):
                stamp = read_stamp(m["rest"])
                if stamp is None or stamp.error or stamp.year is None or stamp.month is None:
                    return self._left_out(number, line, "a log header whose date can't be read")
                self._set_day(dt.date(stamp.year, stamp.month, stamp.day or 1))
                self._note_marker(number, line, "log opened")
                self.loose_reason = "before the first line with a time"
                return True
            if _LOG_CLOSED.match(body):
                self._left_out(number, line, "marks the end of a log")
                self.loose_reason = "after the end of a log"
                return True
            if m := _DAY_CHANGED.match(body):
                found = read_date(m["rest"])
                if found is None:
                    return self._left_out(number, line, "a day change whose date can't be read")
                self._set_day(self._dated(*found))
                self._note_marker(number, line, "day changed")
                return True
            return False
        if len(body) > 40:
            return False
        if _RELATIVE_DAY.fullmatch(body):
            today = to_zone(self.now, self.tz).date()
            self._set_day(today if body[0] in "Tt" else today - dt.timedelta(days=1))
            self._note_marker(number, line, "day divider")
            return True
        found = read_date(body)
        if found is None:
            return False
        self._set_day(self._dated(*found))
        self._note_marker(number, line, "day divider")
        return True

    def _left_out(self, number: int, line: str, reason: str) -> bool:
        """A marker line that adds nothing: counted and listed, and it ends the event above."""
        self._fate(Fate.LEFT_OUT)
        self.log.left_out.append(LineNote(number, line, reason))
        self.current = None
        self.refused_line = None
        self.last_loose = None
        return True

    def _note_marker(self, number: int, line: str, what: str) -> None:
        assert self.day is not None
        self._fate(Fate.MARKER)
        self.body_open = False
        self.log.markers.append(LineNote(number, line, f"{what}: {self.day:%a %d %b %Y}"))
        self.last_loose = None

    def _set_day(self, day: dt.date) -> None:
        self.day = day
        self.log_dated = True
        self.pinned = True

    def _dated(self, year: int | None, month: int, day: int) -> dt.date:
        if year is not None:
            return dt.date(year, month, day)
        return self._nearest(month, day) or dt.date(self._context().year, month, day)

    def _context(self) -> dt.date:
        return self.day or self.log.reference

    def _nearest(self, month: int, day: int) -> dt.date | None:
        """The date with this month and day nearest the log's current date."""
        return nearest_date(month, day, self._context())

    # ------------------------------------------------------------------ speakers

    def _slack_header(self, line: str, lines: list[str], index: int) -> tuple[str, Stamp] | None:
        """``Alex Example [1:58 PM]`` (or two spaces before a 12-hour time), followed
        by the message on the next line. A line ending in a time that is followed
        by another timestamped line is a message, not a header."""
        if line[-1:] not in "]Mm.":
            return None
        m = _SLACK.fullmatch(line.strip())
        if m is None:
            return None
        name = _name_like(m["name"])
        stamp = self.stamps.read(m["bracketed"] or m["spaced"])
        if name is None or stamp is None or stamp.typed != (m["bracketed"] or m["spaced"]).strip():
            return None
        for after in range(index + 1, len(lines)):
            if lines[after].strip():
                return None if self.stamps.read(lines[after]) is not None else (name, stamp)
        return None

    def _speaker(self, rest: str, stamp: Stamp, prefix: str) -> tuple[str, str, bool]:
        """(actor, message, whether the line named its speaker) for the text after a stamp."""
        who, tab, message = rest.partition("\t")
        if tab and " " not in who.strip():  # weechat's log files: time TAB prefix TAB message
            who = who.strip()
            if who in ("-->", "<--", "--", "-!-", "=!=", ""):
                return "", message.strip(), True
            if who == "*":
                nick, _, action = message.strip().partition(" ")
                return nick, action.strip(), True
            if who.startswith("<") and who.endswith(">"):  # HexChat: <nick> TAB message
                who = who[1:-1]
            return who.lstrip("@+%~&! "), message.strip(), True
        if rest.startswith("<") and (m := _ANGLE.match(rest)):
            return m["nick"], rest[m.end() :], True
        if rest.startswith("*") and (m := _STATUS.match(rest)):
            return "", rest[m.end() :], True
        if rest.startswith("*") and (m := _ACTION.match(rest)):
            return m["nick"], rest[m.end() :], True
        if rest.startswith(("-", "<", "=")) and (m := _STATUS.match(rest)):
            return "", rest[m.end() :], True
        if stamp.syslog and prefix.endswith(">1 ") and (m := _RFC5424.match(rest)):
            app = "" if m["app"] == "-" else m["app"]
            host = "" if m["host"] == "-" else m["host"]
            return (f"{app}@{host}" if app and host else app or host), rest[m.end() :], True
        if (m := _SOURCE.match(rest)) and (stamp.syslog or m["pid"]):
            return f"{m['prog']}@{m['host']}", rest[m.end() :], True
        if m := _PIPE.match(rest):
            return m["nick"], rest[m.end() :], True
        # "bob: text" is a chat client's; after a tool's full timestamp it is a
        # logger or a level ("http: TLS handshake error", "LOG: checkpoint").
        if stamp.form == "clock" and (m := _COLON.match(rest)) and m["nick"].lower() not in _LABELS:
            return m["nick"], rest[m.end() :], True
        return "", rest, False

    # ------------------------------------------------------------------ events

    def _slack(self, number: int, line: str, name: str, stamp: Stamp) -> None:
        self.slack_speaker = name
        self._event(number, line, stamp, actor=name, text="", named=True)

    def _stamped(self, number: int, line: str, stamp: Stamp) -> None:
        if stamp.error is not None:
            self._refuse(number, line, stamp.error)
            return
        rest = line[stamp.end :].strip()
        actor, text, named = self._speaker(rest, stamp, line[: stamp.start])
        if not named and not text:
            # A time alone on its line: Slack writes the name on the line before.
            loose = self.last_loose
            name = _name_like(loose[2]) if loose and loose[0] == number - 1 else None
            if name is not None and loose is not None:
                self._adopt(loose, name)
                actor, named = name, True
            elif self.slack_speaker is not None and stamp.form == "clock":
                actor, named = self.slack_speaker, True
        elif not named and self.slack_speaker is not None and stamp.form == "clock":
            actor, named = self.slack_speaker, True  # "[1:59 PM] text": the same speaker
        else:
            self.slack_speaker = None
        self._event(number, line, stamp, actor=actor, text=text, named=named)

    def _adopt(self, loose: tuple[int, str, str], name: str) -> None:
        """Take back a name line that was joined (or left out) as the next event's actor."""
        number, before, _ = loose
        index = number - 1
        if self.log.fates[index] is Fate.JOINED and self.log.joined:
            self.log.joined.pop()
        elif self.log.fates[index] is Fate.LEFT_OUT and self.log.left_out:
            self.log.left_out.pop()
        if self.log.fates[index] is not Fate.LEFT_OUT and self.current is not None:
            self.current.text = before
        self.log.fates[index] = Fate.EVENT
        self.slack_speaker = name

    def _event(
        self, number: int, line: str, stamp: Stamp, *, actor: str, text: str, named: bool
    ) -> None:
        kind, text, tagged_actor = _tags(text, allow_actor=not named)
        try:
            at, assumed = self._place(number, line, stamp)
        except TimeParseError as exc:
            self._refuse(number, line, str(exc))
            return
        self._fate(Fate.EVENT)
        event = ParsedEvent(
            at=at,
            kind=kind,
            text=text,
            actor=actor or tagged_actor,
            line=number,
            zone=stamp.zone,
            assumed_date=assumed,
        )
        self.log.events.append(event)
        self.current = event
        self.body_open = not text
        self.refused_line = None
        self.previous = at
        self.pinned = False
        self.last_loose = None

    # ------------------------------------------------------------------ time

    def _place(self, number: int, line: str, stamp: Stamp) -> tuple[dt.datetime, bool]:
        """The instant a stamp means in this log, and whether its date was assumed.
        Raises TimeParseError for a time that can't be placed."""
        if stamp.instant is not None:
            self.day = to_zone(stamp.instant, self.tz).date()
            self.log_dated = True
            return stamp.instant, False
        assumed = False
        dated = True
        if stamp.month is not None and stamp.day is not None:
            if stamp.year is not None:
                day = dt.date(stamp.year, stamp.month, stamp.day)
            else:
                found = self._nearest(stamp.month, stamp.day)
                if found is None:
                    raise TimeParseError(f"{stamp.typed!r} is not a real date")
                day, assumed = found, not self.log_dated
        elif stamp.slashed is not None:
            day = self._slashed(stamp)
        else:
            day, assumed, dated = self._context(), not self.log_dated, False
        at = self._instant(number, line, stamp, day)
        if (
            not dated
            and not self.pinned
            and self.previous is not None
            and at < self.previous - ROLLOVER
        ):
            day += dt.timedelta(days=1)
            at = self._instant(number, line, stamp, day)
        if out_of_range(at):
            raise TimeParseError(f"{stamp.typed!r} is outside the accepted years, {TIME_RANGE}")
        self.day = to_zone(at, self.tz).date()
        self.log_dated |= dated and stamp.year is not None
        return at, assumed

    def _slashed(self, stamp: Stamp) -> dt.date:
        assert stamp.slashed is not None and stamp.year is not None
        a, b = stamp.slashed
        if a > 12 >= b or (a <= 12 and b <= 12 and self.slash_order == "dmy"):
            month, day = b, a
        elif b > 12 >= a or (a <= 12 and b <= 12 and self.slash_order == "mdy"):
            month, day = a, b
        elif a > 12 and b > 12:
            raise TimeParseError(f"{stamp.typed!r} is not a real date")
        else:
            raise TimeParseError(
                f"can't tell whether {stamp.typed.split()[0]} is {a} {MONTH_NAMES[b]} or "
                f"{MONTH_NAMES[a]} {b} (no date in the log has a day above 12); "
                f"write it as {stamp.year}-{b:02d}-{a:02d} or {stamp.year}-{a:02d}-{b:02d}"
            )
        try:
            return dt.date(stamp.year, month, day)
        except ValueError as exc:
            raise TimeParseError(f"{stamp.typed!r} is not a real date ({exc})") from None

    def _instant(self, number: int, line: str, stamp: Stamp, day: dt.date) -> dt.datetime:
        wall = dt.datetime.combine(day, stamp.clock())
        if stamp.offset is not None:
            try:
                at = (wall - stamp.offset).replace(tzinfo=dt.UTC)
            except OverflowError:
                raise TimeParseError(
                    f"{stamp.typed!r} is outside the accepted years, {TIME_RANGE}"
                ) from None
            self._check_abbreviation(number, line, stamp, at)
            return at
        placed = place_wall(wall, self.tz, after=self.previous, typed=stamp.typed)
        if placed.ambiguous:
            local = to_zone(placed.at, self.tz)
            which = "second" if placed.second else "first"
            why = ", keeping the log in order" if placed.second else ""
            self.log.ambiguous.append(
                LineNote(
                    number,
                    line,
                    f"{wall:%H:%M} happened twice in {self.tz} on {wall:%Y-%m-%d}; "
                    f"read as the {which} ({local:%Z}, UTC{utc_offset(local.utcoffset())}){why}",
                )
            )
        return placed.at

    def _check_abbreviation(self, number: int, line: str, stamp: Stamp, at: dt.datetime) -> None:
        """``PST`` on a July date: the clocks there said PDT. Read it as written, but say so."""
        if note := season_note(stamp.zone or "", at):
            self.log.notes.append(LineNote(number, line, note))


def _tags(text: str, *, allow_actor: bool, allow_kind: bool = True) -> tuple[str, str, str]:
    """(kind, text without the tags it used, actor from ``@name``).

    In a log, ``#general`` and ``#42`` are words: only a kind's name or a unique
    prefix of three letters or more (``#mit``) is a tag. ``@name`` sets the actor
    only on a line that names no speaker; otherwise it is a mention."""
    if ("#" not in text or not allow_kind) and ("@" not in text or not allow_actor):
        return EventKind.NOTE.value, text, ""
    kind: str | None = None
    actor = ""
    spans: list[tuple[int, int]] = []
    for m in _TAG.finditer(text):
        mark, word = m[1], m[2]
        if mark == "#":
            if not allow_kind or kind is not None:
                continue
            found = _KIND_WORDS.get(word.lower())
            if found is None:
                continue
            kind = found
            spans.append(m.span())
        elif allow_actor and not actor:
            actor = word
            spans.append(m.span())
    if not spans:
        return EventKind.NOTE.value, text, ""
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    text = "\n".join(" ".join(part.split()) for part in text.split("\n"))
    return kind or EventKind.NOTE.value, text.strip(), actor


def parse_chat_log(text: str, tz: str, *, reference: dt.date, now: dt.datetime) -> ChatLog:
    """Read a whole log (see the module doc) in the zone ``tz``.

    ``reference`` is the date (in ``tz``) of lines that carry none until the log
    gives one; ``now`` (UTC) places ``Today``/``Yesterday`` dividers. Never raises
    for the log's content: every line's fate is in the result. Raises
    ValidationError only for an unknown ``tz``."""
    return _Reader(tz, reference, now).run(split_lines(text))
