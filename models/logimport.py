"""What importing a log would do, shown before anything is written.

Both ways a log reaches the timeline (a paste into the entry line and
``postmortem timeline import``) build an :class:`ImportPlan`: the parsed log
(:mod:`models.chatlog`), minus the events already on the timeline, plus every
assumption made on the user's behalf. The app shows it as a table and a list
of warnings, the command line prints it (``--dry-run``, ``--json``), and after
the import one summary line says what happened to every line:
"added 18 events; 2 lines joined to the event above; 1 duplicate skipped;
1 line left out: `--- Log closed …`".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from models.chatlog import ChatLog, Fate, LineNote, ParsedEvent, parse_chat_log
from models.timeparse import format_rfc3339, to_zone

Level = Literal["error", "warning", "info"]
SHOWN = 3  # lines quoted per warning before "and N more"

DATE_FROM_OPTION = "--date"
DATE_FROM_START = "the incident's start"
DATE_FROM_TODAY = "today"


@dataclass(frozen=True, slots=True)
class Duplicate:
    event: ParsedEvent
    reason: str  # "already on the timeline", or "repeats line 4"


@dataclass(frozen=True, slots=True)
class Notice:
    level: Level
    text: str  # one line


@dataclass
class ImportPlan:
    log: ChatLog
    date_source: str  # DATE_FROM_OPTION, DATE_FROM_START or DATE_FROM_TODAY
    to_add: list[ParsedEvent] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def tz(self) -> str:
        return self.log.tz

    @property
    def blocked(self) -> bool:
        """A line starts with a time that can't be placed: nothing may be added."""
        return bool(self.log.refused)

    def rows(self) -> list[tuple[dt.datetime, str, str, str]]:
        return [e.row() for e in self.to_add]

    # ------------------------------------------------------------------ words

    def refusal(self) -> str:
        """One line: why nothing can be added, or "" when the plan may be imported."""
        if self.log.refused:
            first = self.log.refused[0]
            more = len(self.log.refused) - 1
            extra = f" (and {more} more {_plural(more, 'line')} like it)" if more else ""
            return (
                f"nothing added: line {first.line} {first.quoted(32)} can't be read: "
                f"{first.reason}{extra}"
            )
        if not self.log.events:
            return (
                "nothing added: no line starts with a time like 14:32, 2:32 PM or 2021-06-08T14:32Z"
            )
        return ""

    def summary(self, *, done: bool = True) -> str:
        """The one line shown after the import (``done``) or before it."""
        verb = "added" if done else "would add"
        parts = [f"{verb} {_count(len(self.to_add), 'event')}"]
        if self.log.joined:
            parts.append(f"{_count(len(self.log.joined), 'line')} joined to the event above")
        if self.duplicates:
            parts.append(f"{_count(len(self.duplicates), 'duplicate')} skipped")
        if self.log.ambiguous:
            parts.append(f"{_count(len(self.log.ambiguous), 'ambiguous time')} resolved")
        if self.log.left_out:
            quoted = ", ".join(_tick(n.text) for n in self.log.left_out[:2])
            more = len(self.log.left_out) - 2
            tail = f" and {more} more" if more > 0 else ""
            parts.append(f"{_count(len(self.log.left_out), 'line')} left out: {quoted}{tail}")
        return "; ".join(parts)

    def warnings(self) -> list[Notice]:
        """Everything the user should know before pressing Enter, most serious first."""
        log = self.log
        out: list[Notice] = []
        for note in log.refused[:5]:
            out.append(Notice("error", f"line {note.line} can't be read: {note.reason}"))
        if len(log.refused) > 5:
            out.append(Notice("error", f"and {len(log.refused) - 5} more lines like these"))
        if log.events and not self.to_add and not self.blocked:
            out.append(Notice("warning", "every event is already on the timeline"))
        out.extend(self._listed("warning", log.left_out, "left out", reason=True))
        out.extend(self._listed("warning", log.joined, "joined to the event above"))
        if self.duplicates:
            quoted = ", ".join(f"line {d.event.line} ({d.reason})" for d in self.duplicates[:SHOWN])
            more = _more(len(self.duplicates))
            out.append(
                Notice(
                    "warning",
                    f"{_count(len(self.duplicates), 'duplicate')} skipped: {quoted}{more}",
                )
            )
        for note in log.notes[:SHOWN]:
            out.append(Notice("warning", f"line {note.line}: {note.reason}"))
        if assumed := log.assumed_date:
            out.append(Notice("info", self._assumed_date(assumed)))
        if log.events:
            out.append(Notice("info", self._zone_words()))
        for note in log.ambiguous[:SHOWN]:
            out.append(Notice("info", f"line {note.line}: {note.reason}"))
        if len(log.ambiguous) > SHOWN:
            out.append(
                Notice("info", f"and {len(log.ambiguous) - SHOWN} more times in a repeated hour")
            )
        for note in log.markers[:SHOWN]:
            out.append(Notice("info", f"line {note.line}: {note.reason}"))
        if len(log.markers) > SHOWN:
            out.append(Notice("info", f"and {len(log.markers) - SHOWN} more date markers"))
        return out

    def _listed(
        self, level: Level, notes: list[LineNote], what: str, *, reason: bool = False
    ) -> list[Notice]:
        if not notes:
            return []
        quoted = ", ".join(
            f"line {n.line} {n.quoted(40)}" + (f" ({n.reason})" if reason else "")
            for n in notes[:SHOWN]
        )
        return [Notice(level, f"{_count(len(notes), 'line')} {what}: {quoted}{_more(len(notes))}")]

    def _assumed_date(self, assumed: list[ParsedEvent]) -> str:
        days = sorted({to_zone(e.at, self.tz).date() for e in assumed})
        first = days[0] if days else self.log.reference
        later = " and the days after, where times go back past midnight" if len(days) > 1 else ""
        return (
            f"{_count(len(assumed), 'line')} without a date: placed on {first:%a %d %b %Y} "
            f"({self.date_source}){later}"
        )

    def _zone_words(self) -> str:
        local = len(self.log.in_postmortem_zone)
        own = len(self.log.events) - local
        words = f"times without a zone are read in {self.tz}, the postmortem's zone"
        if own:
            its = "names its" if own == 1 else "name their"
            words += f"; {_count(own, 'line')} {its} own zone"
        return words

    # ------------------------------------------------------------------ scripts

    def as_json(self, *, added: int | None = None) -> dict[str, Any]:
        """The plan for scripts (``--json``); times are RFC 3339 UTC plus local."""

        def event(e: ParsedEvent) -> dict[str, Any]:
            return {
                "line": e.line,
                "at": format_rfc3339(e.at),
                "local": to_zone(e.at, self.tz).isoformat(),
                "kind": e.kind,
                "actor": e.actor,
                "text": e.text,
                "zone": e.zone,
                "date_assumed": e.assumed_date,
            }

        def notes(items: list[LineNote]) -> list[dict[str, Any]]:
            return [{"line": n.line, "text": n.text, "reason": n.reason} for n in items]

        return {
            "timezone": self.tz,
            "date": self.log.reference.isoformat(),
            "date_source": self.date_source,
            "lines": self.log.line_count,
            "events": [event(e) for e in self.to_add],
            "duplicates": [{**event(d.event), "reason": d.reason} for d in self.duplicates],
            "joined": notes(self.log.joined),
            "left_out": notes(self.log.left_out),
            "refused": notes(self.log.refused),
            "ambiguous": notes(self.log.ambiguous),
            "notes": notes(self.log.notes),
            "markers": notes(self.log.markers),
            "blank_lines": sum(1 for f in self.log.fates if f is Fate.BLANK),
            "warnings": [{"level": w.level, "text": w.text} for w in self.warnings()],
            "added": added,
            "summary": self.refusal() or self.summary(done=added is not None),
        }


