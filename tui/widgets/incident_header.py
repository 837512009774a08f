"""The bar at the top of every section: what, how bad, how long, and saved or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from models.metrics import Metrics
from models.tables import Postmortem
from models.timefmt import duration_words
from models.usertext import printable, shown
from tui.autosave import SaveState
from tui.drafts import Draft, summary

SAVE_LABELS = {
    SaveState.SAVED: "✓ saved",
    SaveState.PENDING: "… saving",
    SaveState.ERROR: "✗ not saved",
}


class IncidentHeader(Horizontal):
    def __init__(self, clock: Callable[[], dt.datetime]) -> None:
        super().__init__()
        self._clock = clock
        self._metrics: Metrics | None = None
        # Made here, not in compose, so show() works even before this widget is
        # mounted: a fast keypress can switch screens while they are composing.
        self._title = Static("", id="pm-title", markup=False)
        self._severity = Static("", id="pm-severity", classes="sev")
        self._status = Static("", id="pm-status")
        self._clock_label = Static("", id="pm-clock")
        self._saved = Static(SAVE_LABELS[SaveState.SAVED], id="save-indicator", markup=False)

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._severity
        yield self._status
        yield self._clock_label
        yield self._saved

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def show(self, pm: Postmortem, metrics: Metrics) -> None:
        self._metrics = metrics
        self._title.update(printable(pm.title))
        self._severity.update(pm.severity)
        self._severity.set_classes(f"sev sev-{pm.severity}")
        self._status.update(pm.status.replace("_", " "))
        self._tick()

    def _tick(self) -> None:
        clock = self._clock_label
        m = self._metrics
        if m is None or m.started is None:
            clock.update("")
            clock.remove_class("ongoing")
        elif m.ongoing:
            clock.update(
                f"ongoing for {duration_words((self._clock() - m.started).total_seconds())}"
            )
            clock.add_class("ongoing")
        else:
            clock.update(f"lasted {duration_words(m.impact_duration)}")
            clock.remove_class("ongoing")

    def show_save_state(self, state: SaveState, message: str, drafts: list[Draft]) -> None:
        """Saved, saving, or what is not saved: refused values and unsent text are
        named ("✗ 1 field not saved: Users"), so a refusal can't pass unseen."""
        indicator = self._saved
        refused = [d for d in drafts if d.problem]
        if refused:
            n = len(refused)
            indicator.update(f"✗ {n} field{'s' if n > 1 else ''} not saved: {summary(refused, 2)}")
            indicator.set_classes(SaveState.ERROR.value)
            indicator.tooltip = Text(
                "\n".join(f"{d.label}: {shown(d.text, 40)} {d.problem}".rstrip() for d in drafts)
            )
            return
        if drafts:  # typed and kept, but not sent: not an error, just not stored yet
            indicator.update(f"✎ not sent yet: {summary(drafts, 2)}")
            indicator.set_classes(SaveState.PENDING.value)
            indicator.tooltip = Text("\n".join(f"{d.label}: {shown(d.text, 40)}" for d in drafts))
            return
        indicator.update(SAVE_LABELS[state])
        indicator.set_classes(state.value)
        indicator.tooltip = Text(message) if message else None
