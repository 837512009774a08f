"""Undo of deletes: a stack of store snapshots, restored newest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.store import Deleted, Store

MAX_STEPS = 50


@dataclass
class UndoStack:
    steps: list[tuple[str, Deleted]] = field(default_factory=list)

    def push(self, description: str, deleted: Deleted) -> None:
        self.steps.append((description, deleted))
        del self.steps[:-MAX_STEPS]

    def undo(self, store: Store) -> tuple[str, Deleted] | None:
        """Restore the newest delete; returns that step, or None if there is none."""
        if not self.steps:
            return None
        description, deleted = self.steps.pop()
        store.restore(deleted)
        return description, deleted
