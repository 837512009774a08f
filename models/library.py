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
from typing import Any

from sqlalchemy import Connection

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


def rows(conn: Connection, sql: str) -> list[Any]:
    """All rows of a parameterless query, straight from the DBAPI cursor, inside the
    connection's transaction: SQLAlchemy's Row objects cost more than the query
    itself on these wide reads (measured in tests/perf/bench_search.py)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _milestones(
    conn: Connection, kinds: Iterable[str] = MILESTONE_VALUES
) -> dict[int, dict[str, dt.datetime]]:
    wanted = ", ".join(f"'{k}'" for k in sorted(kinds) if k in MILESTONE_VALUES)
    sql = (
        "SELECT postmortem_id, kind, min(at) FROM timeline_event"
        f" WHERE kind IN ({wanted}) GROUP BY postmortem_id, kind"
    )
    out: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for pm_id, kind, first in rows(conn, sql):
        at = moment(first)
        if pm_id is not None and at is not None:
            out[int(pm_id)][str(kind)] = at
    return out


# The milestones the library-wide figures use: the start and the three durations' ends.
STAT_MILESTONES = ("started", "detected", "mitigated", "resolved")


def incidents(conn: Connection) -> list[Incident]:
    """Every postmortem, oldest incident first (by start, else by creation), with the
    milestones of STAT_MILESTONES."""
    milestones = _milestones(conn, STAT_MILESTONES)
    categories: dict[int, list[str]] = defaultdict(list)
    for pm_id, name in rows(
        conn, "SELECT postmortem_id, name FROM fishbone_category ORDER BY postmortem_id, position"
    ):
        if pm_id is not None:
            categories[int(pm_id)].append(str(name))
    roots: dict[int, list[str]] = defaultdict(list)
    for pm_id, cause in rows(conn, _CAUSES):
        roots[int(pm_id)].append(str(cause))
    whys: dict[int, list[str]] = defaultdict(list)
    for pm_id, why in rows(
        conn,
        "SELECT c.postmortem_id, w.text FROM why w JOIN why_chain c ON c.id = w.chain_id"
        " JOIN (SELECT chain_id, max(position) AS last FROM why GROUP BY chain_id) m"
        " ON m.chain_id = w.chain_id AND m.last = w.position"
        " ORDER BY c.postmortem_id, c.position",
    ):
        whys[int(pm_id)].append(str(why))
    out = []
    for row in rows(
        conn,
        "SELECT id, title, severity, status, timezone, services, tags, created_at FROM postmortem",
    ):
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
    starts = {pm: ms["started"] for pm, ms in _milestones(conn, ("started",)).items()}
    postmortems: dict[int, tuple[str, str, tuple[str, ...], dt.datetime]] = {}
    for pm_id, title, zone, services, created in rows(
        conn, "SELECT id, title, timezone, services, created_at FROM postmortem"
    ):
        postmortems[int(pm_id)] = (
            str(title),
            str(zone),
            tuple(string_list(services)),
            moment(created) or dt.datetime.now(dt.UTC),
        )
    out = []
    for row in rows(
        conn,
        "SELECT id, postmortem_id, position, title, owner, due, priority, kind, status, ticket"
        " FROM action_item WHERE postmortem_id IS NOT NULL"
        " ORDER BY postmortem_id, position, id",
    ):
        pm_id = int(row[1])
        if pm_id not in postmortems:
            continue
        title, zone, services, created = postmortems[pm_id]
        out.append(
            ActionRow(
                id=int(row[0]),
                pm_id=pm_id,
                pm_title=title,
                pm_timezone=zone,
                pm_services=services,
                pm_started=starts.get(pm_id),
                pm_created=created,
                position=int(row[2]),
                title=str(row[3]),
                owner=str(row[4]),
                due=day(row[5]),
                priority=str(row[6]),
                kind=str(row[7]),
                status=str(row[8]),
                ticket=str(row[9]),
            )
        )
    return out
