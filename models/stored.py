"""What is already stored may break today's rules: find it, name it, never fail on it.

A library outlives the version that wrote it. Rows written before
:mod:`models.rules` existed (an event in year 1, a title holding ESC) or by
another program (a severity ``SEV9``, a zone ``Mars/Olympus``, a count stored as
text) must not stop a listing, an export or the app, for that postmortem or any
other. So stored values are never re-validated on the way out; instead:

* :func:`problems` checks a loaded postmortem against the same rules an import
  obeys and returns one line per value that breaks them, named by its path in
  the ``postmortem/v1`` format (``timeline[0].at``), so the user can find it in
  an export and fix it in the app. Showing these is the job of each front end.
* Everything that displays stored data goes through helpers that can't fail:
  :func:`models.timefmt.local` for times and zones, :func:`models.usertext.printable`
  for text, :func:`number` and :func:`words` here for the rest.

Nothing is changed in the database: a value is only replaced when the user
edits it, through the ordinary rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from models import rules
from models.enums import EventKind, Severity, Status
from models.errors import ValidationError
from models.tables import FishboneCause, Postmortem
from models.timeparse import EARLIEST, LATEST, TIME_RANGE, format_rfc3339, out_of_range, zone
from models.usertext import one_line, printable, problem

# The postmortem's columns under the name its postmortem/v1 document gives them.
_POSTMORTEM_PATHS = {
    "title": "title",
    "severity": "severity",
    "status": "status",
    "timezone": "timezone",
    "summary": "summary",
    "authors": "authors",
    "services": "services",
    "tags": "tags",
    "fishbone_effect": "fishbone.effect",
    "impact_description": "impact.description",
    "users_affected": "impact.users_affected",
    "support_tickets": "impact.support_tickets",
    "slo_budget_consumed_pct": "impact.slo_budget_consumed_pct",
    "revenue_impact": "impact.revenue_impact",
    "data_loss": "impact.data_loss",
}


# What the database driver raises when a stored value can't be converted to its
# column's type: a time "garbage" (ValueError), a JSON list "not json"
# (JSONDecodeError, a ValueError), an offset that leaves datetime's range
# (OverflowError), a number where a time belongs (TypeError).
UNREADABLE: tuple[type[Exception], ...] = (ValueError, TypeError, OverflowError)


def unreadable(exc: BaseException) -> str:
    """The one-line problem of a postmortem holding a value that can't be read."""
    detail = one_line(f"{type(exc).__name__}: {exc}", 80)
    return (
        f"can't be read: another program stored a value this version doesn't understand "
        f"({detail}); the other postmortems are unaffected"
    )


def time_problem(moment: Any) -> str | None:
    """Why a stored time can't be used (shown in every zone, counted in durations)."""
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
        return f"is not a time ({printable(repr(moment))[:60]})"
    if out_of_range(moment):
        return f"{format_rfc3339(moment)} is outside the accepted years, {TIME_RANGE}"
    return None


def _check(out: list[str], path: str, rule: Callable[[str, Any], Any], value: Any) -> None:
    try:
        rule(path, value)
    except ValidationError as exc:
        out.append(str(exc))
    except Exception as exc:  # a rule meeting a type no version ever wrote
        out.append(f"{path}: can't be read ({type(exc).__name__})")


def _row(out: list[str], prefix: str, table: str, row: Any, skip: Iterable[str] = ()) -> None:
    for name, rule in rules.FIELD_RULES[table].items():
        if name not in skip:
            _check(out, f"{prefix}.{name}", rule, getattr(row, name, None))


def _causes(out: list[str], prefix: str, causes: list[FishboneCause], depth: int = 0) -> None:
    for i, cause in enumerate(causes):
        path = f"{prefix}.causes[{i}]"
        _row(out, path, "fishbone_cause", cause)
        if depth < 100:  # a cycle written by another program must not recurse forever
            _causes(out, path, cause.children, depth + 1)


