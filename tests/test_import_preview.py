"""Pasting a log into the timeline: a preview first, Enter imports, Escape writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import events

from models.demo import DEMO
from models.interchange import from_document
from models.store import Store
from tests.apphelpers import make_app, settle, type_text
from tui.app import PostmortemApp
from tui.screens.import_preview import ImportPreview
from tui.screens.timeline import TimelineScreen
from tui.widgets.entry_input import EntryInput
from tui.widgets.rows_view import RowsView

UTC = dt.UTC

# A realistic incident-channel paste: a header line, a Slack message whose name and
# time share a line, IRC lines, a wrapped message, a repeated line and a footer.
PASTE = "\r".join(
    [
        "#inc-4821 checkout 502s",
        "PagerDuty APP [2:57 PM]",
        "Triggered: checkout 5xx above 2% #detected",
        "15:02 <@alice> @bob can you look at pgbouncer?",
        "15:02 <@alice> @bob can you look at pgbouncer?",
        "15:04 < bob> looking; pool is saturated",
        "  max_client_conn reached on pgb-2",
        "15:19 <alice> rolled back #mit",
        "--- Log closed Fri Nov 27 15:30:00 2026",
    ]
)


def preview(app: PostmortemApp) -> ImportPreview:
    assert isinstance(app.screen, ImportPreview), app.screen
    return app.screen


def shown(app: PostmortemApp) -> str:
    screen = preview(app)
    rows = screen.query_one(RowsView).rows
    warnings = str(screen.query_one("#preview-warnings-text").render())
    return "\n".join(" | ".join(r) for r in rows) + "\n" + warnings


def count(store: Store, pm_id: int) -> int:
    return len(store.load(pm_id).events)


async def open_and_paste(
    store: Store, text: str, notes: list[str]
) -> tuple[int, PostmortemApp, Any]:
    pm_id = store.save_new(from_document(DEMO))  # Europe/London, started 2026-11-27 13:55Z
    app = make_app(store)

    def notify(message: str, **_: object) -> None:
        notes.append(message)

    app.notify = notify  # type: ignore[method-assign]
    return pm_id, app, text


async def paste(pilot: Any, text: str) -> None:
    pilot.app.screen.query_one(EntryInput).post_message(events.Paste(text))
    await settle(pilot, 0.2)


async def test_the_preview_shows_every_event_and_warning_then_enter_imports(store: Store) -> None:
    notes: list[str] = []
    pm_id, app, text = await open_and_paste(store, PASTE, notes)
    before = count(store, pm_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, text)
        screen = shown(app)
        assert (
            "2 | 27 Nov 14:57:00 | detected | PagerDuty | Triggered: checkout 5xx above 2%"
            in screen
        )
        assert "4 | 27 Nov 15:02:00 | note | alice | @bob can you look at pgbouncer?" in screen
        assert "looking; pool is saturated max_client_conn reached on pgb-2" in screen
        assert "8 | 27 Nov 15:19:00 | mitigated | alice | rolled back" in screen
        assert "2 lines left out: line 1 '#inc-4821 checkout 502s' (before the first line" in screen
        assert "line 9 '--- Log closed Fri Nov 27 15:30:00 2026' (marks the end of a log)" in screen
        assert (
            "1 line joined to the event above: line 7 'max_client_conn reached on pgb-2'" in screen
        )
        assert "1 duplicate skipped: line 5 (repeats line 4)" in screen
        assert "placed on Fri 27 Nov 2026 (the incident's start)" in screen
        assert "times without a zone are read in Europe/London" in screen
        assert count(store, pm_id) == before  # nothing written before Enter
        await pilot.press("enter")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, TimelineScreen)
        assert app.screen.view.selected().text == "rolled back"
    assert count(store, pm_id) == before + 4
    assert notes[-1] == (
        "added 4 events; 1 line joined to the event above; 1 duplicate skipped; "
        "2 lines left out: `#inc-4821 …`, `--- Log closed …`"
    )
    got = {(e.at, e.kind, e.actor, e.text) for e in store.load(pm_id).events}
    assert (
        dt.datetime(2026, 11, 27, 15, 19, tzinfo=UTC),
        "mitigated",
        "alice",
        "rolled back",
    ) in got


async def test_escape_writes_nothing(store: Store) -> None:
    notes: list[str] = []
    pm_id, app, text = await open_and_paste(store, PASTE, notes)
    before = store.load(pm_id).events
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, text)
        preview(app)
        await pilot.press("escape")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, TimelineScreen)
    assert [e.id for e in store.load(pm_id).events] == [e.id for e in before]
    assert notes[-1] == "Import cancelled: nothing added"


async def test_a_refused_line_needs_a_second_enter_and_is_then_left_out(store: Store) -> None:
    notes: list[str] = []
    pm_id, app, text = await open_and_paste(
        store, "15:00 <alice> fine\n15:02 IST deploy\n15:04 <bob> fine", notes
    )
    before = count(store, pm_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, text)
        assert "✗ line 2 can't be read: 'IST' could be India (+05:30)" in shown(app)
        title = str(preview(app).query_one("#preview-title").render())
        assert "1 line can't be read · 2 events ready" in title and "Import" not in title
        hint = preview(app).query_one("#preview-hint")
        assert "enter twice adds the other 2 events" in str(hint.render())
        # on screen at 80x24, whole, whatever the warnings above it take
        assert hint.region.height >= 2 and hint.region.bottom <= 23
        await pilot.press("enter")
        await settle(pilot)
        preview(app)  # still open: the first Enter only says what the second does
        assert "Press enter again to add 2 events without the 1 unreadable line" in str(
            preview(app).query_one("#preview-hint").render()
        )
        assert count(store, pm_id) == before
        await pilot.press("down", "enter")  # another key between disarms
        await settle(pilot)
        preview(app)
        await pilot.press("enter")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, TimelineScreen)
    assert count(store, pm_id) == before + 2
    assert notes[-1] == ("added 2 events; 1 line left out: `15:02 IST deploy`"), notes


async def test_escape_on_a_refused_paste_adds_nothing(store: Store) -> None:
    notes: list[str] = []
    pm_id, app, text = await open_and_paste(store, "15:00 <alice> fine\n15:02 IST deploy", notes)
    before = count(store, pm_id)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, text)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, TimelineScreen)
    assert count(store, pm_id) == before


async def test_a_paste_that_moves_a_milestone_says_so(store: Store) -> None:
    notes: list[str] = []
    # The demo's first #mitigated is 14:47 (Europe/London); an earlier one moves it.
    pm_id, app, text = await open_and_paste(
        store,
        "2026-11-27 14:29 rollback started #mitigated\n2026-11-27 14:31 <bob> watching",
        notes,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, text)
        assert "! Mitigated moves from 14:47 to 14:29" in shown(app)
        await pilot.press("enter")
        await settle(pilot, 0.2)
    assert any("Mitigated moves from 14:47 to 14:29" in n for n in notes), notes


async def test_pasting_the_same_log_twice_adds_it_once(store: Store) -> None:
    notes: list[str] = []
    log = "15:40 <priya> review booked #comm\n15:45 bob: notes shared"
    pm_id, app, text = await open_and_paste(store, log, notes)
    before = count(store, pm_id)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        for _ in range(2):
            await paste(pilot, text)
            await pilot.press("enter")
            await settle(pilot, 0.2)
    assert count(store, pm_id) == before + 2
    assert notes[-1] == "added 0 events; 2 duplicates skipped"


async def test_t_plus_in_the_entry_line_counts_from_the_started_event(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await type_text(pilot, "T+5m checked dashboards")
        await pilot.press("enter")
        await settle(pilot)
    started = dt.datetime(2026, 11, 27, 13, 55, tzinfo=UTC)
    got = {(e.at, e.text) for e in store.load(pm_id).events}
    assert (started + dt.timedelta(minutes=5), "checked dashboards") in got


async def test_ctrl_z_undoes_a_whole_import_in_one_step(store: Store) -> None:
    notes: list[str] = []
    pm_id, app, text = await open_and_paste(store, "15:40 <a> one\n15:41 <b> two", notes)
    before = count(store, pm_id)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot, 0.2)
        await paste(pilot, text)
        await pilot.press("enter")
        await settle(pilot, 0.2)
        assert count(store, pm_id) == before + 2
        await pilot.press("ctrl+z")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, TimelineScreen)
        assert len(app.screen.view.events) == before
    assert count(store, pm_id) == before
