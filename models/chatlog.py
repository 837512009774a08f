"""Turn a pasted chat log into timeline events.

Every line that starts with a timestamp begins an event; a line without one
continues the previous event's text (chat messages wrap, stack traces run on).
Lines before the first timestamp are dropped and counted, never guessed at.

Recognised timestamps: ``14:32``, ``14:32:05``, ``[14:32]``, ``[14:32:05]``,
``2021-06-08 09:47``, ``[2021-06-08 09:47:00]`` and RFC 3339. An IRC-style
``<nick>`` or a ``nick:`` right after the time becomes the actor, and the
entry line's ``#kind`` and ``@actor`` tags work too.

Bare clock times are read on the current date, which starts at ``reference``
and moves a day forward whenever a time goes back by more than six hours
(23:58 then 00:03 is after midnight, not a day earlier). A full date resets it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from models.entry import parse_entry
from models.enums import EventKind
from models.errors import TimeParseError
from models.timeparse import to_zone

_STAMP = re.compile(
    r"^\s*(?:"
    r"\[(?P<b>[^\]]{4,40})\]"  # [14:32], [2021-06-08 09:47:00]
    r"|(?P<iso>\d{4}-\d{2}-\d{2}[Tt ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)"
    r"|(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"
    r")(?=\s|$)"
)
_NICK = re.compile(r"^\s*(?:<(?P<angle>[^>\s]{1,40})>|(?P<colon>[A-Za-z][\w.\-]{0,39}):(?=\s))\s*")
_BARE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
ROLLOVER = dt.timedelta(hours=6)


@dataclass
class ParsedEvent:
    at: dt.datetime
    kind: str
    text: str
    actor: str


@dataclass
class ChatLog:
    events: list[ParsedEvent] = field(default_factory=list)
    skipped: int = 0  # lines before the first timestamp

    def rows(self) -> list[tuple[dt.datetime, str, str, str]]:
        return [(e.at, e.kind, e.text, e.actor) for e in self.events]


def parse_chat_log(text: str, tz: str, *, reference: dt.date, now: dt.datetime) -> ChatLog:
    """Parse a whole log. Raises TimeParseError naming the line if a timestamp is impossible."""
    log = ChatLog()
    day = reference
    previous: dt.datetime | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        match = _STAMP.match(line)
        if not match:
            if log.events and line.strip():
                last = log.events[-1]
                last.text = f"{last.text}\n{line.strip()}" if last.text else line.strip()
            elif line.strip():
                log.skipped += 1
            continue
        stamp = (match["b"] or match["iso"] or match["clock"]).strip()
        rest = line[match.end() :]
        actor = ""
        if nick := _NICK.match(rest):
            actor = nick["angle"] or nick["colon"] or ""
            rest = rest[nick.end() :]
        try:
            entry = parse_entry(f"{stamp} {rest}", tz, now=now, reference=day, strict_tags=False)
        except TimeParseError as exc:
            raise TimeParseError(f"line {number}: {exc}") from exc
        at = entry.at
        if _BARE.match(stamp) and previous is not None and at < previous - ROLLOVER:
            day = day + dt.timedelta(days=1)
            at = parse_entry(f"{stamp} x", tz, now=now, reference=day).at
        elif not _BARE.match(stamp):
            day = to_zone(at, tz).date()
        previous = at
        log.events.append(
            ParsedEvent(
                at=at,
                kind=(entry.kind or EventKind.NOTE).value,
                text=entry.text,
                actor=entry.actor or actor,
            )
        )
    return log