def problems(pm: Postmortem) -> list[str]:
    """Every stored value of ``pm`` that today's rules refuse, one line each.

    Each line is ``path: problem`` with the path of the postmortem/v1 format
    (docs/format.md), events counted in time order as an export lists them.
    An empty list means the postmortem could be exported and imported again."""
    out: list[str] = []
    for column, path in _POSTMORTEM_PATHS.items():
        _check(out, path, rules.FIELD_RULES["postmortem"][column], getattr(pm, column, None))
    try:  # the export's order, so a path names the event an export shows there
        events = sorted(pm.events, key=attrgetter("at"))
    except TypeError:  # a value that is not a time at all (never from the store)
        events = sorted(pm.events, key=_event_order)
    for i, event in enumerate(events):
        # The common case, every value fine, in a few comparisons: a timeline can
        # hold 10,000 events and this runs each time a postmortem is opened.
        at, kind, text, actor = event.at, event.kind, event.text, event.actor
        if (
            isinstance(at, dt.datetime)
            and at.tzinfo is not None
            and EARLIEST <= at < LATEST
            and kind in _KINDS
            and isinstance(text, str)
            and isinstance(actor, str)
            and problem(text) is None
            and problem(actor) is None
        ):
            continue
        why = time_problem(at)
        if why is not None:
            out.append(f"timeline[{i}].at: {why}")
        _row(out, f"timeline[{i}]", "timeline_event", event, skip=("at",))
    for i, chain in enumerate(pm.why_chains):
        _row(out, f"why_chains[{i}]", "why_chain", chain)
        for j, why_row in enumerate(chain.whys):
            _check(out, f"why_chains[{i}].whys[{j}]", rules.text, why_row.text)
    for i, category in enumerate(pm.categories):
        path = f"fishbone.categories[{i}]"
        _row(out, path, "fishbone_category", category)
        _causes(out, path, category.causes)
    counters: dict[str, int] = {}
    for item in pm.response_items:
        n = counters.get(item.section, 0)
        counters[item.section] = n + 1
        path = f"response.{printable(str(item.section))}[{n}]"
        _check(out, path, rules.FIELD_RULES["response_item"]["section"], item.section)
        _check(out, path, rules.text, item.text)
    for i, action in enumerate(pm.action_items):
        _row(out, f"action_items[{i}]", "action_item", action)
    return out


_KINDS = frozenset(k.value for k in EventKind)


def _event_order(event: Any) -> tuple[int, Any]:
    """Time order that can't fail: a value that isn't an aware time sorts first."""
    at = event.at
    if isinstance(at, dt.datetime) and at.tzinfo is not None:
        return (1, at)
    return (0, event.id or 0)


def summary_problems(pm: Postmortem, invalid_times: int = 0) -> list[str]:
    """The problems the library can see without loading a postmortem's children:
    its own columns, and how many of its events lie outside the accepted years."""
    out: list[str] = []
    if _summary_fine(pm):  # the library lists them all: keep the common case cheap
        columns: tuple[str, ...] = ()
    else:
        columns = ("title", "severity", "status", "timezone", "authors", "services", "tags")
    for column in columns:
        rule = rules.FIELD_RULES["postmortem"][column]
        _check(out, _POSTMORTEM_PATHS[column], rule, getattr(pm, column, None))
    if invalid_times:
        noun = "events are" if invalid_times > 1 else "event is"
        out.append(f"timeline: {invalid_times} {noun} outside the accepted years, {TIME_RANGE}")
    return out


_SEVERITIES = frozenset(s.value for s in Severity)
_STATUSES = frozenset(s.value for s in Status)


def _summary_fine(pm: Postmortem) -> bool:
    title = pm.title
    return (
        isinstance(title, str)
        and problem(title) is None
        and bool(title.strip())
        and pm.severity in _SEVERITIES
        and pm.status in _STATUSES
        and valid_zone(pm.timezone)
        and all(
            isinstance(names, list)
            and all(isinstance(n, str) and problem(n) is None for n in names)
            for names in (pm.authors, pm.services, pm.tags)
        )
    )


def valid_zone(name: Any) -> bool:
    try:
        zone(name)
    except (ValidationError, TypeError):
        return False
    return True


def valid_time(moment: Any) -> bool:
    return time_problem(moment) is None


def summary(found: list[str], limit: int = 3) -> str:
    """The problems as one line: the first few, then how many more."""
    if not found:
        return ""
    head = "; ".join(found[:limit])
    more = len(found) - limit
    noun = "value breaks" if len(found) == 1 else "values break"
    tail = f"; and {more} more" if more > 0 else ""
    return f"{len(found)} stored {noun} today's rules: {head}{tail}"


def number(value: Any, suffix: str = "") -> str:
    """A stored count or percentage for display: ``18,400``, ``40%``, ``—`` when
    empty, and the raw value marked when it isn't a number at all."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"invalid: {printable(str(value))[:60]}"
    if isinstance(value, float):
        return f"{value:,g}{suffix}"
    return f"{value:,}{suffix}"


def words(value: Any) -> list[str]:
    """A stored list of names (authors, services, tags) as printable strings,
    whatever another program put in the column."""
    if isinstance(value, list):
        return [printable(v if isinstance(v, str) else str(v)) for v in value]
    if value is None:
        return []
    return [printable(str(value))]
