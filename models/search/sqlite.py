"""Full-text search on SQLite: FTS5 over the ``search_doc`` table.

``search_fts`` is an external-content FTS5 table (https://sqlite.org/fts5.html,
"External Content Tables"): it indexes ``search_doc.text`` without a second
copy, and three triggers keep it in step with every insert, update and delete
of a document, inside the same transaction. Tokenizer: ``porter unicode61
remove_diacritics 2`` (case- and accent-blind, English stemming: ``restarting``
finds ``restart``), with prefix indexes for 2 and 3 characters so ``pg*``
stays fast. Ranking is FTS5's bm25, scaled by the field's weight.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from models.search.backend import CANDIDATES, DocumentWriter, RawHit
from models.search.documents import INDEXED
from models.search.query import Query, QueryError, Term

TOKENIZE = "porter unicode61 remove_diacritics 2"

SCHEMA: tuple[str, ...] = (
    "CREATE TABLE search_doc ("
    " id INTEGER PRIMARY KEY,"
    " pm_id INTEGER NOT NULL,"
    " source VARCHAR(32) NOT NULL,"
    " row_id INTEGER NOT NULL,"
    " field VARCHAR(32) NOT NULL,"
    " text TEXT NOT NULL)",
    "CREATE UNIQUE INDEX ix_search_doc_row ON search_doc (source, row_id, field)",
    "CREATE INDEX ix_search_doc_pm ON search_doc (pm_id)",
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    f" text, content='search_doc', content_rowid='id', tokenize='{TOKENIZE}', prefix='2 3')",
    "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN"
    " INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN"
    " INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN"
    " INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text); END",
)
DROP: tuple[str, ...] = (
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_doc",
)
# Every name the index owns, FTS5's shadow tables included: Alembic's
# autogenerate and the schema checks leave these alone.
NAMES = frozenset(
    {
        "search_doc",
        "search_fts",
        "search_fts_data",
        "search_fts_idx",
        "search_fts_docsize",
        "search_fts_config",
        "search_fts_content",
    }
)

# bm25 is negative (more negative is better), so a weight above 1 ranks higher.
_WEIGHT = (
    "CASE d.source || '.' || d.field "
    + " ".join(
        f"WHEN '{table}.{name}' THEN {spec.weight!r}"
        for table, fields in INDEXED.items()
        for name, spec in fields.items()
        if spec.weight != 1.0
    )
    + " ELSE 1.0 END"
)


def _quote(term: Term) -> str:
    """A term as an FTS5 string: always quoted (so no word is ever read as an
    operator or a column filter), with ``*`` after it for a prefix."""
    body = '"' + term.text.replace('"', '""') + '"'
    return f"{body} *" if term.prefix else body


def match_expression(query: Query) -> str:
    """The FTS5 MATCH string for the query's terms, parenthesised so it means
    what query.py documents whatever FTS5's own precedence: runs of terms are
    ANDed, OR joins runs, then each excluded term is taken away with NOT."""
    groups: list[list[str]] = []
    for term in query.wanted:
        if term.either and groups:
            groups.append([_quote(term)])
        elif groups:
            groups[-1].append(_quote(term))
        else:
            groups.append([_quote(term)])
    expr = " OR ".join("(" + " AND ".join(g) + ")" for g in groups)
    if len(groups) > 1:
        expr = f"({expr})"
    for term in query.terms:
        if term.exclude:
            expr = f"({expr} NOT {_quote(term)})"
    return expr


class SqliteBackend(DocumentWriter):
    name = "sqlite"

    def match(
        self, conn: Connection, query: Query, allowed: Sequence[int] | None, cap: int = CANDIDATES
    ) -> list[RawHit]:
        sql = (
            "SELECT d.id, d.pm_id, d.source, d.row_id, d.field,"
            f" bm25(search_fts) * ({_WEIGHT}) AS score"
            " FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid"
            " WHERE search_fts MATCH ?"
        )
        params: list[object] = [match_expression(query)]
        if allowed is not None:
            import json

            sql += " AND d.pm_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps(list(allowed)))
        sql += " ORDER BY score, d.id LIMIT ?"
        params.append(cap)
        try:
            rows = _fetch(conn, sql, params)
        except sqlite3.OperationalError as exc:  # FTS5 refused the expression: a quoting bug
            raise QueryError(f"can't search for that: {str(exc).splitlines()[0]}") from exc
        return [RawHit(int(r[0]), int(r[1]), r[2], int(r[3]), r[4], float(r[5])) for r in rows]

    def snippets(self, conn: Connection, query: Query, doc_ids: Sequence[int]) -> dict[int, str]:
        if not doc_ids or not query.has_text:
            return {}
        import json

        rows = _fetch(
            conn,
            "SELECT rowid, snippet(search_fts, 0, char(2), char(3), '…', 12) FROM search_fts"
            # "+rowid": one pass over the matches. A bare rowid constraint makes FTS5
            # look each wanted row up again (60 snippets: 6.4 ms CPU, 0.85 with "+").
            " WHERE search_fts MATCH ? AND +rowid IN (SELECT value FROM json_each(?))",
            [match_expression(query), json.dumps([int(i) for i in doc_ids])],
        )
        return {int(r[0]): str(r[1]) for r in rows}


def _fetch(conn: Connection, sql: str, params: list[object]) -> list[Any]:
    """Rows from the sqlite3 cursor itself, in the connection's transaction: the
    search reads hundreds of ranked rows per keystroke, and SQLAlchemy's Row
    objects cost more than FTS5's own work (tests/perf/bench_search.py)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def create(conn: Connection) -> None:
    for statement in SCHEMA:
        conn.exec_driver_sql(statement)


def drop(conn: Connection) -> None:
    for statement in DROP:
        conn.exec_driver_sql(statement)
