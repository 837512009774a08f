"""Full-text search over every postmortem: what `postmortem search`, the
library's `/` and the link picker call.

:func:`search` parses the query (:mod:`models.search.query`), narrows by the
filters in Python over one light row per postmortem (backend-neutral, about
2 ms for 1,000 postmortems), asks the engine's full-text index for ranked
documents (:mod:`models.search.backend`), and groups them by postmortem: a
result is one postmortem, ranked by its best match, with its best few matches,
each naming its section and row and quoting the match in context.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from models.errors import PostmortemError
from models.search.backend import SearchBackend, for_engine
from models.search.documents import INDEXED, RESPONSE_LABELS
from models.search.query import Query, QueryError, parse
from models.slug import slugify
from models.sqlvalues import local_date, moment, string_list

__all__ = ["Match", "QueryError", "Result", "Results", "facts", "search"]

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
_MARKED = re.compile("\x02(.*?)\x03", re.S)


@dataclass(frozen=True)
class Match:
    """Where a postmortem matched: the row (``table``, ``row_id``) and field, the
    section that shows it, a name for the place ('timeline event', 'went wrong')
    and the snippet, with matched words between \\x02 and \\x03."""

    table: str
    row_id: int
    field: str
    section: str
    where: str
    snippet: str
    score: float

    def pieces(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_match) runs, for highlighting."""
        out: list[tuple[str, bool]] = []
        last = 0
        for m in _MARKED.finditer(self.snippet):
            if m.start() > last:
                out.append((self.snippet[last : m.start()], False))
            out.append((m.group(1), True))
            last = m.end()
        if last < len(self.snippet):
            out.append((self.snippet[last:], False))
        return [(re.sub(r"\s+", " ", t), hit) for t, hit in out]

    def window(self, width: int) -> list[tuple[str, bool]]:
        """:meth:`pieces` cut to at most ``width`` characters (``width`` ≥ 5) so that
        the first match shows: a third of the room before it, "…" where text was cut.
        A narrow column otherwise shows only the words before the match."""
        pieces = self.pieces()
        total = sum(len(t) for t, _ in pieces)
        if total <= width:
            return pieces
        first = 0
        for text_, hit in pieces:
            if hit:
                break
            first += len(text_)
        else:
            first = 0
        start = max(0, min(first - width // 3, total - (width - 1)))
        room = width - (1 if start > 0 else 0)
        end = min(total, start + room)
        if end < total:
            end -= 1  # room for the closing "…"
        out: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
        at = 0
        for text_, hit in pieces:
            lo, hi = max(start, at), min(end, at + len(text_))
            if lo < hi:
                out.append((text_[lo - at : hi - at], hit))
            at += len(text_)
        if end < total:
            out.append(("…", False))
        return out

    @property
    def plain(self) -> str:
        """The snippet on one line, matches unmarked."""
        return " ".join(
            self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "").split()
        )


@dataclass(frozen=True)
class Facts:
    """One postmortem as the filters and the result list see it."""

    id: int
    title: str
    severity: str
    status: str
    timezone: str
    services: list[str]
    tags: list[str]
    created_at: dt.datetime
    started: dt.datetime | None

    @property
    def day(self) -> dt.date:
        """The incident's start date in its own zone; the day it was written when no
        start is recorded (the date filters' definition)."""
        return local_date(self.started or self.created_at, self.timezone)


@dataclass(frozen=True)
class Result:
    facts: Facts
    score: float
    matches: tuple[Match, ...]
    total: int  # documents that matched, of which ``matches`` are the best

    @property
    def pm_id(self) -> int:
        return self.facts.id

    @property
    def title(self) -> str:
        return self.facts.title

    @property
    def slug(self) -> str:
        return slugify(self.facts.title)


@dataclass(frozen=True)
class Results:
    query: Query
    results: list[Result]
    more: bool  # more postmortems matched than ``limit``

    def __len__(self) -> int:
        return len(self.results)


def facts(conn: Connection, ids: Sequence[int] | None = None) -> dict[int, Facts]:
    """Id -> Facts for every postmortem (or those in ``ids``), in one query."""
    sql = (
        "SELECT p.id, p.title, p.severity, p.status, p.timezone, p.services, p.tags,"
        " p.created_at, (SELECT min(e.at) FROM timeline_event e"
        "  WHERE e.postmortem_id = p.id AND e.kind = 'started') AS started"
        " FROM postmortem p"
    )
    if ids is not None:
        if not ids:
            return {}
        sql += " WHERE p.id IN (" + ", ".join(str(int(i)) for i in ids) + ")"
    from models.library import rows

    out: dict[int, Facts] = {}
    for row in rows(conn, sql):
        created = moment(row[7]) or dt.datetime.now(dt.UTC)
        out[int(row[0])] = Facts(
            id=int(row[0]),
            title=str(row[1]),
            severity=str(row[2]),
            status=str(row[3]),
            timezone=str(row[4]),
            services=string_list(row[5]),
            tags=string_list(row[6]),
            created_at=created,
            started=moment(row[8]),
        )
    return out


def _response_sections(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    sql = (
        "SELECT id, section FROM response_item WHERE id IN ("
        + ", ".join(str(int(i)) for i in ids)
        + ")"
    )
    return {int(r[0]): str(r[1]) for r in conn.execute(text(sql)).all()}


def _accepted(conn: Connection, query: Query) -> list[int]:
    """Ids of the postmortems that ``query``'s filters accept, newest incident
    first (started, else written; then id).

    Reads one light row per postmortem and dates one only for a date filter or
    the order: building every postmortem's :class:`Facts` (two timestamps parsed
    each) cost more than the full-text match itself at 1,000 postmortems
    (tests/perf/bench_search.py)."""
    from models.library import rows

    wanted = query.filters
    dated = wanted.after is not None or wanted.before is not None or not query.has_text
    sql = "SELECT p.id, p.severity, p.status, p.services, p.tags"
    if dated:
        sql += (
            ", p.timezone, p.created_at, (SELECT min(e.at) FROM timeline_event e"
            "  WHERE e.postmortem_id = p.id AND e.kind = 'started')"
        )
    sql += " FROM postmortem p"
    kept: list[tuple[dt.datetime, int]] = []
    now = dt.datetime.now(dt.UTC)  # as Facts reads an unreadable creation time
    for row in rows(conn, sql):
        when = (moment(row[7]) or moment(row[6]) or now) if dated else now
        zone = str(row[5]) if dated else "UTC"
        if wanted.accepts(
            string_list(row[3]),
            string_list(row[4]),
            str(row[1]),
            str(row[2]),
            functools.partial(local_date, when, zone),
        ):
            kept.append((when, int(row[0])))
    if not query.has_text:
        kept.sort(reverse=True)
    return [pm_id for _, pm_id in kept]


def search(
    engine: Engine | Connection,
    query: str | Query,
    *,
    limit: int = 50,
    per_postmortem: int = 3,
    lenient: bool = False,
    backend: SearchBackend | None = None,
) -> Results:
    """Postmortems matching ``query``, best first; at most ``limit`` of them, each
    with its ``per_postmortem`` best matches. A query of filters only lists the
    postmortems they accept, newest incident first, without matches.

    Raises QueryError for a query that can't be read (see models.search.query;
    ``lenient`` forgives what is only half typed), PostmortemError when this
    database has no full-text index (engines other than SQLite, for now)."""
    parsed = query if isinstance(query, Query) else parse(query, lenient=lenient)
    if isinstance(engine, Engine):
        with engine.connect() as conn:
            return _search(conn, parsed, limit, per_postmortem, backend)
    return _search(engine, parsed, limit, per_postmortem, backend)


def _search(
    conn: Connection,
    query: Query,
    limit: int,
    per_postmortem: int,
    backend: SearchBackend | None,
) -> Results:
    backend = backend or for_engine(conn)
    if backend is None:
        raise PostmortemError(
            f"full-text search works on SQLite databases for now, not {conn.dialect.name}"
        )
    allowed: list[int] | None = None
    if query.filters or not query.has_text:
        allowed = _accepted(conn, query)
    if not query.has_text:
        assert allowed is not None
        shown = facts(conn, allowed[:limit])
        return Results(
            query,
            [Result(shown[i], 0.0, (), 0) for i in allowed[:limit] if i in shown],
            more=len(allowed) > limit,
        )
    hits = backend.match(conn, query, allowed)
    grouped: dict[int, list[Any]] = {}
    for hit in hits:
        grouped.setdefault(hit.pm_id, []).append(hit)
    chosen_ids = list(grouped)[:limit]
    kept = [h for pm in chosen_ids for h in grouped[pm][:per_postmortem]]
    quotes = backend.snippets(conn, query, [h.doc_id for h in kept])
    sections = _response_sections(conn, [h.row_id for h in kept if h.source == "response_item"])
    info = facts(conn, chosen_ids)
    results = []
    for pm_id in chosen_ids:
        if pm_id not in info:  # an index row left by a postmortem deleted elsewhere
            continue
        matches = []
        for hit in grouped[pm_id][:per_postmortem]:
            spec = INDEXED[hit.source][hit.field]
            where = spec.label
            if hit.source == "response_item":
                where = RESPONSE_LABELS.get(sections.get(hit.row_id, ""), "response")
            matches.append(
                Match(
                    hit.source,
                    hit.row_id,
                    hit.field,
                    spec.section,
                    where,
                    quotes.get(hit.doc_id, ""),
                    hit.score,
                )
            )
        results.append(
            Result(info[pm_id], grouped[pm_id][0].score, tuple(matches), len(grouped[pm_id]))
        )
    return Results(query, results, more=len(grouped) > limit)
