"""Index a whole database from its tables: at migration 0003, and on demand.

Reads with Core SELECTs of named columns (never the ORM classes), so it runs
against any revision from 0001 on, and hands the rows to the backend exactly as
the store does for single edits: what a rebuild writes and what incremental
upkeep writes can't drift apart (tests/test_search_index.py compares them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, text

from models.search.backend import SearchBackend
from models.search.documents import INDEXED

# table -> (columns to read, SQL giving each row's postmortem id as "pm")
_OWNED = ("timeline_event", "why_chain", "fishbone_category", "response_item", "action_item")


def _select(table: str, extra: tuple[str, ...] = ()) -> str:
    columns = ", ".join(f"t.{c}" for c in ("id", *INDEXED[table], *extra))
    return columns


def indexed_rows(conn: Connection) -> Iterator[tuple[int, str, Mapping[str, Any]]]:
    """Every indexed row as (postmortem id, table, column values)."""
    import json

    pm_columns = ", ".join(("id", *INDEXED["postmortem"]))
    for row in conn.execute(text(f"SELECT {pm_columns} FROM postmortem")).mappings():
        data = dict(row)
        for name in ("services", "tags", "authors"):
            value = data.get(name)
            if isinstance(value, str):  # JSON text on SQLite
                try:
                    data[name] = json.loads(value)
                except ValueError:
                    data[name] = [value]
        yield int(data["id"]), "postmortem", data
    for table in _OWNED:
        extra = ("section",) if table == "response_item" else ()
        sql = f"SELECT t.postmortem_id AS pm, {_select(table, extra)} FROM {table} t"
        for row in conn.execute(text(sql + " WHERE t.postmortem_id IS NOT NULL")).mappings():
            yield int(row["pm"]), table, dict(row)
    why = "SELECT c.postmortem_id AS pm, {cols} FROM why t JOIN why_chain c ON c.id = t.chain_id"
    for row in conn.execute(text(why.format(cols=_select("why")))).mappings():
        yield int(row["pm"]), "why", dict(row)
    causes = (
        "WITH RECURSIVE owned (id, pm) AS ("
        " SELECT fc.id, cat.postmortem_id FROM fishbone_cause fc"
        " JOIN fishbone_category cat ON cat.id = fc.category_id"
        " UNION ALL"
        " SELECT fc.id, owned.pm FROM fishbone_cause fc JOIN owned ON fc.parent_id = owned.id"
        " WHERE fc.category_id IS NULL)"
        f" SELECT owned.pm AS pm, {_select('fishbone_cause')}"
        " FROM owned JOIN fishbone_cause t ON t.id = owned.id"
    )
    for row in conn.execute(text(causes)).mappings():
        yield int(row["pm"]), "fishbone_cause", dict(row)


def rebuild(conn: Connection, backend: SearchBackend) -> int:
    """Forget every document and index every row again; returns the rows indexed."""
    backend.clear(conn)
    by_pm: dict[int, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    count = 0
    for pm_id, table, data in indexed_rows(conn):
        by_pm[pm_id].append((table, data))
        count += 1
    for pm_id, rows in by_pm.items():
        backend.put(conn, pm_id, rows, replace=False)
    return count
