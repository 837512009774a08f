"""Helpers for driving the app with Pilot."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot

from models.store import Store
from tui.app import PostmortemApp

# The frozen "now" of every app test: 2026-11-28 12:00 UTC (a Saturday).
NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def make_app(store: Store, now: dt.datetime = NOW) -> PostmortemApp:
    return PostmortemApp(store, clock=lambda: now)


def key_name(ch: str) -> str:
    """Pilot.press takes key names; '+' alone would read as a key combination."""
    if ch.isalnum():
        return ch
    import unicodedata

    return unicodedata.name(ch).lower().replace(" ", "_").replace("-", "_")


async def type_text(pilot: Pilot[None], text: str) -> None:
    for ch in text:
        await pilot.press(key_name(ch))


async def settle(pilot: Pilot[None], seconds: float = 0.05) -> None:
    await pilot.pause(seconds)
    await pilot.wait_for_scheduled_animations()


async def focus(pilot: Pilot[None], selector: str) -> None:
    """Focus a widget and let the focus land before the next key (it does on refresh)."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()
