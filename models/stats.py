"""Trends across the library: what the Insights screen draws and `postmortem stats`
prints.

Every figure states what it counts (:data:`DEFINITIONS`). Durations are per
incident, from its milestones (models.metrics: a milestone is the earliest event
of its kind): time to detect = detected - started, time to mitigate = mitigated
- started, time to resolve = resolved - started. A postmortem missing either
milestone of a duration is left out of that figure and counted as left out,
never taken as zero; so is one whose milestones are out of order (a detection
before the start is a data error, not a negative duration).

Medians and 90th percentiles interpolate linearly between the closest ranks
(Hyndman & Fan's type 7: numpy's default, Excel's PERCENTILE.INC), so the
median of an even count is the mean of the two middle values.

Incidents are placed in a month or quarter by the start date in the
postmortem's own timezone. A postmortem without a start is left out of the
per-period figures (and, with ``since``, of everything, since it can't be placed
before or after the date) and counted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from models.enums import ActionStatus, Severity
from models.library import ActionRow, Incident
from models.sqlvalues import local_date
from models.timeparse import out_of_range

DURATIONS: tuple[tuple[str, str, str, str], ...] = (
    # key, label, from milestone, to milestone
    ("time_to_detect", "Time to detect", "started", "detected"),
    ("time_to_mitigate", "Time to mitigate", "started", "mitigated"),
    ("time_to_resolve", "Time to resolve", "started", "resolved"),
)
SHORT = {"time_to_detect": "TTD", "time_to_mitigate": "TTM", "time_to_resolve": "TTR"}
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("under 30 days", 0, 30),
    ("30-89 days", 30, 90),
    ("90-179 days", 90, 180),
    ("180 days or more", 180, None),
)
DEFINITIONS: dict[str, str] = {
    "incidents": (
        "postmortems whose incident started in the period (its first 'started' event, "
        "dated in the postmortem's timezone), by severity"
    ),
    "time_to_detect": "per incident: first 'detected' event minus first 'started' event",
    "time_to_mitigate": "per incident: first 'mitigated' event minus first 'started' event",
    "time_to_resolve": "per incident: first 'resolved' event minus first 'started' event",
    "median": "the middle value (the mean of the two middle ones for an even count)",
    "p90": (
        "90th percentile: 90% of incidents took this long or less (linear interpolation "
        "between closest ranks, as numpy's default and Excel's PERCENTILE.INC)"
    ),
    "left_out": (
        "postmortems without the milestones a figure needs, or with them out of order; "
        "never counted as zero"
    ),
    "by_service": "postmortems listing the service (one postmortem counts for each service)",
    "by_tag": "postmortems carrying the tag",
    "categories": "postmortems whose fishbone has the category (names compared case-blind)",
    "root_causes": "fishbone causes marked as root, by wording (case and spacing ignored)",
    "actions": (
        "action items of the postmortems counted: done, won't do, and open (open or in "
        "progress), of which overdue (due before today in the postmortem's timezone)"
    ),
    "action_age": (
        "open action items by days since their incident began (action items carry no "
        "creation time; none is older than its incident)"
    ),
}


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-quantile (0..1) by linear interpolation between closest ranks
    (type 7); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Figure:
    """Median and p90 of a duration over ``count`` incidents (seconds); how many
    postmortems were left out, and why."""

    count: int
    median: float | None
    p90: float | None
    missing: int = 0  # a milestone of the pair is not recorded
    out_of_order: int = 0  # the later milestone comes first

    @property
    def left_out(self) -> int:
        return self.missing + self.out_of_order

    def as_json(self) -> dict[str, Any]:
        def whole(v: float | None) -> int | None:
            return None if v is None else round(v)

        return {
            "count": self.count,
            "median_s": whole(self.median),
            "p90_s": whole(self.p90),
            "left_out": {"missing_milestone": self.missing, "out_of_order": self.out_of_order},
        }


def figure(incidents: Iterable[Incident], first: str, last: str) -> Figure:
    values: list[float] = []
    missing = backwards = 0
    for incident in incidents:
        seconds = incident.between(first, last)
        if seconds is None:
            missing += 1
        elif seconds < 0:
            backwards += 1
        else:
            values.append(seconds)
    return Figure(len(values), percentile(values, 0.5), percentile(values, 0.9), missing, backwards)


@dataclass(frozen=True)
class Period:
    label: str  # "2026-03" or "2026-Q1"
    first_day: dt.date
    incidents: int
    by_severity: dict[str, int]
    durations: dict[str, Figure]


@dataclass(frozen=True)
class Count:
    name: str
    count: int


@dataclass(frozen=True)
class ActionFigures:
    total: int
    done: int
    wont_do: int
    open: int  # open or in progress
    in_progress: int
    overdue: int
    age_median_days: float | None
    age_p90_days: float | None
    age_buckets: dict[str, int]


@dataclass(frozen=True)
class Stats:
    by: str
    since: dt.date | None
    postmortems: int  # counted in the breakdowns
    without_start: int  # left out of per-period figures (and of all, with since)
    periods: list[Period]
    overall: dict[str, Figure]
    by_service: list[Count]
    by_tag: list[Count]
    categories: list[Count]
    root_causes: list[Count]
    actions: ActionFigures
    definitions: dict[str, str] = field(default_factory=lambda: dict(DEFINITIONS))

    def as_json(self) -> dict[str, Any]:
        def counts(items: list[Count]) -> list[dict[str, Any]]:
            return [{"name": c.name, "count": c.count} for c in items]

        a = self.actions
        return {
            "by": self.by,
            "since": self.since.isoformat() if self.since else None,
            "postmortems": self.postmortems,
            "left_out_without_start": self.without_start,
            "periods": [
                {
                    "period": p.label,
                    "incidents": p.incidents,
                    "by_severity": p.by_severity,
                    **{k: f.as_json() for k, f in p.durations.items()},
                }
                for p in self.periods
            ],
            "overall": {k: f.as_json() for k, f in self.overall.items()},
            "by_service": counts(self.by_service),
            "by_tag": counts(self.by_tag),
            "fishbone_categories": counts(self.categories),
            "root_causes": counts(self.root_causes),
            "action_items": {
                "total": a.total,
                "done": a.done,
                "wont_do": a.wont_do,
                "open": a.open,
                "in_progress": a.in_progress,
                "overdue": a.overdue,
                "open_age_median_days": a.age_median_days,
                "open_age_p90_days": a.age_p90_days,
                "open_age": a.age_buckets,
            },
            "definitions": self.definitions,
        }


def period_of(day: dt.date, by: str) -> tuple[str, dt.date]:
    """(label, first day) of the month or quarter holding ``day``."""
    if by == "quarter":
        quarter = (day.month - 1) // 3
        return f"{day.year}-Q{quarter + 1}", dt.date(day.year, quarter * 3 + 1, 1)
    return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1)


def _next(first: dt.date, by: str) -> dt.date:
    months = 3 if by == "quarter" else 1
    month0 = first.month - 1 + months
    return dt.date(first.year + month0 // 12, month0 % 12 + 1, 1)


_SPACES = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold().rstrip(".")


def _counted(names: Iterable[Iterable[str]], limit: int | None) -> list[Count]:
    """How many groups hold each name, case-blind; shown as its most common spelling.
    Sorted by count, then name."""
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    normal: dict[str, tuple[str, str]] = {}  # the same names recur across the library
    for group in names:
        seen: dict[str, str] = {}
        for n in group:
            if n not in normal:
                normal[n] = (_normal(n), " ".join(n.split()))
            key, name = normal[n]
            if key:
                seen[key] = name
        for key, name in seen.items():
            counts[key] += 1
            if key not in spellings:
                spellings[key] = Counter()
            spellings[key][name] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if limit is not None:
        ordered = ordered[:limit]
    return [Count(spellings[k].most_common(1)[0][0], n) for k, n in ordered]


def compute(
    incidents: Sequence[Incident],
    actions: Sequence[ActionRow],
    *,
    now: dt.datetime,
    since: dt.date | None = None,
    by: str = "month",
    top: int | None = 10,
) -> Stats:
    """Every figure of the Insights screen and `postmortem stats` (see the module doc).

    ``since`` keeps incidents that started on or after that date (in their own
    zone); ``by`` is "month" or "quarter"; ``top`` caps each breakdown (None: all).
    Raises ValueError for another ``by``."""
    if by not in ("month", "quarter"):
        raise ValueError(f"by must be month or quarter, not {by!r}")
    dated: list[tuple[dt.date, Incident]] = []
    undated: list[Incident] = []
    for incident in incidents:
        # A start outside the accepted years (stored by an older version) can't be
        # placed in a period: it counts as "without a start", never as a month of
        # year 1 that would stretch the periods across the whole calendar.
        if incident.started is None or out_of_range(incident.started):
            undated.append(incident)
            continue
        day = local_date(incident.started, incident.timezone)
        if since is None or day >= since:
            dated.append((day, incident))
    scope = [i for _, i in dated] + ([] if since is not None else undated)

    periods: list[Period] = []
    if dated:
        first = period_of(min(d for d, _ in dated), by)[1]
        last = period_of(max(d for d, _ in dated), by)[1]
        buckets: dict[dt.date, list[Incident]] = {}
        for day, incident in dated:
            buckets.setdefault(period_of(day, by)[1], []).append(incident)
        start = first
        while start <= last:
            members = buckets.get(start, [])
            severities = Counter(i.severity for i in members)
            periods.append(
                Period(
                    period_of(start, by)[0],
                    start,
                    len(members),
                    {s.value: severities.get(s.value, 0) for s in Severity},
                    {key: figure(members, a, b) for key, _, a, b in DURATIONS},
                )
            )
            start = _next(start, by)

    in_scope = {i.id for i in scope}
    chosen = [a for a in actions if a.pm_id in in_scope]
    open_items = [a for a in chosen if a.is_open]
    ages = [a.age_days(now) for a in open_items]
    buckets_age = {
        label: sum(1 for age in ages if age >= low and (high is None or age < high))
        for label, low, high in AGE_BUCKETS
    }
    action_figures = ActionFigures(
        total=len(chosen),
        done=sum(1 for a in chosen if a.status == ActionStatus.DONE),
        wont_do=sum(1 for a in chosen if a.status == ActionStatus.WONT_DO),
        open=len(open_items),
        in_progress=sum(1 for a in open_items if a.status == ActionStatus.IN_PROGRESS),
        overdue=sum(1 for a in open_items if a.is_overdue(now)),
        age_median_days=percentile([float(a) for a in ages], 0.5),
        age_p90_days=percentile([float(a) for a in ages], 0.9),
        age_buckets=buckets_age,
    )
    return Stats(
        by=by,
        since=since,
        postmortems=len(scope),
        without_start=len(undated),
        periods=periods,
        overall={key: figure(scope, a, b) for key, _, a, b in DURATIONS},
        by_service=_counted((i.services for i in scope), top),
        by_tag=_counted((i.tags for i in scope), top),
        categories=_counted((i.categories for i in scope), top),
        root_causes=_counted(((c,) for i in scope for c in i.root_causes), top),
        actions=action_figures,
    )


def load(conn: Any, *, now: dt.datetime, since: dt.date | None = None, by: str = "month") -> Stats:
    """:func:`compute` over the whole library behind ``conn`` (a SQLAlchemy Connection)."""
    from models.library import action_rows, incidents

    return compute(incidents(conn), action_rows(conn), now=now, since=since, by=by)


def _duration(seconds: float | None) -> str:
    from models.timefmt import duration_words

    return duration_words(seconds)


def _left_out(f: Figure) -> str:
    if not f.left_out:
        return "none left out"
    parts = []
    if f.missing:
        parts.append(f"{f.missing} missing a milestone")
    if f.out_of_order:
        parts.append(f"{f.out_of_order} out of order")
    return "left out: " + ", ".join(parts)


def report(stats: Stats, *, definitions: bool = True) -> str:
    """The figures as text for a terminal or a mail: tables with fixed columns,
    each figure with what it counts and what it left out."""
    from models.usertext import printable

    out: list[str] = []
    scope = f"since {stats.since.isoformat()}" if stats.since else "all time"
    out.append(f"{stats.postmortems} postmortems ({scope})")
    if stats.without_start:
        verb = "left out" if stats.since else "left out of the figures by period"
        out.append(f"{stats.without_start} without a start time, {verb}")
    out.append("")
    out.append(f"Incidents by {stats.by}")
    sevs = [s.value for s in Severity]
    head = ["period", "total", *sevs] + [f"{SHORT[k]} median/p90 (n)" for k, _, _, _ in DURATIONS]
    rows = [
        [
            p.label,
            str(p.incidents),
            *(str(p.by_severity.get(s, 0)) for s in sevs),
            *(
                f"{_duration(f.median)}/{_duration(f.p90)} ({f.count})" if f.count else "—"
                for f in (p.durations[k] for k, _, _, _ in DURATIONS)
            ),
        ]
        for p in stats.periods
    ]
    if rows:
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        for r in [head, *rows]:
            out.append(
                "  ".join(
                    c.rjust(w) if i else c.ljust(w)
                    for i, (c, w) in enumerate(zip(r, widths, strict=True))
                ).rstrip()
            )
    else:
        out.append("  no incident with a start time")
    out += ["", "Durations over every period"]
    for key, label, _, _ in DURATIONS:
        f = stats.overall[key]
        out.append(
            f"  {label:<17} median {_duration(f.median):>7}   p90 {_duration(f.p90):>7}"
            f"   over {f.count} incidents; {_left_out(f)}"
        )
    for title, items in (
        ("By service", stats.by_service),
        ("By tag", stats.by_tag),
        ("Fishbone categories", stats.categories),
        ("Root causes (fishbone causes marked as root)", stats.root_causes),
    ):
        out += ["", title]
        if not items:
            out.append("  none")
        width = max((len(printable(c.name)) for c in items), default=0)
        out += [f"  {printable(c.name):<{width}}  {c.count:>4}" for c in items]
    a = stats.actions
    out += [
        "",
        f"Action items: {a.total}; done {a.done}, won't do {a.wont_do}, open {a.open} "
        f"(in progress {a.in_progress}), overdue {a.overdue}",
    ]
    if a.open:
        ages = " · ".join(f"{label} {n}" for label, n in a.age_buckets.items())
        out.append(
            f"  open for: {ages}; median {a.age_median_days:.0f} days, "
            f"p90 {a.age_p90_days:.0f} days"
        )
    if definitions:
        out += ["", "Definitions"]
        out += [f"  {key.replace('_', ' ')}: {text}" for key, text in stats.definitions.items()]
    return "\n".join(out) + "\n"
