"""Migration 0002: ids are never reused, and upgrading a real database loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from models import db
from models.demo import DEMO
from models.interchange import from_document, to_document
from models.paths import resolve
from models.store import Store, open_store
from models.tables import ActionItem, Why

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


def make_0001_database(path: Path) -> int:
    """A database as today's users have it: schema 0001 holding the demo postmortem."""
    target = resolve(str(path))
    engine = db._engine(target, 5.0)
    db.upgrade(engine, "0001_baseline")
    pm_id = Store(engine).save_new(from_document(DEMO))
    engine.dispose()
    return pm_id


def test_upgrade_from_0001_keeps_every_row_and_adds_autoincrement(tmp_path: Path) -> None:
    path = tmp_path / "pm.db"
    pm_id = make_0001_database(path)
    conn = sqlite3.connect(path)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    assert (
        "AUTOINCREMENT"
        not in conn.execute("SELECT sql FROM sqlite_master WHERE name='action_item'").fetchone()[0]
    )
    conn.close()
    # Row by row: today's Store can't read a 0001 file (it expects the tables of
    # later revisions), so the comparison is made below the ORM.
    before = dump(path)

    store = open_store(str(path))  # upgrades, after a backup
    assert dump(path) == before
    assert to_document(store.load(pm_id))["title"] == DEMO["title"]
    conn = sqlite3.connect(path)
    for table in TABLES:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
        assert "AUTOINCREMENT" in sql, table
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == counts[table]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "ix_timeline_event_pm_at" in indexes
    conn.close()
    assert len(list(tmp_path.glob("pm.db.0001_baseline.*.bak"))) == 1
    store.close()


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
    finally:
        conn.close()


def test_delete_newest_add_one_then_undo_the_delete(tmp_path: Path) -> None:
    """The reported failure: 'UNIQUE constraint failed: action_item.id' after re-adding."""
    path = tmp_path / "pm.db"
    make_0001_database(path)
    store = open_store(str(path))
    pm = store.load(1)
    newest = max(pm.action_items, key=lambda a: a.id or 0)
    assert newest.id is not None
    removed = store.delete(ActionItem, newest.id)
    added = store.add(ActionItem(postmortem_id=pm.id, title="A new one"))
    assert added.id is not None and added.id > newest.id
    store.restore(removed)
    titles = [a.title for a in store.load(1).action_items]
    assert newest.title in titles and "A new one" in titles

    chain = pm.why_chains[0]
    last_why = chain.whys[-1]
    assert last_why.id is not None
    removed = store.delete(Why, last_why.id)
    again = store.add(Why(chain_id=chain.id, text="another answer"))
    assert again.id != last_why.id
    store.restore(removed)
    store.close()
