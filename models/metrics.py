"""Incident durations derived from the timeline.

The timeline is the single source of truth: a milestone is the *earliest* event
of its kind, so adding a later "detected" note never moves the detection time.
Impossible orders are reported as warnings, never refused: during an incident
people log what they know when they know it, and a half-right timeline is
better than a blocked save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from models.enums import MILESTONES, EventKind
from models.timeparse import EARLIEST, LATEST, TIME_RANGE, to_zone

# Events this far ahead of the clock are typos, not clock skew.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class EventLike(Protocol):
    @property
    def at(self) -> dt.datetime: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Metrics:
    milestones: dict[EventKind, dt.datetime] = field(default_factory=dict)
    time_to_detect: float | None = None
    time_to_notify: float | None = None
    time_to_respond: float | None = None
    time_to_mitigate: float | None = None
    time_to_resolve: float | None = None
    impact_duration: float | None = None
    warnings: tuple[str, ...] = ()

    @property
    def started(self) -> dt.datetime | None:
        return self.milestones.get(EventKind.STARTED)

    @property
    def ended(self) -> dt.datetime | None:
        """When the impact ended: mitigation if known, else resolution."""
        return self.milestones.get(EventKind.MITIGATED) or self.milestones.get(EventKind.RESOLVED)

    @property
    def ongoing(self) -> bool:
        """Started but neither mitigated nor resolved: the header's live clock runs."""
        return self.started is not None and self.ended is None

    def as_seconds(self) -> dict[str, int | None]:
        """The `metrics` object of the JSON interchange format."""

        def whole(v: float | None) -> int | None:
            return None if v is None else round(v)

        return {
            "time_to_detect_s": whole(self.time_to_detect),
            "time_to_notify_s": whole(self.time_to_notify),
            "time_to_respond_s": whole(self.time_to_respond),
            "time_to_mitigate_s": whole(self.time_to_mitigate),
            "time_to_resolve_s": whole(self.time_to_resolve),
            "impact_duration_s": whole(self.impact_duration),
        }


METRIC_LABELS: tuple[tuple[str, str], ...] = (
    ("time_to_detect", "Time to detect"),
    ("time_to_notify", "Time to notify"),
    ("time_to_respond", "Time to respond"),
    ("time_to_mitigate", "Time to mitigate"),
    ("time_to_resolve", "Time to resolve"),
    ("impact_duration", "Impact duration"),
)


_MILESTONE_BY_VALUE = {k.value: k for k in MILESTONES}


def milestones(events: Iterable[EventLike]) -> dict[EventKind, dt.datetime]:
    """The earliest event of each milestone kind.

    Events stored outside the accepted years (an older version or another
    program wrote them; see models.stored) are no milestone: a start in year 1
    would make every duration meaningless and can't be shown in every zone.

    A plain dict lookup per event, not an enum conversion: the live timeline
    recomputes this on every added event, over thousands of them."""
    found: dict[EventKind, dt.datetime] = {}
    for event in events:
        kind = _MILESTONE_BY_VALUE.get(event.kind)
        if kind is None:
            continue
        at = event.at
        if (kind not in found or at < found[kind]) and EARLIEST <= at < LATEST:
            found[kind] = at
    return found


def _between(a: dt.datetime | None, b: dt.datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return (b - a).total_seconds()


def compute(events: Iterable[EventLike], *, now: dt.datetime | None = None) -> Metrics:
    events = list(events)
    ms = milestones(events)
    started = ms.get(EventKind.STARTED)
    detected = ms.get(EventKind.DETECTED)
    notified = ms.get(EventKind.NOTIFIED)
    responded = ms.get(EventKind.RESPONDED)
    mitigated = ms.get(EventKind.MITIGATED)
    resolved = ms.get(EventKind.RESOLVED)

    warnings: list[str] = []
    if started and detected and detected < started:
        warnings.append("detected before started")
    if started and mitigated and mitigated < started:
        warnings.append("mitigated before started")
    if started and resolved and resolved < started:
        warnings.append("resolved before started")
    if detected and notified and notified < detected:
        warnings.append("notified before detected")
    if detected and responded and responded < detected:
        warnings.append("responded before detected")
    if mitigated and resolved and resolved < mitigated:
        warnings.append("resolved before mitigated")
    current = now or dt.datetime.now(dt.UTC)
    soon = current + FUTURE_TOLERANCE
    future = sum(1 for e in events if soon < e.at < LATEST)
    if future:
        warnings.append(f"{future} event{'s' if future > 1 else ''} in the future")
    invalid = sum(1 for e in events if not EARLIEST <= e.at < LATEST)
    if invalid:
        noun = "events" if invalid > 1 else "event"
        warnings.append(f"{invalid} {noun} outside {TIME_RANGE} left out of the metrics")

    return Metrics(
        milestones={k: ms[k] for k in MILESTONES if k in ms},
        time_to_detect=_between(started, detected),
        time_to_notify=_between(detected, notified),
        time_to_respond=_between(detected, responded),
        time_to_mitigate=_between(started, mitigated),
        time_to_resolve=_between(started, resolved),
        impact_duration=_between(started, mitigated or resolved),
        warnings=tuple(warnings),
    )


def milestone_moves(
    before: dict[EventKind, dt.datetime], after: dict[EventKind, dt.datetime], tz: str
) -> list[str]:
    """One line per milestone that a change moved or removed, e.g.
    "Mitigated moves from 14:47 to 14:29", "Detected is no longer set".

    A milestone is the earliest event of its kind, so one early ``#mitigated``
    line in a pasted log silently shortens time to mitigate; saying so is the
    only way a reader notices. A milestone set for the first time is normal and
    not reported. Times are shown in ``tz`` (an IANA name), with the date when it
    differs and seconds when the minute is the same."""
    out: list[str] = []
    for kind in MILESTONES:
        old, new = before.get(kind), after.get(kind)
        if old is None or old == new:
            continue
        name = kind.value.capitalize()
        if new is None:
            out.append(f"{name} is no longer set (it was {to_zone(old, tz):%H:%M})")
            continue
        a, b = to_zone(old, tz), to_zone(new, tz)
        fmt = "%H:%M:%S" if a.replace(second=0) == b.replace(second=0) else "%H:%M"
        if a.date() != b.date():
            fmt = "%a %d %b " + fmt
        out.append(f"{name} moves from {a:{fmt}} to {b:{fmt}}")
    return out
