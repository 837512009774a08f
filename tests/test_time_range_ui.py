"""Issue 15 in the app: a time outside the accepted years, typed or pasted, is
refused in one line where the user is looking; the text stays, nothing is
written. A paste into a postmortem whose stored zone this machine doesn't know
says so instead of stopping the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events

from models.demo import DEMO
from models.interchange import from_document
from models.store import Store, open_store
from tests.apphelpers import make_app, settle, type_text
from tests.fuzz.poison import poisoned_library
from tui.screens.import_preview import ImportPreview
from tui.screens.timeline import TimelineScreen
from tui.widgets.entry_input import EntryInput


def error_line(app: Any) -> str:
    screen = app.screen
    assert isinstance(screen, TimelineScreen), screen
    widget = screen.query_one("#entry-error")
    return str(widget.render()) if widget.display else ""


async def paste(pilot: Any, text: str) -> None:
    pilot.app.screen.query_one(EntryInput).post_message(events.Paste(text))
    await settle(pilot, 0.2)


async def test_a_typed_time_past_2099_is_refused_and_the_text_stays(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    before = len(store.load(pm_id).events)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        typed = "2100-01-01 00:30 the future"
        await type_text(pilot, typed)
        await pilot.press("enter")
        await settle(pilot)
        assert "outside the accepted years, 1970 to 2099" in error_line(app)
        assert "\n" not in error_line(app)
        assert app.screen.query_one(EntryInput).value == typed
    assert len(store.load(pm_id).events) == before


async def test_a_pasted_log_past_2099_is_refused_in_the_preview(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    before = len(store.load(pm_id).events)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, "14:00 <alice> pager\n2099-12-31 23:59 -0100 <bob> next year\n")
        assert isinstance(app.screen, ImportPreview)
        assert app.screen.plan.blocked
        warnings = str(app.screen.query_one("#preview-warnings-text").render())
        assert "outside the accepted years, 1970 to 2099" in warnings
        await pilot.press("enter")  # refused: nothing to import
        await settle(pilot)
        assert isinstance(app.screen, ImportPreview)
        await pilot.press("escape")
        await settle(pilot)
    assert len(store.load(pm_id).events) == before


async def test_a_paste_into_a_postmortem_with_an_unknown_zone_says_so(tmp_path: Path) -> None:
    db = tmp_path / "pm.db"
    pm_id = poisoned_library(db, ["unknown timezone"])["unknown timezone"]
    store = open_store(str(db))
    try:
        before = len(store.load(pm_id).events)
        app = make_app(store)
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_postmortem(pm_id, "timeline")
            await settle(pilot, 0.2)
            await paste(pilot, "14:00 <alice> pager\n14:05 <bob> rolled back\n")
            assert isinstance(app.screen, TimelineScreen)
            assert "unknown timezone 'Mars/Olympus'" in error_line(app)
        assert len(store.load(pm_id).events) == before
    finally:
        store.close()
