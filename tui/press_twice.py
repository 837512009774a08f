"""Destructive single keys ask for a second press, as vim's ``dd`` does.

Two keys need it. ``d`` deletes a row, and in less ``d`` scrolls half a page: a
reader paging through the timeline must not delete the event under the cursor.
Escape in an editor with typed text would throw the text away; the first
Escape only says so. The second press must follow within a few seconds and be
aimed at the same thing (the same row), with no other key between, or it
counts as a first press again: ``d j k d`` deletes nothing, as in vim.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

WINDOW = 3.0


class PressTwice:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._armed: tuple[Hashable, float] | None = None

    def second(self, target: Hashable) -> bool:
        """True if this press confirms an earlier one at ``target``; else arm and
        return False (the caller says what a second press will do)."""
        now = self._clock()
        if self._armed is not None and self._armed[0] == target and now - self._armed[1] <= WINDOW:
            self._armed = None
            return True
        self._armed = (target, now)
        return False

    def reset(self) -> None:
        self._armed = None

    def key(self, key: str, armed_by: str = "d") -> None:
        """Call for every key the owner sees: any key but ``armed_by`` disarms."""
        if key != armed_by:
            self._armed = None
