"""Migrations 0003 (search index) and 0004 (related links): an existing library is
indexed on upgrade, and nothing in it changes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from models import db
from models.paths import resolve
from models.store import Store, open_store
from tests.library import build
from tests.test_search_index import documents, rebuilt


def make_database(path: Path, revision: str, count: int = 55) -> list[int]:
    """A database as users have it at ``revision``, holding a generated library."""
    engine = db._engine(resolve(str(path)), 5.0)
    db.upgrade(engine, revision)
    store = Store(engine)
    ids = build(store, count, seed=3)
    engine.dispose()
    return ids


TABLES = (
    "postmortem",
    "timeline_event",
    "why_chain",
    "why",
    "fishbone_category",
    "fishbone_cause",
    "response_item",
    "action_item",
)


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    finally:
        conn.close()


def test_upgrade_from_0002_indexes_every_existing_postmortem(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    ids = make_database(path, "0002_autoincrement")
    conn = sqlite3.connect(path)
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'search_doc'").fetchall()
    conn.close()
    before = dump(path)

    store = open_store(str(path))  # backs up, then upgrades 0002 -> head
    assert dump(path) == before
    indexed = documents(path)
    assert {d[0] for d in indexed} == set(ids), "every postmortem is in the index"
    assert indexed == rebuilt(path, tmp_path)
    # searchable at once, through every kind of row
    for word in ("pgbouncer", "coredns", "certificate", "kafka", "alertmanager"):
        assert store.search(word).results, word
    assert len(list(tmp_path.glob("pm.db.0002_autoincrement.*.bak"))) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
        "0004_related_links"
    )
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    store.close()


def test_downgrade_from_0003_removes_the_index_and_upgrade_restores_it(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    make_database(path, "0003_search_index", count=5)
    engine = db._engine(resolve(str(path)), 5.0)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(db.SCRIPT_LOCATION))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002_autoincrement")
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert not any(n.startswith("search_") for n in names)
    engine.dispose()
    store = open_store(str(path))
    assert documents(path) == rebuilt(path, tmp_path)
    store.close()


def test_upgrade_from_0003_adds_links_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    ids = make_database(path, "0003_search_index", count=5)
    index_before = documents(path)
    store = open_store(str(path))
    assert documents(path) == index_before
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'postmortem_link'").fetchone()[0]
    assert "AUTOINCREMENT" in sql and "uq_postmortem_link_pair" in sql
    conn.close()
    from models.enums import LinkKind

    store.link(ids[0], ids[1], LinkKind.RECURRENCE_OF)
    assert [link.other_id for link in store.load(ids[0]).links] == [ids[1]]
    store.delete_postmortem(ids[1])  # the link goes with either side
    assert store.load(ids[0]).links == []
    store.close()
