"""The postmortem being edited: its id and the freshest copy of it.

Screens read ``workspace.pm`` and write through the store; after a write they
call :meth:`Workspace.reload` so every screen sees one version of the truth.
``generation`` counts undos and redos, so a screen that comes back into view
knows to repaint even the field that still has focus there.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy.orm.attributes import set_committed_value

from models.metrics import Metrics, compute

if TYPE_CHECKING:
    from models.store import Store
    from models.tables import Postmortem


class Workspace:
    def __init__(self, store: Store, pm_id: int, clock: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.pm_id = pm_id
        self.clock = clock
        self.generation = 0
        self.pm: Postmortem = store.load(pm_id)
        gc.freeze()

    def close(self) -> None:
        """Let the garbage collector see this postmortem's rows again."""
        gc.unfreeze()

    # A loaded postmortem can hold 10,000 event rows that live until it is closed.
    # Python's cyclic GC would re-scan them on every full collection, which the
    # UI triggers constantly while building widgets (~110 ms of a 340 ms screen
    # open, measured at 10,000 events), so they are moved out of its sight with
    # gc.freeze() after each load and handed back on close.

    def reload(self, *, events: bool = True) -> Postmortem:
        """Read the postmortem again; ``events=False`` keeps the loaded timeline,
        for writes that can't have changed it (most of them)."""
        if events:
            self.pm = self.store.load(self.pm_id)
            gc.unfreeze()
            gc.collect()  # the previous copy's rows, before freezing the new ones
            gc.freeze()
        else:
            kept = self.pm.events
            self.pm = self.store.load(self.pm_id, events=False)
            set_committed_value(self.pm, "events", kept)
        return self.pm

    def metrics(self) -> Metrics:
        return compute(self.pm.events, now=self.clock())

    def today(self) -> dt.date:
        """Today in the postmortem's zone: due dates are days where the team lives."""
        from models.timefmt import display_zone

        return self.clock().astimezone(display_zone(self.pm.timezone)).date()
