"""Regenerate every screenshot of the demo postmortem at 120x40.

    python screenshots/make.py

Runs the app headless on an in-memory copy of the demo, with the clock frozen at
2026-11-28 12:00 UTC, and saves one SVG per screen into this folder. The
library-wide screens (search, Action Items, Insights) are shot on a generated
library of 60 postmortems (tests/library.py). View one as a picture with
`rsvg-convert -w 1200 screenshots/overview.svg -o /tmp/overview.png`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from textual.widgets import Input, TextArea  # noqa: E402

from models.demo import DEMO  # noqa: E402
from models.interchange import from_document  # noqa: E402
from models.store import open_store  # noqa: E402
from tui.app import PostmortemApp  # noqa: E402

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
SIZE = (120, 40)
SECTIONS = ("overview", "timeline", "rootcause", "impact", "response", "actions", "export")


async def main() -> None:
    store = open_store("sqlite://")
    pm_id = store.save_new(from_document(DEMO))
    app = PostmortemApp(store, clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:

        async def shoot(name: str) -> None:
            for widget in app.screen.query("Input, TextArea"):
                assert isinstance(widget, Input | TextArea)
                widget.cursor_blink = False
            await pilot.pause(0.2)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
            print(f"screenshots/{name}.svg")

        await pilot.pause()
        await shoot("library")
        app.open_postmortem(pm_id)
        for section in SECTIONS:
            app.action_open_section(section)
            await pilot.pause()
            await shoot(section)
        app.action_open_section("rootcause")
        await pilot.pause()
        await pilot.press("b")
        await shoot("rootcause-fishbone")
        await pilot.press("f1")
        await shoot("help")
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await shoot("palette")


async def library() -> None:
    from tests.library import build

    store = open_store("sqlite://")
    build(store, 60)
    app = PostmortemApp(store, clock=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:

        async def shoot(name: str) -> None:
            for widget in app.screen.query("Input, TextArea"):
                assert isinstance(widget, Input | TextArea)
                widget.cursor_blink = False
            await pilot.pause(0.3)
            app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
            print(f"screenshots/{name}.svg")

        await pilot.pause()
        await pilot.press("slash", *"pgbouncer")
        await shoot("library-search")
        await pilot.press("escape")
        await pilot.press("a")
        await shoot("library-actions")
        await pilot.press("escape", "i")
        await shoot("insights")


if __name__ == "__main__":
    asyncio.run(main())
    asyncio.run(library())
