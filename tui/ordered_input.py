"""Keys act in the order they were typed, each after the previous one has finished.

A terminal delivers keystrokes while the app is still handling earlier ones: a
fast typist, a slow save, or a paste of typed-ahead text. Textual routes each
key to whatever has focus *when the key is dispatched*, and focus changes,
screen pushes and dialog results all land a few messages later. So keys typed
right after ``n`` (new postmortem) went to a dialog that had no focused input
yet and vanished; the owner typed right after the new-action-item dialog went to
the table, where ``d`` deletes. Pilot never shows this: it waits for the app to
settle after every key.

The app does the same here. Keys, pastes and mouse presses are queued as they
arrive and dispatched one at a time, each only once the previous one's effects
have settled: every message already posted to the app, the active screen and the
focused widget's chain has been handled, and the screen and focus have stopped
changing. Typing stays as fast as the handlers are (a settle costs well under a
millisecond when nothing is pending), and nothing a user types can overtake the
effect of what they typed before it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.message_pump import MessagePump
from textual.widget import Widget
from textual.widgets import Input, TextArea

# Events whose order relative to each other is what the user meant. Mouse moves
# and scrolls carry no intent that later keys depend on, so they pass at once.
ORDERED = (events.Key, events.Paste, events.MouseDown, events.MouseUp)
# A handler that takes longer than this (a big import) stops holding keys back:
# better a late key than a frozen keyboard.
SETTLE_TIMEOUT = 5.0
MAX_ROUNDS = 8


class OrderedDispatch(Message):
    """An ordered input event whose turn has come; handled on the app's own task."""

    def __init__(self, event: events.Event) -> None:
        super().__init__()
        self.event = event


class OrderedInputApp(App[Any]):
    """An App that dispatches each key only after the previous key's effects settled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ordered: deque[events.Event] = deque()
        self._pump_task: asyncio.Task[None] | None = None

    async def on_event(self, event: events.Event) -> None:
        # Headless runs are Pilot's: it already waits for the app to settle after
        # every key, and dispatching at once keeps its own waits exact.
        if isinstance(event, ORDERED) and not event.is_forwarded and not self.is_headless:
            self._ordered.append(event)
            if self._pump_task is None or self._pump_task.done():
                self._pump_task = asyncio.create_task(self._pump_ordered())
            return
        await super().on_event(event)

    async def on_ordered_dispatch(self, message: OrderedDispatch) -> None:
        await super().on_event(message.event)

    async def ready_for(self, event: events.Event) -> None:
        """Hook: wait until the app can take ``event`` (the data may still be loading)."""

    async def _pump_ordered(self) -> None:
        while self._ordered:
            await self.settle()
            if not self._ordered:
                break
            await self.ready_for(self._ordered[0])
            event = self._ordered.popleft()
            done = asyncio.Event()
            if not self.post_message(OrderedDispatch(event)):
                return  # the app is closing
            self.call_later(done.set)
            await done.wait()

    async def settle(self) -> None:
        """Wait until the app, the active screen and the focused widget's chain have
        handled every message posted so far, and the screen and focus stayed put
        for a whole round.

        Unless the user is typing in a text field, also wait for the screen's
        after-refresh callbacks: a rebuilt tree places its cursor there, and a key
        such as ``d`` must act on the row the user sees selected."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_TIMEOUT
        start: tuple[object, object] | None = None
        for round_ in range(MAX_ROUNDS):
            try:
                screen = self.screen
            except Exception:  # no screen yet, or the app is shutting down
                return
            focused = screen.focused
            start = start or (screen, focused)
            pumps: list[MessagePump] = [self, screen]
            if isinstance(focused, Widget):
                pumps.extend(a for a in focused.ancestors_with_self if a is not screen)
            await self._drain(pumps, deadline - loop.time())
            typing = isinstance(focused, Input | TextArea) and start == (screen, focused)
            if not typing:
                await self._after_refresh(screen, deadline - loop.time())
            if loop.time() >= deadline:
                return
            if round_ and self.screen is screen and screen.focused is focused:
                return

    @staticmethod
    async def _after_refresh(screen: MessagePump, timeout: float) -> None:
        marker = asyncio.Event()
        if screen.call_after_refresh(marker.set) and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(marker.wait(), timeout)

    @staticmethod
    async def _drain(pumps: list[MessagePump], timeout: float) -> None:
        waits = []
        for pump in pumps:
            marker = asyncio.Event()
            if pump.call_later(marker.set):
                waits.append(marker.wait())
        if waits and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*waits), timeout)
