"""The library's search, its Action Items screen, Insights and the Overview's related
incidents, driven with Pilot on a generated library of 60 postmortems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from models.errors import PostmortemError
from models.related import links
from models.store import Store, open_store
from models.tables import ActionItem
from tests.apphelpers import NOW, make_app, settle, type_text
from tests.library import copy_of
from tui.screens.actions import ActionsScreen
from tui.screens.all_actions import AllActionsScreen
from tui.screens.insights import InsightsScreen
from tui.screens.library import LibraryScreen, as_you_type
from tui.screens.overview import OverviewScreen
from tui.screens.rootcause import RootCauseScreen
from tui.screens.timeline import TimelineScreen


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Callable[[int], Store]]:
    """A store on a copy of a generated library of 60 postmortems (by seed)."""
    opened: list[Store] = []

    def make(seed: int, count: int = 60) -> Store:
        store = open_store(str(copy_of(tmp_path / f"lib-{seed}.db", count, seed=seed)))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def test_the_word_being_typed_is_a_prefix() -> None:
    assert as_you_type("pgbou") == "pgbou*"
    assert as_you_type("pgbouncer ") == "pgbouncer "
    assert as_you_type('"connection po') == '"connection po'
    assert as_you_type("sev:2") == "sev:2"
    assert as_you_type("-stag") == "-stag"


async def test_search_as_you_type_then_open_at_the_matching_row(
    lib: Callable[[int], Store],
) -> None:
    store = lib(4)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "cl_wai")  # half a word: already finds cl_waiting
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.searching
        expected = store.search("cl_wai*", limit=200, per_postmortem=1)
        assert [r.pm_id for r in screen.hits] == [r.pm_id for r in expected.results]
        assert screen.query_one(DataTable).row_count == len(expected.results) > 0
        match = screen.hits[0].matches[0]
        assert match.table == "fishbone_cause" and "cl_waiting" in match.plain
        await pilot.press("enter", "enter")  # to the results, then open
        await settle(pilot, 0.3)
        assert isinstance(app.screen, RootCauseScreen)
        from textual.widgets import TabbedContent

        assert app.screen.query_one(TabbedContent).active == "fishbone"
        pane = app.screen.query_one("FishbonePane")
        node = pane.nodes.cursor_node  # type: ignore[attr-defined]
        assert node is not None and node.data == ("cause", match.row_id)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_a_timeline_hit_selects_the_event_and_escape_clears_the_search(
    lib: Callable[[int], Store],
) -> None:
    store = lib(4)
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "synthetic check sev:1,2,3,4,5 ")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.hits and screen.hits[0].matches[0].table == "timeline_event"
        wanted = screen.hits[0].matches[0].row_id
        await pilot.press("enter", "enter")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, TimelineScreen)
        assert app.screen.view.selected_id() == wanted
        await pilot.press("escape", "escape")
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("slash")
        await type_text(pilot, "after:2026-99")
        await settle(pilot)
        hint = str(library.query_one("#search-hint").content)
        assert "after: needs a date" in hint  # said where the user is looking, nothing lost
        assert library.query_one("#filter", Input).value == "after:2026-99"
        await pilot.press("escape")
        await settle(pilot)
        assert not library.searching and library.query_one(DataTable).row_count == 60


def open_items(store: Store) -> list[ActionItem]:
    items = []
    for summary in store.list_postmortems():
        items += [
            a for a in store.load(summary.id).action_items if a.status in ("open", "in_progress")
        ]
    return items


async def test_action_items_filters(lib: Callable[[int], Store]) -> None:
    store = lib(8)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllActionsScreen)
        table = screen.query_one(DataTable)
        open_count = len(open_items(store))
        assert table.row_count == open_count  # open ones first
        dues = [r.due or dt.date.max for r in screen.rows]
        assert dues == sorted(dues)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert screen.rows and all(r.is_overdue(NOW) for r in screen.rows)
        await pilot.press("exclamation_mark", "o")  # overdue off, then all items
        await settle(pilot)
        assert table.row_count == len(screen.everything)
        await pilot.press("p")
        await settle(pilot)
        assert screen.rows and {r.priority for r in screen.rows} == {"P0"}
        await pilot.press("p", "t")
        await settle(pilot)
        assert {r.priority for r in screen.rows} == {"P1"}
        await pilot.press("c")
        await settle(pilot)
        assert screen.filter.open_only and screen.filter.sort == "priority"
        priorities = [r.priority for r in screen.rows]
        assert priorities == sorted(priorities)
        await pilot.press("w")  # whose: pick an owner from the list
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # anyone, nobody, then the first name
        await settle(pilot)
        owner = screen.filter.owner
        assert owner and all(owner.lower() in r.owner.lower() for r in screen.rows)
        await pilot.press("w", "home", "down", "enter")  # nobody
        await settle(pilot)
        assert screen.rows and all(not r.owner for r in screen.rows)
        await pilot.press("c", "v", "down", "enter")  # the first service
        await settle(pilot)
        service = screen.filter.service
        assert service and all(service in r.pm_services for r in screen.rows)
        assert "service" in str(screen.query_one("#all-actions-filters").content)


async def test_status_and_owner_change_here_and_undo_here(lib: Callable[[int], Store]) -> None:
    store = lib(8)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllActionsScreen)
        row = screen.rows[0]
        assert row.status == "open" or row.status == "in_progress"
        before = row.status
        await pilot.press("s")
        await settle(pilot)
        item = store.load(row.pm_id).action_items
        changed = next(a for a in item if a.id == row.id)
        assert changed.status != before  # written at once, through the store
        assert app.history.can_undo(row.pm_id)  # in the postmortem's own history
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "Zoe")
        await pilot.press("enter")
        await settle(pilot)
        assert next(a for a in store.load(row.pm_id).action_items if a.id == row.id).owner == "Zoe"
        await pilot.press("ctrl+z")  # the owner
        await settle(pilot)
        now = next(a for a in store.load(row.pm_id).action_items if a.id == row.id)
        assert now.owner == row.owner and now.status == changed.status
        await pilot.press("ctrl+z")  # the status
        await settle(pilot)
        assert (
            next(a for a in store.load(row.pm_id).action_items if a.id == row.id).status == before
        )
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert (
            next(a for a in store.load(row.pm_id).action_items if a.id == row.id).status
            == changed.status
        )
        # Edited since in the postmortem itself: ctrl+z here refuses, and says where to undo.
        said: list[str] = []
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
        store.update(
            ActionItem, row.id, ticket="NEW-1"
        )  # recorded in the same postmortem's history
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert said and "was changed since" in said[-1] and "Open it" in said[-1]
        final = next(a for a in store.load(row.pm_id).action_items if a.id == row.id)
        assert final.ticket == "NEW-1" and final.status == changed.status


async def test_enter_opens_the_item_in_its_postmortem_and_escape_comes_back(
    lib: Callable[[int], Store],
) -> None:
    store = lib(8)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("j", "j")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllActionsScreen)
        row = screen.selected()
        assert row is not None
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, ActionsScreen)
        assert app.screen.selected_id() == row.id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AllActionsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_insights_renders_at_both_sizes_and_switches_to_quarters(
    lib: Callable[[int], Store],
) -> None:
    store = lib(9)
    for size in ((80, 24), (120, 40)):
        app = make_app(store)
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await pilot.press("i")
            await settle(pilot, 0.3)
            screen = app.screen
            assert isinstance(screen, InsightsScreen) and screen.stats is not None
            assert screen.stats.postmortems == 60
            assert screen.has_class("narrow") == (size[0] < 110)
            text = str(screen.query_one("#insights-scope").content)
            assert "60 postmortems" in text and "by month" in text
            await pilot.press("b")
            await settle(pilot, 0.3)
            assert screen.stats.by == "quarter"
            await pilot.press("s")
            await settle(pilot)
            await type_text(pilot, "2026")
            await pilot.press("enter")
            await settle(pilot, 0.3)
            assert screen.stats.since == dt.date(2026, 1, 1) and screen.stats.postmortems < 60
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, LibraryScreen)


async def test_insights_with_an_empty_library(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot, 0.3)
        assert isinstance(app.screen, InsightsScreen)
        assert "0 postmortems" in str(app.screen.query_one("#insights-scope").content)


async def test_related_suggestions_confirm_dismiss_and_undo(lib: Callable[[int], Store]) -> None:
    store = lib(4)
    newest = store.list_postmortems()[0].id  # the latest incident: every other one is past
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_postmortem(newest)
        await settle(pilot, 0.3)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        from tui.widgets.related_panel import RelatedPanel

        panel = screen.query_one(RelatedPanel)
        assert panel.rows and panel.rows[0].suggestion is not None
        first, second = panel.rows[0].other_id, panel.rows[1].other_id
        screen.set_focus(screen.query_one("#related-table"))
        await pilot.press("y")  # confirm the first as related
        await settle(pilot)
        assert [(x.relation, x.other_id) for x in links(store.load(newest))] == [("related", first)]
        assert [(x.relation, x.other_id) for x in links(store.load(first))] == [("related", newest)]
        await pilot.press("r")  # the link row is first now: make it "recurrence of"
        await settle(pilot)
        assert [x.relation for x in links(store.load(newest))] == ["recurrence of"]
        await pilot.press("down", "n")  # dismiss the next suggestion
        await settle(pilot)
        assert second not in [r.other_id for r in panel.rows if r.suggestion]
        await pilot.press("ctrl+z")  # the dismissal comes back as a suggestion
        await settle(pilot)
        assert second in [r.other_id for r in panel.rows if r.suggestion]
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        assert links(store.load(newest)) == []
        # the findings panel shows what `postmortem check` reports
        from models.check import check

        findings = screen.query_one("FindingsPanel")
        assert [str(f) for f in findings.findings] == [  # type: ignore[attr-defined]
            str(f) for f in check(store.load(newest), now=NOW)
        ]


async def test_a_refused_store_write_is_one_line(lib: Callable[[int], Store]) -> None:
    store = lib(1, 5)
    app = make_app(store)
    said: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign,assignment]
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AllActionsScreen)
        row = screen.rows[0]
        store.delete(ActionItem, row.id)  # gone behind the screen's back
        await pilot.press("s")
        await settle(pilot)
        assert said and "\n" not in said[-1]
        try:
            store.load(row.pm_id)
        except PostmortemError:  # pragma: no cover
            raise
