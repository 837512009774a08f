"""The app as a person uses it: keys in, data in SQLite out."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, ListView, Select

from models.demo import DEMO
from models.interchange import from_document
from models.store import Store, open_store
from tests.apphelpers import NOW, focus, make_app, settle, type_text
from tui.screens.actions import ActionsScreen
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.help import HelpScreen
from tui.screens.impact import ImpactScreen
from tui.screens.library import LibraryScreen
from tui.screens.overview import OverviewScreen
from tui.screens.response import ResponseScreen
from tui.screens.timeline import TimelineScreen
from tui.widgets.field import Field


def field_error(app, key: str) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(f"#field-{key}", Field).error


async def test_create_fill_every_section_quit_and_reopen(db_path: Path) -> None:
    store = open_store(str(db_path))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PromptDialog)
        await type_text(pilot, "Queue backlog after broker upgrade")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)

        # Overview: services, a start time, a summary.
        await focus(pilot, "#input-services")
        await type_text(pilot, "queue, billing")
        await focus(pilot, "#input-ms-started")
        await type_text(pilot, "2026-11-27 09:15")
        await pilot.press("enter")
        await focus(pilot, "#input-summary")
        await type_text(pilot, "Consumers stalled.")
        await pilot.press("f3")  # works while the summary has focus
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)

        # Timeline: an event through the entry line.
        await type_text(pilot, "09:40 Rolled back broker #mit @ana")
        await pilot.press("enter")
        await settle(pilot)

        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ImpactScreen)
        await type_text(pilot, "1,200")
        await pilot.press("tab")

        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ResponseScreen)
        await pilot.press("a")
        await type_text(pilot, "Alert fired fast")
        await pilot.press("enter")
        await settle(pilot)

        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "Pin broker version")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "ana")  # focus moved to Owner
        await focus(pilot, "#input-a-due")
        await type_text(pilot, "+3d")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+q")

    # A new process, the same file: everything is there.
    again = open_store(str(db_path))
    pm = again.load(again.list_postmortems()[0].id)
    assert pm.title == "Queue backlog after broker upgrade"
    assert pm.services == ["queue", "billing"]
    assert pm.summary == "Consumers stalled."
    kinds = {(e.kind, e.text, e.actor) for e in pm.events}
    assert ("started", "Impact began", "") in kinds
    assert ("mitigated", "Rolled back broker", "ana") in kinds
    started = next(e.at for e in pm.events if e.kind == "started")
    assert started == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert pm.users_affected == 1200
    assert [i.text for i in pm.response("went_well")] == ["Alert fired fast"]
    item = pm.action_items[0]
    assert (item.title, item.owner, item.due) == ("Pin broker version", "ana", dt.date(2026, 12, 1))

    app2 = make_app(again)
    async with app2.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await settle(pilot)
        assert app2.screen.query_one("#input-title", Input).value == pm.title


async def test_invalid_values_show_an_error_and_keep_the_text(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "impact")
        await settle(pilot)
        box = app.screen.query_one("#input-users_affected", Input)
        await focus(pilot, "#input-users_affected")
        box.value = ""
        await type_text(pilot, "lots")
        await settle(pilot, 0.7)
        assert "not a count" in field_error(app, "users_affected")
        assert box.value == "lots"
        await focus(pilot, "#input-slo_budget_consumed_pct")
        await type_text(pilot, "-5")
        await settle(pilot)
        assert "not a percentage like 38.5" in field_error(app, "slo_budget_consumed_pct")

        await pilot.press("f2")
        await settle(pilot)
        start = app.screen.query_one("#input-ms-started", Input)
        await focus(pilot, "#input-ms-started")
        start.value = ""
        await type_text(pilot, "25:99")
        await pilot.press("enter")
        await settle(pilot)
        assert "not a valid clock time" in field_error(app, "ms-started")
        assert start.value == "25:99"
        title = app.screen.query_one("#input-title", Input)
        await focus(pilot, "#input-title")
        title.value = "   "
        await settle(pilot, 0.7)
        assert "must not be empty" in field_error(app, "title")
        await pilot.press("ctrl+q")
    pm = store.load(pm_id)
    assert pm.users_affected == 18400 and pm.slo_budget_consumed_pct == 38.5
    assert pm.title == DEMO["title"]
    assert min(e.at for e in pm.events if e.kind == "started") == dt.datetime(
        2026, 11, 27, 13, 55, tzinfo=dt.UTC
    )


async def test_library_delete_asks_first_and_undo_restores(store: Store) -> None:
    store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(store.list_postmortems()) == 1
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert store.list_postmortems() == []
        assert app.screen.query_one("#empty-hint").display
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [s.title for s in store.list_postmortems()] == [DEMO["title"]]
        assert app.screen.query_one(DataTable).row_count == 1


async def test_list_and_action_deletes_undo_several_steps(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "response")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert len(store.load(pm_id).response("went_well")) == 3  # one d only asks
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("d", "d")
        await settle(pilot)
        assert len(store.load(pm_id).response("went_well")) == 1
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("d", "d")
        await settle(pilot)
        assert len(store.load(pm_id).action_items) == 5
        for _ in range(3):
            await pilot.press("ctrl+z")
            await settle(pilot)
    pm = store.load(pm_id)
    assert [i.text for i in pm.response("went_well")] == DEMO["response"]["went_well"]
    assert [a.title for a in pm.action_items] == [a["title"] for a in DEMO["action_items"]]


async def test_response_lists_edit_and_reorder(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "response")
        await settle(pilot)
        await pilot.press("enter")  # edit the first item in place
        await settle(pilot)
        await pilot.press("end")
        await type_text(pilot, "!")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("shift+down")
        await settle(pilot)
        await pilot.press("tab")  # next list
        await pilot.press("a")
        await type_text(pilot, "Nobody owned the config")
        await pilot.press("escape")  # cancel: nothing added
        await settle(pilot)
        assert isinstance(app.screen, ResponseScreen)
    well = [i.text for i in store.load(pm_id).response("went_well")]
    assert well[1] == DEMO["response"]["went_well"][0] + "!"
    assert len(store.load(pm_id).response("went_wrong")) == 3


async def test_actions_keys(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "actions")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        # Overdue: item 3 is due 2026-11-25 and open; today is 2026-11-28.
        due_cell = table.get_row_at(2)[3]
        assert "⚠" in str(due_cell) and "red" in str(due_cell.style)
        assert "⚠" not in str(table.get_row_at(4)[3])  # done items are never overdue
        await pilot.press("s")  # cycle status of item 1: in_progress -> done
        await settle(pilot)
        assert store.load(pm_id).action_items[0].status == "done"
        await pilot.press("o")
        await settle(pilot)
        assert [a.priority for a in store.load(pm_id).action_items] == [
            "P0",
            "P1",
            "P1",
            "P2",
            "P2",
            "P3",
        ]
        await pilot.press("e")
        due = app.screen.query_one("#input-a-due", Input)
        await focus(pilot, "#input-a-due")
        due.value = ""
        await type_text(pilot, "someday")
        await pilot.press("enter")
        await settle(pilot)
        assert "accepted" in field_error(app, "a-due") and due.value == "someday"
        due.value = ""
        await type_text(pilot, "next monday")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert table.has_focus
        select = app.screen.query_one("#a-priority", Select)
        select.value = "P3"
        await settle(pilot)
    # The cursor followed the edited item through the sort, so the edits landed on it.
    edited = next(a for a in store.load(pm_id).action_items if a.title.startswith("Derive"))
    assert edited.due == dt.date(2026, 11, 30) and edited.priority == "P3"


async def test_overview_milestones_drive_the_timeline(store: Store) -> None:
    pm_id = store.save_new(
        from_document({"format": "postmortem/v1", "title": "t", "timezone": "America/New_York"})
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        for key, typed in (
            ("started", "2026-11-27 10:00"),
            ("detected", "10:20"),
            ("mitigated", "11:30"),
        ):
            await focus(pilot, f"#input-ms-{key}")
            await type_text(pilot, typed)
            await pilot.press("enter")
            await settle(pilot)
        assert "ongoing" not in str(app.screen.query_one("#pm-clock").content)
        assert "lasted 1h 30m" in str(app.screen.query_one("#pm-clock").content)
        box = app.screen.query_one("#input-ms-detected", Input)
        await focus(pilot, "#input-ms-detected")
        box.value = ""
        await type_text(pilot, "10:05")  # moves the milestone, doesn't add one
        await pilot.press("enter")
        await settle(pilot)
    events = store.load(pm_id).events
    assert [(e.kind, e.at.hour, e.at.minute) for e in events] == [
        ("started", 15, 0),
        ("detected", 15, 5),
        ("mitigated", 16, 30),
    ]


async def test_ongoing_clock_in_the_header(store: Store) -> None:
    pm_id = store.save_new(
        from_document(
            {
                "format": "postmortem/v1",
                "title": "Live",
                "timeline": [{"at": "2026-11-28T10:48:00Z", "kind": "started"}],
            }
        )
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        assert str(app.screen.query_one("#pm-clock").content) == "ongoing for 1h 12m"


async def test_autosave_writes_within_a_second_without_leaving_the_field(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        await focus(pilot, "#input-summary")
        await type_text(pilot, "XYZ")
        assert "XYZ" not in store.load(pm_id).summary
        assert str(app.screen.query_one("#save-indicator").content) == "… saving"
        await pilot.pause(0.8)
        assert "XYZ" in store.load(pm_id).summary
        assert str(app.screen.query_one("#save-indicator").content) == "✓ saved"
        await pilot.press("ctrl+s")  # still works, and says so


async def test_library_filter_and_open_and_escape_back(store: Store) -> None:
    store.save_new(from_document(DEMO))
    store.create_postmortem("DNS blip", tags=["dns"])
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "dns")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")  # back to the table
        await pilot.press("enter")  # open
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("escape")  # out of the title field first, never straight out
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.screen.focused is app.screen.query_one("#navigator")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_empty_library_hint(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = str(app.screen.query_one("#empty-hint").content)
        assert "Press" in hint and "postmortem demo" in hint


async def test_help_lists_the_keys_of_the_current_screen(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "actions")
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console

        with open(os.devnull, "w") as sink:
            console = Console(width=100, record=True, file=sink)
            console.print(app.screen.query_one("#help-table").content)
        text = console.export_text()
        for wanted in (
            "Cycle status",
            "Sort P/due",
            "Add",
            "Delete",
            "Undo",
            "f3",
            "Go to Timeline",
            "ctrl+pagedown",
            "ctrl+p",
        ):
            assert wanted in text, wanted
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ActionsScreen)


async def test_palette_offers_sections_and_screen_actions(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "actions")
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in (
            "Go to Timeline",
            "Go to Export",
            "New postmortem",
            "Theme",
            "Cycle status",
            "Sort P/due",
            "Help",
        ):
            assert wanted in titles, wanted
        app.theme = "textual-light"
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)


async def test_works_at_80x24(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        for section in (
            "overview",
            "timeline",
            "rootcause",
            "impact",
            "response",
            "actions",
            "export",
        ):
            app.action_open_section(section) if app.workspace else app.open_postmortem(
                pm_id, section
            )
            await settle(pilot)
            assert app.screen.query_one("#navigator").region.width > 0
            assert app.screen.query_one("#pm-title").region.width > 10


async def test_response_list_starts_focused(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "response")
        await settle(pilot)
        assert isinstance(app.focused, ListView)
        assert NOW.year == 2026


async def test_visiting_every_screen_changes_nothing(store: Store) -> None:
    """Widgets that announce their initial values must never write them back."""
    from models.interchange import to_document

    pm_id = store.save_new(from_document(DEMO))
    before = to_document(store.load(pm_id), now=NOW)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        for key in ("f3", "f4", "f5", "f6", "f7", "down", "down", "f8", "f2"):
            await pilot.press(key)
            await settle(pilot, 0.1)
        await pilot.pause(0.7)
        await pilot.press("ctrl+q")
    after = to_document(store.load(pm_id), now=NOW)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


async def test_switching_sections_faster_than_they_compose(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        for section in ("timeline", "impact", "actions", "overview", "export"):
            app.action_open_section(section)  # no pause: screens still composing
        await settle(pilot, 0.3)
        assert str(app.screen.query_one("#pm-title").content) == DEMO["title"]
        await pilot.press("f2", "f3", "f4", "f5", "f6", "f7")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, ActionsScreen)


async def test_export_save_overwrite_json_and_copy(
    store: Store, tmp_path: Path, monkeypatch: object
) -> None:
    import json

    from tui.screens.export import ExportScreen

    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "export")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        assert "rendered" in str(app.screen.query_one("#export-format").content)
        await pilot.press("s")
        await settle(pilot)
        prompt = app.screen.query_one("#prompt-input", Input)
        assert prompt.value == "./checkout-502s-after-connection-pool-change.md"
        target = tmp_path / "pm.md"
        prompt.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert target.read_text().startswith("---\ntitle: Checkout 502s")

        target.write_text("precious")  # saving again must ask first
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert target.read_text() == "precious"
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert target.read_text().startswith("---\n")

        await pilot.press("j")
        await settle(pilot)
        assert "JSON" in str(app.screen.query_one("#export-format").content)
        await pilot.press("c")
        await settle(pilot)
        assert json.loads(copied[-1])["title"] == DEMO["title"]
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.query_one("#prompt-input", Input).value.endswith(".json")
        app.screen.query_one("#prompt-input", Input).value = str(tmp_path / "no" / "x.json")
        await pilot.press("enter")
        await settle(pilot)
        assert "does not exist" in str(app.screen.query_one("#prompt-error").content)
        await pilot.press("escape")


async def test_export_of_a_huge_timeline_falls_back_to_source_view(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    start = dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC)
    store.add_events(
        pm_id, [(start + dt.timedelta(seconds=i), "note", f"line {i}", "") for i in range(2000)]
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "export")
        await settle(pilot)
        label = str(app.screen.query_one("#export-format").content)
        assert "source" in label and "over 300 lines" in label
        assert app.screen.query_one("#export-source").display
        assert not app.screen.query_one("#export-markdown-scroll").display


async def test_question_mark_opens_help_outside_text_fields(store: Store) -> None:
    store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("enter")  # open; the title field has focus
        await settle(pilot)
        await pilot.press("question_mark")  # typed, not help
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.screen.query_one("#input-title", Input).value.endswith("?")


async def test_library_e_opens_the_export(store: Store) -> None:
    from tui.screens.export import ExportScreen

    store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)


async def test_autosave_keeps_and_retries_an_edit_while_the_database_is_locked(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.errors import DatabaseError

    pm_id = store.save_new(from_document(DEMO))
    real_update = store.update_postmortem
    locked = {"on": True}

    def flaky(pm: int, **fields: object) -> object:
        if locked["on"]:
            raise DatabaseError("pm.db is locked by another program (waited 5 s)")
        return real_update(pm, **fields)

    monkeypatch.setattr(store, "update_postmortem", flaky)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        await focus(pilot, "#input-summary")
        await type_text(pilot, "QQ")
        await pilot.pause(0.8)
        indicator = app.screen.query_one("#save-indicator")
        assert str(indicator.content) == "✗ not saved"
        assert "locked" in str(indicator.tooltip)
        locked["on"] = False
        await pilot.pause(2.5)  # the retry timer
        assert str(indicator.content) == "✓ saved"
    assert store.load(pm_id).summary.startswith("QQ")  # typed at the cursor, the start


async def test_a_database_refused_at_start_ends_the_app_with_one_line() -> None:
    from models.errors import DatabaseError
    from tui.app import PostmortemApp

    def opener() -> Store:
        raise DatabaseError("x.db was written by a newer version of postmortem")

    app = PostmortemApp(opener)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
    assert app.return_code == 1
    assert app.error_message == "x.db was written by a newer version of postmortem"


async def test_undo_selects_what_it_restored(store: Store) -> None:
    from tui.widgets.fishbone_pane import FishbonePane
    from tui.widgets.timeline_view import TimelineView

    pm_id = store.save_new(from_document(DEMO))
    store.create_postmortem("Another one")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        # library: the restored postmortem is selected again
        await pilot.press("down", "d", "y")
        await settle(pilot)
        await pilot.press("up")
        await pilot.press("ctrl+z")
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen) and library.selected_id() == pm_id

        app.open_postmortem(pm_id, "timeline")
        await settle(pilot)
        view = app.screen.query_one(TimelineView)
        await focus(pilot, "#timeline-view")
        await pilot.press("home", "down", "down")
        deleted = view.selected()
        await pilot.press("d", "d", "end", "ctrl+z")
        await settle(pilot)
        assert view.selected().id == deleted.id

        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("down", "down", "d", "d", "home", "ctrl+z")
        await settle(pilot)
        assert app.screen.selected().title.startswith("Alert on pgbouncer")

        await pilot.press("f4", "b")
        await settle(pilot)
        await pilot.press("down", "down", "d", "d", "home", "ctrl+z")
        await settle(pilot, 0.2)
        node = app.screen.query_one(FishbonePane).nodes.cursor_node
        assert node is not None and node.data == ("category", 2)  # Process, selected again


async def test_next_and_previous_section_keys_work_while_typing(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        assert isinstance(app.focused, Input)  # the title field
        await pilot.press("ctrl+pagedown")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        await pilot.press("ctrl+pageup", "ctrl+pageup")
        await settle(pilot)
        from tui.screens.export import ExportScreen

        assert isinstance(app.screen, ExportScreen)  # wraps around


async def test_timezone_is_validated_and_completed(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id)
        await settle(pilot)
        box = app.screen.query_one("#input-timezone", Input)
        await focus(pilot, "#input-timezone")
        box.value = ""
        await type_text(pilot, "Mars/Base")
        await settle(pilot)
        assert "unknown timezone 'Mars/Base'" in field_error(app, "timezone")
        box.value = ""
        await type_text(pilot, "Asia/Kolk")
        await settle(pilot)
        await pilot.press("right")  # accept the completion
        await pilot.press("tab")
        await settle(pilot)
        assert box.value == "Asia/Kolkata"
        assert "Impact lasted 52m, from Fri 27 Nov 19:25" in str(
            app.screen.query_one("#duration").content
        )
    assert store.load(pm_id).timezone == "Asia/Kolkata"


async def test_leaving_a_field_saves_at_once_and_ctrl_s_says_saved(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    said: list[str] = []
    app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "impact")
        await settle(pilot)
        await focus(pilot, "#input-revenue_impact")
        await type_text(pilot, "X")
        await pilot.press("tab")  # leaving the field writes now, not in half a second
        await pilot.pause()
        assert store.load(pm_id).revenue_impact.endswith("X")
        assert "Impact duration (from the timeline): 52m" in str(
            app.screen.query_one("#impact-duration").content
        )
        await focus(pilot, "#input-data_loss")
        await type_text(pilot, "Y")
        await pilot.press("f2")  # leaving the screen too
        await pilot.pause()
        assert store.load(pm_id).data_loss.endswith("Y")
        await pilot.press("ctrl+s")
        assert "saved" in said


async def test_action_items_reorder(store: Store) -> None:
    pm_id = store.save_new(from_document(DEMO))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_postmortem(pm_id, "actions")
        await settle(pilot)
        await pilot.press("shift+down")
        await settle(pilot)
    titles = [a.title for a in store.load(pm_id).action_items]
    assert titles[1].startswith("Derive per-service") and titles[0].startswith("Run the load")


def test_every_binding_has_an_id() -> None:
    """Ids make every key remappable with App.set_keymap."""
    import importlib
    import pkgutil

    from textual.binding import Binding

    import tui

    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        module = importlib.import_module(info.name)
        ours = [
            v for v in vars(module).values() if isinstance(v, type) and v.__module__ == info.name
        ]
        assert ours or not info.name.startswith("tui.screens."), info.name
        for value in ours:
            for binding in value.__dict__.get("BINDINGS", []):
                assert isinstance(binding, Binding) and binding.id, (info.name, binding)
