"""The live timeline, driven from the keyboard the way it's used during an incident."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from textual import events
from textual.widgets import OptionList

from models.demo import DEMO
from models.interchange import from_document
from models.store import Store
from tests.apphelpers import focus, make_app, settle, type_text
from tui.screens.dialogs import ChoiceDialog
from tui.screens.import_preview import ImportPreview
from tui.screens.timeline import TimelineScreen
from tui.widgets.entry_input import EntryInput
from tui.widgets.timeline_view import TimelineView

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def utc(*a: int) -> dt.datetime:
    return dt.datetime(*a, tzinfo=UTC)


def row_text(view: TimelineView, y: int) -> str:
    return view.render_line(y).text


async def open_timeline(store: Store, doc: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    pm_id = store.save_new(from_document(doc or DEMO))
    app = make_app(store)
    return pm_id, app


async def enter(pilot: Any, line: str) -> None:
    await type_text(pilot, line)
    await pilot.press("enter")
    await settle(pilot)


def texts(store: Store, pm_id: int) -> list[tuple[dt.datetime, str, str, str]]:
    return [(e.at, e.kind, e.text, e.actor) for e in store.load(pm_id).events]


async def test_every_time_form_through_the_entry_line(store: Store) -> None:
    pm_id, app = await open_timeline(
        store,
        {
            "format": "postmortem/v1",
            "title": "Live",
            "timezone": "UTC",
            "timeline": [{"at": "2026-11-27T10:00:00Z", "kind": "started", "text": "began"}],
        },
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        assert isinstance(app.focused, EntryInput)  # focused when the screen opens
        view = app.screen.query_one(TimelineView)
        await enter(pilot, "14:32 Pager fired #det @alertmanager")  # on the selected event's date
        assert view.selected().text == "Pager fired"  # the new row is selected
        await enter(pilot, "+5m Paged on-call #noti")  # after the selected event
        await enter(pilot, "Acknowledged #resp @sam")  # no time: now
        await enter(pilot, "now Live note")
        await enter(pilot, "-10m Noticed earlier")
        await enter(pilot, "yesterday 23:50 Deploy went out #action")
        await enter(pilot, "2026-11-25 09:47 Config PR merged")
        await enter(pilot, "[10:05] From chat, bracketed")  # selected is now 2026-11-25
        await enter(pilot, "2026-11-27T11:00:00Z Mitigated #mit")
        await pilot.press("ctrl+q")
    got = texts(store, pm_id)
    assert (utc(2026, 11, 27, 14, 32), "detected", "Pager fired", "alertmanager") in got
    assert (utc(2026, 11, 27, 14, 37), "notified", "Paged on-call", "") in got
    assert (NOW, "responded", "Acknowledged", "sam") in got
    assert (NOW, "note", "Live note", "") in got
    assert (NOW - dt.timedelta(minutes=10), "note", "Noticed earlier", "") in got
    assert (utc(2026, 11, 27, 23, 50), "action", "Deploy went out", "") in got
    assert (utc(2026, 11, 25, 9, 47), "note", "Config PR merged", "") in got
    assert (utc(2026, 11, 25, 10, 5), "note", "From chat, bracketed", "") in got
    assert (utc(2026, 11, 27, 11, 0), "mitigated", "Mitigated", "") in got
    assert [e[0] for e in got] == sorted(e[0] for e in got)  # kept in time order


async def test_bad_time_keeps_the_text_and_adds_nothing(store: Store) -> None:
    pm_id, app = await open_timeline(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        await enter(pilot, "25:61 broken clock")
        error = str(app.screen.query_one("#entry-error").content)
        assert "not a valid clock time" in error
        assert app.screen.query_one(EntryInput).value == "25:61 broken clock"
        await focus(pilot, "#entry")
        app.screen.query_one(EntryInput).value = ""
        await enter(pilot, "#re ambiguous tag")
        assert "ambiguous" in str(app.screen.query_one("#entry-error").content)
    assert len(store.load(pm_id).events) == len(DEMO["timeline"])


async def test_dst_gap_is_refused_inline(store: Store) -> None:
    pm_id, app = await open_timeline(
        store,
        {
            "format": "postmortem/v1",
            "title": "Spring forward",
            "timezone": "Europe/London",
            "timeline": [{"at": "2026-03-29T00:30:00Z", "kind": "started", "text": "began"}],
        },
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        await enter(pilot, "01:30 in the gap")
        assert "never happened" in str(app.screen.query_one("#entry-error").content)
        app.screen.query_one(EntryInput).value = ""
        await enter(pilot, "02:30 after the gap")
    assert store.load(pm_id).events[-1].at == utc(2026, 3, 29, 1, 30)


async def test_dates_show_when_the_day_changes_across_midnight_and_days(store: Store) -> None:
    pm_id, app = await open_timeline(
        store,
        {
            "format": "postmortem/v1",
            "title": "Long one",
            "timezone": "Asia/Tokyo",
            "timeline": [
                {"at": "2026-11-27T14:50:00Z", "kind": "started", "text": "a"},  # 23:50 JST
                {"at": "2026-11-27T15:10:00Z", "kind": "note", "text": "b"},  # 00:10 next day
                {"at": "2026-11-27T15:20:00Z", "kind": "note", "text": "c"},
                {"at": "2026-11-29T01:00:00Z", "kind": "resolved", "text": "d"},  # two days on
            ],
        },
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        rows = [row_text(view, y) for y in range(4)]
        assert rows[0].startswith("27 Nov 23:50") and "T+0" in rows[0]
        assert rows[1].startswith("28 Nov 00:10") and "T+20m" in rows[1]
        assert rows[2].startswith("00:20 ")
        assert rows[3].startswith("29 Nov 10:00") and "T+34h 10m" in rows[3]
        await pilot.press("shift+tab")  # to the list
        await settle(pilot)
        await pilot.press("z")  # UTC
        await settle(pilot)
        assert row_text(view, 0).startswith("27 Nov 14:50")
        assert "times in UTC" in str(app.screen.query_one("#timeline-header").content)


async def test_list_keys_move_edit_kind_delete_undo(store: Store) -> None:
    pm_id, app = await open_timeline(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        last = len(DEMO["timeline"]) - 1
        assert view.cursor == last
        await pilot.press("up", "up")  # arrows work from the entry line too
        assert view.cursor == last - 2
        await focus(pilot, "#timeline-view")
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("end")
        assert view.cursor == last
        await pilot.press("pageup")
        assert view.cursor < last
        await pilot.press("pagedown")
        assert view.cursor == last
        await pilot.press("down")
        assert view.cursor == last  # stays on the last row

        await pilot.press("home", "enter")  # edit the first event, prefilled
        await settle(pilot)
        entry = app.screen.query_one(EntryInput)
        assert entry.value.startswith("2026-11-27 13:41:00 Config PR #4821")
        assert "#action" in entry.value and "@deploy-bot" in entry.value
        await pilot.press("end")
        await type_text(pilot, " (reviewed)")
        await pilot.press("enter")
        await settle(pilot)
        assert store.load(pm_id).events[0].text.endswith("(reviewed)")

        await focus(pilot, "#timeline-view")
        await pilot.press("home", "e")
        await type_text(pilot, "xyz")
        await pilot.press("escape")  # changed text: the first escape only warns
        await settle(pilot)
        assert app.screen.query_one(EntryInput).value.endswith("xyz")
        assert "Escape again" in str(app.screen.query_one("#entry-error").content)
        await pilot.press("escape")  # the second drops the change
        await settle(pilot)
        assert not store.load(pm_id).events[0].text.endswith("xyz")
        assert app.screen.query_one(EntryInput).value == ""

        # k and j move (vim); they never change data.
        await focus(pilot, "#timeline-view")
        await pilot.press("home", "j", "j", "k")
        assert view.cursor == 1
        kinds = [e.kind for e in store.load(pm_id).events]
        await pilot.press("k", "k", "k", "j")
        assert [e.kind for e in store.load(pm_id).events] == kinds

        # t picks the kind from a list, the current one highlighted.
        await pilot.press("home", "t")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted or 0).id == "action"
        await pilot.press("escape")  # nothing picked, nothing changed
        await settle(pilot)
        assert store.load(pm_id).events[0].kind == "action"
        await pilot.press("t", "down", "enter")  # action -> communication
        await settle(pilot)
        assert store.load(pm_id).events[0].kind == "communication"

        # d asks for a second d; the cursor then stays on the next event.
        second = store.load(pm_id).events[1].id
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).events) == last + 1
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).events) == last
        assert view.selected().id == second
        await pilot.press("delete")  # the delete key needs no second press
        await settle(pilot)
        assert len(store.load(pm_id).events) == last - 1
        for _ in range(3):  # two deletes and the kind change
            await pilot.press("ctrl+z")
            await settle(pilot)
        assert len(store.load(pm_id).events) == last + 1
        assert store.load(pm_id).events[0].kind == "action"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert store.load(pm_id).events[0].kind == "communication"
        assert isinstance(app.screen, TimelineScreen)


async def test_milestones_filter_and_text_filter(store: Store) -> None:
    pm_id, app = await open_timeline(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        await focus(pilot, "#timeline-view")
        await pilot.press("m")
        await settle(pilot)
        assert len(view.rows) == 6
        assert all("▶" in row_text(view, y) for y in range(6))
        await pilot.press("m", "slash")
        await type_text(pilot, "status page")
        await settle(pilot)
        assert len(view.rows) == 2
        assert "2 of 16" in str(app.screen.query_one("#timeline-header").content)
        await pilot.press("escape")
        await settle(pilot)
        assert len(view.rows) == len(DEMO["timeline"])


async def test_metrics_and_side_panel_update_at_once(store: Store) -> None:
    pm_id, app = await open_timeline(
        store,
        {
            "format": "postmortem/v1",
            "title": "Live",
            "timezone": "UTC",
            "timeline": [{"at": "2026-11-28T10:48:00Z", "kind": "started", "text": "began"}],
        },
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        assert str(app.screen.query_one("#pm-clock").content) == "ongoing for 1h 12m"
        await enter(pilot, "10:59 alert fired #detected")
        from rich.console import Console

        def panel() -> str:
            with open(os.devnull, "w") as sink:
                console = Console(width=40, record=True, file=sink)
                console.print(app.screen.query_one("#timeline-side").content)
            return " ".join(console.export_text().split())

        assert "detect 11m" in panel()
        await enter(pilot, "11:30 rolled back #mit")
        assert str(app.screen.query_one("#pm-clock").content) == "lasted 42m"
        await enter(pilot, "10:40 earlier detection? #detected")
        assert "detected before started" in panel()


async def test_long_text_is_elided_and_shown_whole_in_the_detail(store: Store) -> None:
    pm_id, app = await open_timeline(store)
    long = "word " * 60
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        await enter(pilot, f"15:31 {long.strip()}")
        view = app.screen.query_one(TimelineView)
        visible = [row_text(view, y) for y in range(view.size.height)]
        assert any("…" in line for line in visible)
        assert long.strip() in str(app.screen.query_one("#timeline-detail").content)


async def test_pasting_a_chat_log_asks_once_then_imports(store: Store) -> None:
    pm_id, app = await open_timeline(store)
    log = "[15:40] <priya> review booked #comm\n  for Monday\n[15:45] bob: notes shared\n"
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        app.screen.query_one(EntryInput).post_message(events.Paste(log))
        await settle(pilot)
        assert isinstance(app.screen, ImportPreview)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(TimelineView).selected().text == "notes shared"
        app.screen.query_one(EntryInput).post_message(events.Paste("no times\nhere"))
        await settle(pilot)
        assert "no line of the paste starts with a time" in str(
            app.screen.query_one("#entry-error").content
        )
    got = texts(store, pm_id)
    assert (utc(2026, 11, 27, 15, 40), "communication", "review booked\nfor Monday", "priya") in got
    assert (utc(2026, 11, 27, 15, 45), "note", "notes shared", "bob") in got


async def test_seconds_long_offsets_and_the_entry_key(store: Store) -> None:
    pm_id, app = await open_timeline(
        store,
        {
            "format": "postmortem/v1",
            "title": "Live",
            "timezone": "UTC",
            "timeline": [{"at": "2026-11-27T10:00:00Z", "kind": "started", "text": "began"}],
        },
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        await enter(pilot, "10:20:05 with seconds")
        await enter(pilot, "+1h30m long offset")
        await focus(pilot, "#timeline-view")
        await pilot.press("i")  # back to the entry line
        await settle(pilot)
        assert isinstance(app.focused, EntryInput)
    got = texts(store, pm_id)
    assert (utc(2026, 11, 27, 10, 20, 5), "note", "with seconds", "") in got
    assert (utc(2026, 11, 27, 11, 50, 5), "note", "long offset", "") in got


async def test_a_new_event_far_up_a_long_timeline_is_scrolled_into_view(store: Store) -> None:
    pm_id, app = await open_timeline(store)
    start = utc(2026, 11, 27, 16, 0)
    store.add_events(
        pm_id, [(start + dt.timedelta(minutes=i), "note", f"line {i}", "") for i in range(500)]
    )
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        assert view.scroll_offset.y > 400  # opened at the end
        await enter(pilot, "2026-11-27 13:56 early note")
        top, height = view.scroll_offset.y, view.scrollable_content_region.height
        assert view.selected().text == "early note"
        assert top <= view.cursor < top + height
