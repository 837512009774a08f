"""The frame every section screen shares: header, navigator, body, footer.

Each section is its own Screen (so its keys, help and palette entries are its
own), but they all hang off one :class:`~tui.workspace.Workspace`, and every one
refreshes from it when it comes back into view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from sqlmodel import SQLModel
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from models.completeness import marks
from models.errors import PostmortemError
from models.metrics import Metrics
from models.tables import Postmortem
from tui.autosave import SaveState
from tui.sections import BY_ID, SECTIONS, neighbour
from tui.widgets.incident_header import IncidentHeader
from tui.widgets.navigator import Navigator

if TYPE_CHECKING:
    from tui.app import PostmortemApp
    from tui.workspace import Workspace


def _section_bindings() -> list[BindingType]:
    jumps: list[BindingType] = [
        Binding(
            s.key,
            f"app.open_section('{s.id}')",
            s.title,
            show=False,
            priority=True,
            id=f"section.{s.id}",
        )
        for s in SECTIONS
    ]
    return [
        *jumps,
        Binding(
            "ctrl+pagedown",
            "step_section(1)",
            "Next section",
            priority=True,
            id="section.next",
        ),
        Binding(
            "ctrl+pageup",
            "step_section(-1)",
            "Prev section",
            priority=True,
            id="section.previous",
        ),
    ]


class SectionScreen(Screen[None]):
    SECTION: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        *_section_bindings(),
        Binding("escape", "app.close_postmortem", "Library", id="section.library"),
        Binding("ctrl+z", "undo", "Undo delete", id="section.undo", show=False),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(name=f"{self.SECTION}-{workspace.pm_id}")
        self.workspace = workspace
        self._fresh = False  # True between the first mount and the resume Textual sends after it

    @property
    def pm_app(self) -> PostmortemApp:
        return cast("PostmortemApp", self.app)

    @property
    def pm(self) -> Postmortem:
        return self.workspace.pm

    def compose(self) -> ComposeResult:
        yield IncidentHeader(self.workspace.clock)
        with Horizontal(id="frame"):
            yield Navigator(self.SECTION)
            with Vertical(id="section-body"):
                yield from self.compose_section()
        yield Footer()

    def compose_section(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.sub_title = BY_ID[self.SECTION].title
        self.refresh_frame()
        self.show(self.pm)
        self._fresh = True

    def on_screen_resume(self) -> None:
        if self._fresh:  # the mount just did all of this
            self._fresh = False
            self.show_save_state(self.pm_app.save_state, self.pm_app.save_message)
            return
        # No reload: every write goes through the workspace, so its copy is current.
        self.refresh_frame()
        self.show(self.pm)
        self.show_save_state(self.pm_app.save_state, self.pm_app.save_message)

    def show(self, pm: Postmortem) -> None:
        """Put the postmortem's data into this section's widgets."""

    def refresh_frame(self) -> Metrics:
        """Redraw the header and navigator; returns the metrics computed for them."""
        metrics = self.workspace.metrics()
        self.query_one(IncidentHeader).show(self.pm, metrics)
        self.query_one(Navigator).show(marks(self.pm))
        return metrics

    def show_save_state(self, state: SaveState, message: str) -> None:
        for header in self.query(IncidentHeader):  # none yet if still composing
            header.show_save_state(state, message)

    def after_write(self, *, events: bool = False) -> None:
        """Call after a write, so the frame and the workspace show it. Pass
        ``events=True`` only when the write changed timeline events."""
        self.workspace.reload(events=events)
        self.refresh_frame()

    def write(self, action: str, fn: object) -> bool:
        """Run a store call now, reporting a refused value as a notification."""
        try:
            assert callable(fn)
            fn()
        except PostmortemError as exc:
            self.notify(str(exc), title=f"Could not {action}", severity="error")
            return False
        return True

    def on_navigator_chosen(self, event: Navigator.Chosen) -> None:
        self.pm_app.action_open_section(event.section_id)

    def action_step_section(self, step: int) -> None:
        self.pm_app.action_open_section(neighbour(self.SECTION, step))

    def action_undo(self) -> None:
        self.pm_app.flush()
        try:
            step = self.workspace.undo.undo(self.workspace.store)
        except PostmortemError as exc:
            self.notify(str(exc), title="Could not undo", severity="error")
            return
        if step is None:
            self.notify("Nothing to undo")
            return
        description, deleted = step
        self.workspace.reload()
        self.refresh_frame()
        self.show_restored(*deleted.top)
        self.notify(f"Restored {description}")

    def show_restored(self, table: type[SQLModel], row_id: int) -> None:
        """After an undo: show the data with the restored row selected, where it has a row."""
        self.show(self.pm)
