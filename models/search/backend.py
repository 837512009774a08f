"""The seam between the search and a database engine's own full-text search.

Every backend keeps one *document* per indexed field (models.search.documents)
in a table ``search_doc (id, pm_id, source, row_id, field, text)``, written by
the store in the same transaction as the edit, and indexes its ``text`` its own
way: SQLite with an FTS5 table kept in step by triggers
(:mod:`models.search.sqlite`); PostgreSQL, when that backend lands (issue 11),
with a generated ``tsvector`` column and a GIN index, ranked by ``ts_rank`` and
quoted by ``ts_headline``. Only :meth:`SearchBackend.match` differs: writing
documents is the same plain SQL everywhere (:class:`DocumentWriter`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, text

from models.search.documents import INDEXED, documents
from models.search.query import Query

# Rows pulled from the engine before they are grouped by postmortem: enough for
# 100 postmortems with several matches each, few enough to rank in a few ms.
CANDIDATES = 600


@dataclass(frozen=True)
class RawHit:
    """One matching document as the engine ranked it (lower score is better)."""

    doc_id: int
    pm_id: int
    source: str
    row_id: int
    field: str
    score: float


class SearchBackend(Protocol):
    name: str

    def put(
        self,
        conn: Connection,
        pm_id: int,
        rows: Iterable[tuple[str, Mapping[str, Any]]],
        *,
        replace: bool = True,
    ) -> None:
        """(Re)index rows given as (table, column values) of postmortem ``pm_id``;
        ``replace=False`` when they can have no documents yet (a rebuild)."""

    def drop(self, conn: Connection, keys: Iterable[tuple[str, int]]) -> None:
        """Forget the documents of rows (table, id) that were removed."""

    def drop_postmortem(self, conn: Connection, pm_id: int) -> None:
        """Forget every document of a removed postmortem."""

    def clear(self, conn: Connection) -> None:
        """Forget every document (before a rebuild)."""

    def match(
        self, conn: Connection, query: Query, allowed: Sequence[int] | None, cap: int = CANDIDATES
    ) -> list[RawHit]:
        """Documents matching the query's terms, best first, from postmortems in
        ``allowed`` (all when None). Raises models.search.query.QueryError."""

    def snippets(self, conn: Connection, query: Query, doc_ids: Sequence[int]) -> dict[int, str]:
        """For each document, the match in context, matched words between
        ``\\x02`` and ``\\x03``, cuts marked with ``…``."""


class DocumentWriter:
    """Writing documents: the same SQL on every engine."""

    def put(
        self,
        conn: Connection,
        pm_id: int,
        rows: Iterable[tuple[str, Mapping[str, Any]]],
        *,
        replace: bool = True,
    ) -> None:
        rows = [(table, data) for table, data in rows if table in INDEXED]
        if not rows:
            return
        if replace:
            self.drop(conn, ((table, int(data["id"])) for table, data in rows))
        values = [
            {"pm": pm_id, "source": table, "row": int(data["id"]), "field": name, "text": body}
            for table, data in rows
            for name, body in documents(table, data)
        ]
        if values:
            conn.execute(
                text(
                    "INSERT INTO search_doc (pm_id, source, row_id, field, text) "
                    "VALUES (:pm, :source, :row, :field, :text)"
                ),
                values,
            )

    def drop(self, conn: Connection, keys: Iterable[tuple[str, int]]) -> None:
        params = [{"source": table, "row": row_id} for table, row_id in keys]
        if params:
            conn.execute(
                text("DELETE FROM search_doc WHERE source = :source AND row_id = :row"), params
            )

    def drop_postmortem(self, conn: Connection, pm_id: int) -> None:
        conn.execute(text("DELETE FROM search_doc WHERE pm_id = :pm"), {"pm": pm_id})

    def clear(self, conn: Connection) -> None:
        conn.execute(text("DELETE FROM search_doc"))


def for_engine(engine: Engine | Connection) -> SearchBackend | None:
    """The backend for this database's engine; None where full-text search isn't
    built yet (PostgreSQL until issue 11): the store then keeps no index, and a
    search says so in one line."""
    if engine.dialect.name == "sqlite":
        from models.search.sqlite import SqliteBackend

        return SqliteBackend()
    return None
