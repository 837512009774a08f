"""The full-text index stays exactly what a rebuild would make, through every write,
undo and redo; searches find what was written and nothing that was deleted."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from models.demo import DEMO
from models.history import History
from models.interchange import from_document
from models.search.rebuild import rebuild
from models.search.sqlite import SqliteBackend
from models.store import Store
from models.tables import (
    ActionItem,
    FishboneCategory,
    FishboneCause,
    Postmortem,
    ResponseItem,
    TimelineEvent,
    Why,
    WhyChain,
)
from tests.library import build

Doc = tuple[int, str, int, str, str]


def documents(path: Path) -> set[Doc]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT pm_id, source, row_id, field, text FROM search_doc").fetchall()
        assert conn.execute(
            "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)"
        ), "the FTS index matches its documents"
        return {tuple(r) for r in rows}  # type: ignore[misc]
    finally:
        conn.close()


def rebuilt(path: Path, tmp_path: Path) -> set[Doc]:
    """What a rebuild from the tables gives, on a copy of the file."""
    copy = tmp_path / "rebuilt.db"
    for suffix in ("", "-wal"):
        if Path(f"{path}{suffix}").exists():
            shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
    engine = create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        rebuild(conn, SqliteBackend())
    engine.dispose()
    return documents(copy)


def hits(store: Store, query: str) -> set[int]:
    return {r.pm_id for r in store.search(query).results}


def test_every_kind_of_write_keeps_the_index_equal_to_a_rebuild(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    history = History()
    store.listeners.append(history.record)
    pm_id = store.save_new(from_document(DEMO))
    pm = store.load(pm_id)
    other = store.create_postmortem("Zeppelin outage", services=["airship"])
    assert other.id is not None
    assert documents(db_path) == rebuilt(db_path, tmp_path)

    store.update_postmortem(pm_id, title="Quokka checkout failure", tags=["marsupial"])
    store.add(ActionItem(postmortem_id=pm_id, title="Teach the wombat", owner="Xavier"))
    store.add_events(
        pm_id, [(dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC), "note", "narwhal", "")]
    )
    chain = pm.why_chains[0]
    assert chain.id is not None
    why = store.add(Why(chain_id=chain.id, text="because of the platypus"))
    category = pm.categories[0]
    cause = store.add(FishboneCause(category_id=category.id, text="echidna effect"))
    store.add(FishboneCause(parent_id=cause.id, text="sub-cause capybara"))
    store.add(ResponseItem(postmortem_id=pm_id, section="lucky", text="a lucky axolotl"))
    event = pm.events[0]
    assert event.id is not None
    store.update(TimelineEvent, event.id, text="ocelot sighting")
    assert why.id is not None
    store.move(Why, why.id, -1)
    assert documents(db_path) == rebuilt(db_path, tmp_path)
    for word in (
        "quokka",
        "marsupial",
        "wombat",
        "xavier",
        "narwhal",
        "platypus",
        "echidna",
        "capybara",
        "axolotl",
        "ocelot",
    ):
        assert hits(store, word) == {pm_id}, word

    store.delete(WhyChain, chain.id)
    store.delete(FishboneCategory, category.id)  # with its causes and sub-causes
    assert hits(store, "platypus") == hits(store, "capybara") == set()
    assert documents(db_path) == rebuilt(db_path, tmp_path)

    # undo brings rows back, and their documents with them; redo takes them again
    for _ in range(2):
        history.undo(store, pm_id)
    assert hits(store, "platypus") == hits(store, "capybara") == {pm_id}
    assert documents(db_path) == rebuilt(db_path, tmp_path)
    history.redo(store, pm_id)  # the chain's deletion, undone last
    assert hits(store, "platypus") == set() and hits(store, "capybara") == {pm_id}
    history.redo(store, pm_id)
    assert hits(store, "capybara") == set()
    while history.can_undo(pm_id):
        history.undo(store, pm_id)
    assert hits(store, "quokka") == hits(store, "ocelot") == set()
    assert hits(store, "pgbouncer") == {pm_id}
    assert documents(db_path) == rebuilt(db_path, tmp_path)

    store.delete_postmortem(pm_id)
    assert hits(store, "pgbouncer") == set()
    assert {d[0] for d in documents(db_path)} == {other.id}
    history.undo(store, None)
    assert hits(store, "pgbouncer") == {pm_id}
    assert documents(db_path) == rebuilt(db_path, tmp_path)


def test_a_failed_write_leaves_no_document(store: Store, db_path: Path) -> None:
    """Same transaction: when the edit rolls back, so does its index entry."""
    import pytest

    from models.errors import PostmortemError

    pm = store.create_postmortem("Walrus")
    assert pm.id is not None
    with pytest.raises(PostmortemError):
        store.update(ActionItem, 999, title="Ghost")
    with pytest.raises(PostmortemError):
        store.add(ActionItem(postmortem_id=pm.id, title=""))  # refused by the rules
    before = documents(db_path)
    item = store.add(ActionItem(postmortem_id=pm.id, title="Keep"))
    assert item.id is not None
    real_put = SqliteBackend.put

    def failing_put(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    SqliteBackend.put = failing_put  # type: ignore[method-assign]
    try:
        with pytest.raises(PostmortemError):
            store.update(ActionItem, item.id, title="Lost")
    finally:
        SqliteBackend.put = real_put  # type: ignore[method-assign]
    assert store.load(pm.id).action_items[0].title == "Keep"
    assert hits(store, "keep") == {pm.id} and hits(store, "lost") == set()
    assert len(documents(db_path)) == len(before) + 1


def test_search_on_a_generated_library(store: Store) -> None:
    ids = build(store, 60, seed=7)
    results = store.search("pgbounc*", limit=100)
    assert results.results, "the pool scenario is in the library"
    for result in results.results:
        pm = store.load(result.pm_id)
        text = " ".join(
            [
                pm.title,
                pm.summary,
                *pm.services,
                *[c.text for cat in pm.categories for c in cat.causes],
            ]
            + [e.text for e in pm.events]
        ).lower()
        assert "pgbounc" in text
        assert all("\x02" in m.snippet and m.section for m in result.matches)
    everyone = {i for i in ids if "pgbouncer" in " ".join(store.load(i).services)}
    assert everyone <= {r.pm_id for r in results.results}

    # filters only: exactly the postmortems a hand-written check accepts
    summaries = {s.id: s for s in store.list_postmortems()}
    filtered = store.search("service:kafka sev:2,3", limit=1000)
    expected = {
        i for i, s in summaries.items() if "kafka" in s.services and s.severity in ("SEV2", "SEV3")
    }
    assert {r.pm_id for r in filtered.results} == expected and expected
    # accent- and case-blind, and stemmed
    assert hits(store, "CHLOE") == hits(store, "chloé")
    assert hits(store, "restarted") <= hits(store, "restart") | hits(store, "restarts") | set(ids)
    # the best match comes first: a title match outranks a summary mention
    ranked = store.search("certificate", limit=100).results
    assert ranked and "certificate" in ranked[0].title.lower() + ranked[0].matches[0].plain.lower()


def test_date_filters_use_the_incident_start_in_its_own_zone(store: Store) -> None:
    late = from_document(
        {
            **DEMO,
            "title": "Late in New York",
            "timezone": "America/New_York",
            "timeline": [
                {"at": "2026-03-01T03:30:00Z", "kind": "started", "text": "x", "actor": ""}
            ],
        }
    )
    pm_id = store.save_new(late)  # 22:30 on 28 February, New York time
    assert pm_id in hits(store, "before:2026-03-01")
    assert pm_id not in hits(store, "after:2026-03-01")
    assert pm_id in hits(store, "after:2026-02-28 before:2026-03")


def test_a_dirty_stored_title_never_reaches_the_snippet_raw(store: Store, db_path: Path) -> None:
    pm = store.create_postmortem("clean title")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE search_doc SET text = 'bad \x1b[31m red' WHERE pm_id = ?", (pm.id,))
    conn.commit()
    conn.close()
    result = store.search("red").results
    assert result, "found"
    from models.usertext import printable

    assert "\x1b" not in printable(result[0].matches[0].plain)


def test_postmortem_table_unchanged_by_indexing(store: Store) -> None:
    """The index lives beside the data: the tables hold exactly what they held."""
    pm_id = store.save_new(from_document(DEMO))
    with store.session() as s:
        assert s.get(Postmortem, pm_id) is not None
