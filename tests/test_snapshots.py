"""SVG snapshots of every screen at 80x24 and 120x40, clock frozen, no cursor blink.

Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`,
look at the report, and commit the new SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from models.demo import DEMO
from models.interchange import from_document
from models.store import open_store
from tests.apphelpers import make_app
from tui.app import PostmortemApp

SIZES = [(80, 24), (120, 40)]
SECTIONS = ["overview", "timeline", "rootcause", "impact", "response", "actions", "export"]


def demo_app() -> PostmortemApp:
    store = open_store("sqlite://")
    store.save_new(from_document(DEMO))
    return make_app(store)


async def still(pilot: Pilot[Any]) -> None:
    """Stop every cursor from blinking so the SVG doesn't depend on timing."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    await pilot.pause()


def opener(section: str):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, PostmortemApp)
        await pilot.pause()
        app.open_postmortem(app.store.list_postmortems()[0].id, section)
        await pilot.pause()
        await still(pilot)

    return run_before


class TestLibrary:
    @pytest.mark.parametrize("size", SIZES)
    def test_library(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app(), terminal_size=size, run_before=still)

    def test_empty_library(self, snap_compare: Any) -> None:
        assert snap_compare(
            make_app(open_store("sqlite://")), terminal_size=(80, 24), run_before=still
        )


class TestSections:
    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("section", SECTIONS)
    def test_section(self, snap_compare: Any, section: str, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app(), terminal_size=size, run_before=opener(section))


class TestOverlays:
    def test_help(self, snap_compare: Any) -> None:
        assert snap_compare(
            demo_app(), terminal_size=(120, 40), run_before=opener("actions"), press=["f1"]
        )

    def test_invalid_value_message(self, snap_compare: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await opener("impact")(pilot)
            field = pilot.app.screen.query_one("#input-users_affected", Input)
            field.value = "lots"
            await pilot.pause()

        assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=run_before)


class TestTimeline:
    def test_milestones_only_with_the_list_focused(self, snap_compare: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await opener("timeline")(pilot)
            pilot.app.screen.query_one("#timeline-view").focus()
            await pilot.pause()
            await pilot.press("m", "home")
            await still(pilot)

        assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=run_before)

    def test_editing_an_event(self, snap_compare: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            await opener("timeline")(pilot)
            pilot.app.screen.query_one("#timeline-view").focus()
            await pilot.pause()
            await pilot.press("up", "e")
            await still(pilot)

        assert snap_compare(demo_app(), terminal_size=(80, 24), run_before=run_before)


TWELVE = {
    "format": "postmortem/v1",
    "title": "Twelve bones",
    "fishbone": {
        "effect": "Nightly batch missed its deadline",
        "categories": [
            {
                "name": f"Category {i + 1}",
                "causes": [
                    {
                        "text": f"cause {i + 1}.{j + 1} with a fairly long description",
                        "root_cause": j == 0,
                        "causes": [{"text": "a sub-cause"}] if j == 1 else [],
                    }
                    for j in range(i % 4 + 1)
                ],
            }
            for i in range(12)
        ],
    },
}


def rootcause(tab: str, doc: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, PostmortemApp)
        await pilot.pause()
        app.open_postmortem(app.store.list_postmortems()[0].id, "rootcause")
        await pilot.pause()
        if tab == "fishbone":
            await pilot.press("b")
        await pilot.pause(0.2)
        await still(pilot)

    return run_before


def twelve_app() -> PostmortemApp:
    store = open_store("sqlite://")
    store.save_new(from_document(TWELVE))
    return make_app(store)


class TestRootCause:
    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("tab", ["whys", "fishbone"])
    def test_demo(self, snap_compare: Any, tab: str, size: tuple[int, int]) -> None:
        assert snap_compare(demo_app(), terminal_size=size, run_before=rootcause(tab))

    @pytest.mark.parametrize("size", SIZES)
    def test_twelve_categories(self, snap_compare: Any, size: tuple[int, int]) -> None:
        assert snap_compare(twelve_app(), terminal_size=size, run_before=rootcause("fishbone"))


class TestThemes:
    def test_timeline_in_the_light_theme(self, snap_compare: Any) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            pilot.app.theme = "textual-light"
            await opener("timeline")(pilot)

        assert snap_compare(demo_app(), terminal_size=(120, 40), run_before=run_before)
