"""The app that `postmortem` and `postmortem demo` open, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

import models.db as db
from models.demo import DEMO
from models.interchange import from_document
from models.paths import demo_target
from models.store import Store
from tui.app import PostmortemApp
from tui.cli import _open_demo


async def test_library_lists_postmortems(store: Store) -> None:
    store.save_new(from_document(DEMO))
    store.create_postmortem("Second incident")
    app = PostmortemApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        titles = {str(table.get_row_at(i)[0]) for i in range(2)}
        assert titles == {DEMO["title"], "Second incident"}
        await pilot.press("q")
    assert app.return_code == 0


def _ensure_demo(target: object, *, reset: bool) -> int:
    store = _open_demo(target, reset=reset)
    try:
        return store.list_postmortems()[0].id
    finally:
        store.close()


def test_demo_lives_in_its_own_database(tmp_path: Path) -> None:
    target = demo_target()
    first = _ensure_demo(target, reset=False)
    again = _ensure_demo(target, reset=False)
    assert first == again  # not duplicated on every start
    assert target.path is not None and target.path.name == "demo.db"
    assert not (target.path.parent / "postmortems.db").exists()
    store = Store(db.open_engine(target))
    pm_id = store.list_postmortems()[0].id
    store.update_postmortem(pm_id, title="changed in the demo")
    store.close()
    assert _ensure_demo(target, reset=True) >= 1
    store = Store(db.open_engine(target))
    assert [s.title for s in store.list_postmortems()] == [DEMO["title"]]
    store.close()
