"""The frame every section screen shares: header, navigator, body, footer.

Each section is its own Screen (so its keys, help and palette entries are its
own), but they all hang off one :class:`~tui.workspace.Workspace`, and every one
refreshes from it when it comes back into view.

Two keys behave the same on every section. Escape goes up one level: out of
the text field being edited first, and back to the library only when nothing is
being edited, so a stray Escape never lands someone among the library's
one-letter commands mid-sentence. ctrl+z and ctrl+y (or ctrl+shift+z) undo and
redo any change to this postmortem, made on any section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from models.completeness import marks
from models.errors import PostmortemError
from models.history import Change, Updated
from models.metrics import Metrics
from models.tables import Postmortem
from tui.drafts import DraftSlot
from tui.sections import BY_ID, SECTIONS, neighbour
from tui.widgets.field import Field, Parse, Save, overruling
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
        Binding("escape", "leave", "Back", id="section.library"),
        Binding("ctrl+z", "undo", "Undo", id="section.undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="section.redo", show=False),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(name=f"{self.SECTION}-{workspace.pm_id}")
        self.workspace = workspace
        self._fresh = False  # True between the first mount and the resume Textual sends after it
        self._generation = workspace.generation  # undos this screen has shown
        # A row to show once this screen is in view: (table, id, field) of a search hit.
        self.pending_reveal: tuple[str, int, str] | None = None

    @property
    def pm_app(self) -> PostmortemApp:
        return cast("PostmortemApp", self.app)

    @property
    def pm(self) -> Postmortem:
        return self.workspace.pm

    def make_field(self, label: str, *, key: str, parse: Parse, save: Save, **kw: Any) -> Field:
        """A Field of this postmortem: autosaved, with its drafts kept by the app."""
        return Field(
            label,
            key=key,
            parse=parse,
            save=save,
            autosave=self.pm_app.autosave,
            drafts=self.pm_app.drafts,
            pm_id=self.workspace.pm_id,
            **kw,
        )

    def slot(self, key: str, label: str) -> DraftSlot:
        """Where an editor of this postmortem keeps its unsent text."""
        return DraftSlot(self.pm_app.drafts, self.workspace.pm_id, key, label)

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
        if self.pending_reveal is not None:
            where, self.pending_reveal = self.pending_reveal, None
            self.call_after_refresh(self.reveal, *where)
        if self._fresh:  # the mount just did all of this
            self._fresh = False
            self.show_save_state()
            return
        # No reload: every write goes through the workspace, so its copy is current.
        self.refresh_frame()
        if self._generation != self.workspace.generation:
            # An undo elsewhere may have changed what a focused field here shows.
            self._generation = self.workspace.generation
            with overruling():
                self.show(self.pm)
        else:
            self.show(self.pm)
        self.show_save_state()

    def show(self, pm: Postmortem) -> None:
        """Put the postmortem's data into this section's widgets."""

    def refresh_frame(self) -> Metrics:
        """Redraw the header and navigator; returns the metrics computed for them."""
        metrics = self.workspace.metrics()
        self.query_one(IncidentHeader).show(self.pm, metrics)
        self.query_one(Navigator).show(marks(self.pm))
        return metrics

    def show_save_state(self) -> None:
        app = self.pm_app
        drafts = app.drafts.of(self.workspace.pm_id)
        for header in self.query(IncidentHeader):  # none yet if still composing
            header.show_save_state(app.save_state, app.save_message, drafts)

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

    # ------------------------------------------------------------------ escape

    def action_leave(self) -> None:
        """Escape: out of whatever is being edited first (a text field, a drop-down,
        a button), to this section's list; to the library only from the list or
        the navigator, where nothing is being edited."""
        focused = self.focused
        if (
            focused is not None
            and focused is not self.home()
            and not isinstance(focused, Navigator)
        ):
            self.leave_editor()
            return
        self.run_worker(self.pm_app.action_close_postmortem())

    def leave_editor(self) -> None:
        """Escape in a text field: its text stays (a refused value stays a draft),
        and focus moves to this section's list, or the navigator."""
        self.set_focus(self.home())

    def home(self) -> Widget:
        """Where focus rests on this section when nothing is being edited."""
        return self.query_one(Navigator)

    # ------------------------------------------------------------------ undo, redo

    def action_undo(self) -> None:
        self._step(undo=True)

    def action_redo(self) -> None:
        self._step(undo=False)

    def _step(self, *, undo: bool) -> None:
        change = self.pm_app.history_step(self.workspace.pm_id, undo=undo)
        if change is None:
            return
        self.workspace.reload()
        self.workspace.generation += 1
        self._generation = self.workspace.generation
        self.refresh_frame()
        with overruling():
            self.show_change(change)
        where = "" if change.section in ("", self.SECTION) else f" ({BY_ID[change.section].title})"
        self.notify(f"{'Undone' if undo else 'Redone'}: {change.description}{where}")

    def show_change(self, change: Change) -> None:
        """After an undo or redo: show the data, with the row it touched selected
        where this section has rows."""
        self.show(self.pm)

    def reveal(self, table: str, row_id: int, field: str = "") -> None:
        """Show a row found elsewhere (a search hit, a review finding) selected, as
        an undo shows the row it touched; a field of the postmortem itself (title,
        summary, impact...) gets the focus instead."""
        self.show_change(
            Change(self.workspace.pm_id, (Updated(table, row_id, {}, {}),), "", self.SECTION)
        )
        if table == "postmortem" and field:
            key = "fishbone-effect" if field == "fishbone_effect" else field
            for widget in self.query(f"#input-{key}"):
                self.set_focus(widget)
                return
        self.set_focus(self.home())
