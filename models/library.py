"""Read-only views across the whole library, for statistics, action items and
related-incident suggestions.

Loading 1,000 postmortems whole through the ORM takes seconds; these read only
the columns each view needs, with one plain query per table (a few ms for
1,000 postmortems), and hand back small frozen records. The queries are
portable SQL: SQLite and PostgreSQL run them alike.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

from models.enums import MILESTONE_VALUES, ActionStatus
from models.sqlvalues import day, local_date, moment, string_list

# A cause belongs to a category directly, or through its parent causes.
_CAUSES = (
    "WITH RECURSIVE owned (id, pm) AS ("
    " SELECT fc.id, cat.postmortem_id FROM fishbone_cause fc"
    " JOIN fishbone_category cat ON cat.id = fc.category_id"
    " UNION ALL"
    " SELECT fc.id, owned.pm FROM fishbone_cause fc JOIN owned ON fc.parent_id = owned.id"
    " WHERE fc.category_id IS NULL)"
    " SELECT owned.pm, t.text FROM owned JOIN fishbone_cause t ON t.id = owned.id"
    " WHERE t.root_cause ORDER BY owned.pm, t.id"
)


@dataclass(frozen=True)
class Incident:
    """One postmortem as the library-wide views see it. ``milestones`` maps each
    milestone kind to its earliest event (UTC), as models.metrics defines it."""

    id: int
    title: str
    severity: str
    status: str
    timezone: str
    services: tuple[str, ...]
    tags: tuple[str, ...]
    created_at: dt.datetime
    milestones: dict[str, dt.datetime] = field(default_factory=dict)
    categories: tuple[str, ...] = ()
    root_causes: tuple[str, ...] = ()  # fishbone causes marked as root
    why_roots: tuple[str, ...] = ()  # the last why of each 5 Whys chain

    @property
    def started(self) -> dt.datetime | None:
        return self.milestones.get("started")

    def between(self, first: str, last: str) -> float | None:
        """Seconds from milestone ``first`` to ``last``; None when either is missing."""
        a, b = self.milestones.get(first), self.milestones.get(last)
        return None if a is None or b is None else (b - a).total_seconds()


@dataclass(frozen=True)
class ActionRow:
    """An action item with what the library's Action Items need of its postmortem."""

    id: int
    pm_id: int
    pm_title: str
    pm_timezone: str
    pm_services: tuple[str, ...]
    pm_started: dt.datetime | None
    pm_created: dt.datetime
    position: int
    title: str
    owner: str
    due: dt.date | None
    priority: str
    kind: str
    status: str
    ticket: str

    @property
    def is_open(self) -> bool:
        """Open or in progress: neither done nor won't do."""
        try:
            return not ActionStatus(self.status).is_closed
        except ValueError:
            return True  # a status stored before today's rules: not known to be closed

    def today(self, now: dt.datetime) -> dt.date:
        """Today where the team lives: due dates are days in the postmortem's zone."""
        return local_date(now, self.pm_timezone)

    def is_overdue(self, now: dt.datetime) -> bool:
        """Open, with a due date before today (in the postmortem's zone)."""
        return self.is_open and self.due is not None and self.due < self.today(now)

    def age_days(self, now: dt.datetime) -> int:
        """Days since the incident began (the postmortem's creation when no start is
        recorded): how long this lesson has waited. Action items carry no creation
        time of their own, and none can be older than its incident."""
        since = local_date(self.pm_started or self.pm_created, self.pm_timezone)
        return (self.today(now) - since).days


def _milestones(
    conn: Connection, ids: Iterable[int] | None = None
) -> dict[int, dict[str, dt.datetime]]:
    kinds = ", ".join(f"'{k}'" for k in sorted(MILESTONE_VALUES))
    sql = (
        "SELECT postmortem_id, kind, min(at) FROM timeline_event"
        f" WHERE kind IN ({kinds}) GROUP BY postmortem_id, kind"
    )
    out: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    wanted = set(ids) if ids is not None else None
    for pm_id, kind, first in conn.execute(text(sql)).all():
        at = moment(first)
        if pm_id is not None and at is not None and (wanted is None or pm_id in wanted):
            out[int(pm_id)][str(kind)] = at
    return out


def incidents(conn: Connection) -> list[Incident]:
    """Every postmortem, oldest incident first (by start, else by creation)."""
    milestones = _milestones(conn)
    categories: dict[int, list[str]] = defaultdict(list)
    for pm_id, name in conn.execute(
        text("SELECT postmortem_id, name FROM fishbone_category ORDER BY postmortem_id, position")
    ).all():
        if pm_id is not None:
            categories[int(pm_id)].append(str(name))
    roots: dict[int, list[str]] = defaultdict(list)
    for pm_id, cause in conn.execute(text(_CAUSES)).all():
        roots[int(pm_id)].append(str(cause))
    whys: dict[int, list[str]] = defaultdict(list)
    for pm_id, why in conn.execute(
        text(
            "SELECT c.postmortem_id, w.text FROM why w JOIN why_chain c ON c.id = w.chain_id"
            " WHERE w.position = (SELECT max(w2.position) FROM why w2"
            "  WHERE w2.chain_id = w.chain_id) ORDER BY c.postmortem_id, c.position"
        )
    ).all():
        whys[int(pm_id)].append(str(why))
    out = []
    for row in conn.execute(
        text(
            "SELECT id, title, severity, status, timezone, services, tags, created_at"
            " FROM postmortem"
        )
    ).all():
        pm_id = int(row[0])
        out.append(
            Incident(
                id=pm_id,
                title=str(row[1]),
                severity=str(row[2]),
                status=str(row[3]),
                timezone=str(row[4]),
                services=tuple(string_list(row[5])),
                tags=tuple(string_list(row[6])),
                created_at=moment(row[7]) or dt.datetime.now(dt.UTC),
                milestones=dict(milestones.get(pm_id, {})),
                categories=tuple(categories.get(pm_id, ())),
                root_causes=tuple(roots.get(pm_id, ())),
                why_roots=tuple(whys.get(pm_id, ())),
            )
        )
    out.sort(key=lambda i: (i.started or i.created_at, i.id))
    return out


def action_rows(conn: Connection) -> list[ActionRow]:
    """Every action item of every postmortem, in postmortem then list order."""
    starts = {pm: ms["started"] for pm, ms in _milestones(conn).items() if "started" in ms}
    out = []
    for row in conn.execute(
        text(
            "SELECT a.id, a.postmortem_id, p.title, p.timezone, p.services, p.created_at,"
            " a.position, a.title, a.owner, a.due, a.priority, a.kind, a.status, a.ticket"
            " FROM action_item a JOIN postmortem p ON p.id = a.postmortem_id"
            " ORDER BY a.postmortem_id, a.position, a.id"
        )
    ).all():
        pm_id = int(row[1])
        out.append(
            ActionRow(
                id=int(row[0]),
                pm_id=pm_id,
                pm_title=str(row[2]),
                pm_timezone=str(row[3]),
                pm_services=tuple(string_list(row[4])),
                pm_started=starts.get(pm_id),
                pm_created=moment(row[5]) or dt.datetime.now(dt.UTC),
                position=int(row[6]),
                title=str(row[7]),
                owner=str(row[8]),
                due=day(row[9]),
                priority=str(row[10]),
                kind=str(row[11]),
                status=str(row[12]),
                ticket=str(row[13]),
            )
        )
    return out