def choose_reference(
    on_date: dt.date | None, started: dt.datetime | None, now: dt.datetime, tz: str
) -> tuple[dt.date, str]:
    """The date of lines that carry none, and where it came from: the ``--date``
    option, else the incident's start (the earliest #started event), else today,
    all in the postmortem's zone."""
    if on_date is not None:
        return on_date, DATE_FROM_OPTION
    if started is not None:
        return to_zone(started, tz).date(), DATE_FROM_START
    return to_zone(now, tz).date(), DATE_FROM_TODAY


def plan_import(
    text: str,
    tz: str,
    *,
    existing: Iterable[tuple[dt.datetime, str, str]],
    reference: dt.date,
    date_source: str,
    now: dt.datetime,
) -> ImportPlan:
    """Parse ``text`` and leave out events identical (time, text, actor) to one in
    ``existing`` (the timeline's events) or earlier in the same log.

    Raises ValidationError only for an unknown ``tz``; everything about the log
    itself is in the plan."""
    log = parse_chat_log(text, tz, reference=reference, now=now)
    plan = ImportPlan(log=log, date_source=date_source)
    seen: dict[tuple[dt.datetime, str, str], int | None] = {
        (at.astimezone(dt.UTC), body, actor): None for at, body, actor in existing
    }
    for e in log.events:
        key = (e.at, e.text, e.actor)
        if key in seen:
            where = seen[key]
            reason = "already on the timeline" if where is None else f"repeats line {where}"
            plan.duplicates.append(Duplicate(e, reason))
            continue
        seen[key] = e.line
        plan.to_add.append(e)
    return plan


def _plural(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"


def _count(n: int, word: str) -> str:
    return f"{n} {_plural(n, word)}"


def _more(n: int) -> str:
    return f" and {n - SHOWN} more" if n > SHOWN else ""


def _tick(text: str, limit: int = 18) -> str:
    """A line quoted in the summary: `--- Log closed …` (backticks, cut at a word)."""
    body = " ".join(text.split()).replace("`", "'")
    if len(body) > limit:
        cut = body.rfind(" ", 0, limit)
        body = body[: cut if cut > 0 else limit] + " …"
    return f"`{body}`"
