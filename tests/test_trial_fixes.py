"""What a first trial in tmux found, each pinned by a test (Pilot).

Editing an event lost its actor and line breaks; a focused field's text was
selected so the first key replaced it; Escape on a drop-down left the section;
the severity's description lagged; the zoomed fishbone kept focus on the
drawing; a bare time landed in the future; one d deleted a chain; a new
response item wasn't highlighted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from textual.widgets import Input, ListView, Select, Static

from models.demo import DEMO
from models.interchange import from_document
from models.store import Store
from models.tables import TimelineEvent
from tests.apphelpers import NOW, make_app, settle, type_text
from tui.screens.library import LibraryScreen
from tui.screens.overview import OverviewScreen
from tui.widgets.entry_input import EntryInput
from tui.widgets.fishbone_pane import FishbonePane
from tui.widgets.timeline_view import TimelineView


def captured_notes(app: Any) -> list[str]:
    """Every notification's message, in order, instead of toasts."""
    notes: list[str] = []

    def notify(message: str, **_: object) -> None:
        notes.append(message)

    app.notify = notify
    return notes


async def test_editing_an_event_keeps_what_the_line_doesnt_change(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    pm = store.load(pm_id)
    event = pm.events[-1]
    assert event.id is not None
    store.update(TimelineEvent, event.id, text="queue drained\nall green", actor="Priya Raman")
    before = store.load(pm_id).events[-1]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one(TimelineView))
        await pilot.press("end", "e")
        await settle(pilot)
        entry = app.screen.query_one(EntryInput)
        assert '@"Priya Raman"' in entry.value and " ⏎ " in entry.value
        await pilot.press("enter")  # unchanged: nothing is written
        await settle(pilot)
        assert store.load(pm_id).events[-1] == before

        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, " (checked)")  # no select-all: this appends
        await pilot.press("enter")
        await settle(pilot)
        after = store.load(pm_id).events[-1]
        assert after.text == "queue drained\nall green (checked)"
        assert (after.at, after.actor, after.kind) == (before.at, before.actor, before.kind)

        app.screen.set_focus(app.screen.query_one(TimelineView))
        await pilot.press("end", "e")
        await settle(pilot)
        entry.value = "only new words"  # no time, no #tag, no @name: they stay
        await pilot.press("enter")
        await settle(pilot)
        last = store.load(pm_id).events[-1]
        assert (last.text, last.at, last.actor, last.kind) == (
            "only new words",
            before.at,
            "Priya Raman",
            before.kind,
        )


async def test_focusing_a_field_never_selects_its_text(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "impact")
        await settle(pilot)
        await pilot.press("tab")  # Users -> Tickets
        await type_text(pilot, "0")
        await pilot.press("tab")
        await settle(pilot, 0.6)
    assert store.load(pm_id).support_tickets == 2120


async def test_escape_on_a_drop_down_stays_in_the_section(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one("#severity", Select))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("escape")  # from the navigator: now the library
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_the_severity_description_follows_the_choice_at_once(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        app.screen.query_one("#severity", Select).value = "SEV4"
        await settle(pilot)
        assert str(app.screen.query_one("#severity-help", Static).content).startswith("Low")


async def test_escape_unzooms_the_fishbone_and_puts_the_cursor_in_the_tree(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        await pilot.press("b", "z")
        await settle(pilot)
        assert app.screen.maximized is not None
        await pilot.press("escape")
        await settle(pilot)
        pane = app.screen.query_one(FishbonePane)
        assert app.screen.maximized is None and app.screen.focused is pane.nodes
        await pilot.press("j")
        await settle(pilot)
        assert pane.nodes.cursor_line == 1


async def test_a_bare_time_means_its_most_recent_occurrence(store: Store) -> None:
    pm = store.create_postmortem("No dates yet", timezone="UTC")
    assert pm.id is not None
    early = dt.datetime(2026, 11, 28, 2, 26, tzinfo=dt.UTC)
    app = make_app(store, now=early)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm.id)
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one("#input-ms-started", Input))
        await type_text(pilot, "14:02")
        await pilot.press("enter")
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one("#input-ms-detected", Input))
        await type_text(pilot, "yesterday 14:10")  # the entry line's words work here too
        await pilot.press("enter")
        await settle(pilot)
    events = {e.kind: e.at for e in store.load(pm.id).events}
    assert events["started"] == dt.datetime(2026, 11, 27, 14, 2, tzinfo=dt.UTC)
    assert events["detected"] == dt.datetime(2026, 11, 27, 14, 10, tzinfo=dt.UTC)
    assert NOW  # the clock the other tests share is untouched


async def test_a_chain_is_deleted_by_dd_and_undone_whole(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "rootcause")
        await settle(pilot)
        chains = len(DEMO["why_chains"])
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains) == chains and len(app.screen_stack) == 2
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).why_chains) == chains - 1
        await pilot.press("ctrl+z")
        await settle(pilot)
    first = store.load(pm_id).why_chains[0]
    assert len(first.whys) == len(DEMO["why_chains"][0]["whys"])


