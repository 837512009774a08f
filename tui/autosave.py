"""Autosave: every edit reaches SQLite within half a second, with no save step.

Edits are queued by key (one pending write per field, the latest wins) and
flushed by a timer that starts with the *first* pending edit and is not reset by
later ones. A debounce that restarts on every keystroke would never fire while
someone types without pause, and a kill -9 would then lose everything typed.
Leaving a field, a screen or the app flushes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from textual.app import App
from textual.timer import Timer

from models.errors import DatabaseError, PostmortemError

FLUSH_DELAY = 0.5


class SaveState(StrEnum):
    SAVED = "saved"
    PENDING = "pending"
    ERROR = "error"


class Autosaver:
    def __init__(self, app: App[Any], on_state: Callable[[SaveState, str], None]) -> None:
        self._app = app
        self._on_state = on_state
        self._pending: dict[str, Callable[[], object]] = {}
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def schedule(self, key: str, write: Callable[[], object]) -> None:
        self._pending[key] = write
        self._on_state(SaveState.PENDING, "")
        if self._timer is None:
            self._timer = self._app.set_timer(FLUSH_DELAY, self._on_timer)

    def cancel(self, key: str) -> None:
        self._pending.pop(key, None)
        if not self._pending:
            self._on_state(SaveState.SAVED, "")

    def _on_timer(self) -> None:
        self._timer = None
        self.flush()

    def flush(self) -> bool:
        """Write everything pending now; False if something could not be saved."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        failed: dict[str, Callable[[], object]] = {}
        message = ""
        for key, write in list(self._pending.items()):
            try:
                write()
            except DatabaseError as exc:  # locked or read-only: keep it and retry later
                failed[key] = write
                message = str(exc)
            except PostmortemError as exc:  # the value was refused: nothing to retry
                message = str(exc)
        self._pending = failed
        if failed:
            self._on_state(SaveState.ERROR, message)
            self._timer = self._app.set_timer(2.0, self._on_timer)
        elif message:
            self._on_state(SaveState.ERROR, message)
        else:
            self._on_state(SaveState.SAVED, "")
        return not failed and not message
