"""The postmortem being edited: its id, the freshest copy, and its undo history.

Screens read ``workspace.pm`` and write through the store; after a write they
call :meth:`Workspace.reload` so every screen sees one version of the truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from models.metrics import Metrics, compute
from tui.undo import UndoStack

if TYPE_CHECKING:
    from models.store import Store
    from models.tables import Postmortem


class Workspace:
    def __init__(self, store: Store, pm_id: int, clock: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.pm_id = pm_id
        self.clock = clock
        self.undo = UndoStack()
        self.pm: Postmortem = store.load(pm_id)

    def reload(self) -> Postmortem:
        self.pm = self.store.load(self.pm_id)
        return self.pm

    def metrics(self) -> Metrics:
        return compute(self.pm.events, now=self.clock())

    def today(self) -> dt.date:
        """Today in the postmortem's zone: due dates are days where the team lives."""
        from models.timeparse import to_zone

        return to_zone(self.clock(), self.pm.timezone).date()