async def test_a_new_response_item_is_highlighted(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "response")
        await settle(pilot)
        await pilot.press("g", "a")
        await type_text(pilot, "fifth item")
        await pilot.press("enter")
        await settle(pilot, 0.2)
        view = app.screen.query_one("#list-went_well ListView", ListView)
        assert view.index == 1
        assert view.highlighted_child is not None
        assert "-highlight" in view.highlighted_child.classes


async def test_an_entry_that_moves_a_milestone_says_so_and_undo_says_it_back(
    store: Store,
) -> None:
    pm_id = store.save_new(from_document(DEMO))  # first #mitigated: 14:47 Europe/London
    app = make_app(store)
    notes = captured_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one(EntryInput))
        await type_text(pilot, "2026-11-27 14:20 traffic drained #mitigated")
        await pilot.press("enter")
        await settle(pilot)
        assert "Mitigated moves from 14:47 to 14:20" in notes, notes
        app.screen.set_focus(app.screen.query_one(TimelineView))
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "Mitigated moves from 14:20 to 14:47" in notes, notes


def test_milestone_moves_words() -> None:
    from models.enums import EventKind
    from models.metrics import milestone_moves

    at = dt.datetime(2026, 11, 27, 14, 47, tzinfo=dt.UTC)
    m = EventKind.MITIGATED
    d = EventKind.DETECTED
    assert milestone_moves({m: at}, {m: at}, "UTC") == []
    assert milestone_moves({}, {m: at}, "UTC") == []  # set for the first time: normal
    assert milestone_moves({m: at}, {}, "UTC") == ["Mitigated is no longer set (it was 14:47)"]
    assert milestone_moves({d: at}, {d: at.replace(second=30)}, "Asia/Kathmandu") == [
        "Detected moves from 20:32:00 to 20:32:30"
    ]
    assert milestone_moves({m: at}, {m: at - dt.timedelta(days=1)}, "UTC") == [
        "Mitigated moves from Fri 27 Nov 14:47 to Thu 26 Nov 14:47"
    ]


async def until(pilot: Any, check: Callable[[], bool], timeout: float = 8.0) -> bool:
    """Poll ``check`` while the app runs: a loaded machine takes longer than a pause."""
    for _ in range(int(timeout / 0.1)):
        if check():
            return True
        await pilot.pause(0.1)
    return check()


async def test_a_pause_mid_typing_never_leaves_a_half_typed_value_stored(store: Store) -> None:
    """A valid prefix is autosaved during a pause ("184" of "18400x", "09:58" of
    "09:58 PX"); when the text the user ends with is refused, the store goes back
    to the value from before the edit, and the field keeps the refused text."""
    pm_id = store.save_new(from_document(DEMO))
    before = store.load(pm_id)
    mitigated = next(e for e in before.events if e.kind == "mitigated")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "impact")
        await settle(pilot)
        box = app.screen.query_one("#input-users_affected", Input)
        box.focus()
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "184")
        # the pause: "184" is saved
        assert await until(pilot, lambda: store.load(pm_id).users_affected == 184)
        await type_text(pilot, "00x")
        assert await until(pilot, lambda: store.load(pm_id).users_affected == 18400)
        assert store.load(pm_id).users_affected == before.users_affected
        assert box.value == "18400x"
        await pilot.press("tab")
        await settle(pilot, 0.5)
        assert store.load(pm_id).users_affected == before.users_affected
        box.focus()
        await settle(pilot)
        await pilot.press("backspace", "tab")  # fixed: "18400" is stored
        await settle(pilot, 0.5)
        assert store.load(pm_id).users_affected == 18400

        app.open_postmortem(pm_id, "overview")
        await settle(pilot)
        box = app.screen.query_one("#input-ms-mitigated", Input)
        box.focus()
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "2026-11-27 09:58")
        assert await until(
            pilot,
            lambda: any(e.at.hour == 9 for e in store.load(pm_id).events if e.kind == "mitigated"),
        )
        await type_text(pilot, " PX")
        await pilot.press("tab")
        await settle(pilot, 1.0)
    after = next(e for e in store.load(pm_id).events if e.kind == "mitigated")
    assert (after.id, after.at) == (mitigated.id, mitigated.at)


async def test_a_zone_abbreviation_out_of_season_in_the_entry_line_is_named(
    store: Store,
) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    notes = captured_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        app.screen.set_focus(app.screen.query_one(EntryInput))
        await type_text(pilot, "2026-11-27 09:48 PDT deploy went out")
        await pilot.press("enter")
        await settle(pilot)
    assert any("America/Los_Angeles was on PST" in n for n in notes), notes
    event = next(e for e in store.load(pm_id).events if e.text == "deploy went out")
    assert event.at == dt.datetime(2026, 11, 27, 16, 48, tzinfo=dt.UTC)  # as written, UTC-7
