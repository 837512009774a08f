"""The library: every postmortem, newest incident first. The app's home screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from models.errors import PostmortemError, UnreadableError
from models.timefmt import duration_words, local_time
from models.usertext import printable, shown
from tui.drafts import DraftSlot
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.widgets.text_input import TextInput
from tui.widgets.vim_lists import VimDataTable

if TYPE_CHECKING:
    from models.store import Summary
    from tui.app import PostmortemApp

EMPTY_HINT = (
    "No postmortems yet.\n\n"
    "Press [b]n[/b] to start one: give it a title, then fill in the sections.\n"
    "Want to see a finished one first? Quit and run [b]postmortem demo[/b]."
)
SEVERITY_STYLE = {
    "SEV1": "bold red",
    "SEV2": "bold yellow",
    "SEV3": "cyan",
    "SEV4": "",
    "SEV5": "dim",
}


class LibraryScreen(Screen[None]):
    CSS_PATH = "library.tcss"
    AUTO_FOCUS = "#library-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="library.new"),
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "filter", "Filter", id="library.filter"),
        Binding("d", "delete", "Delete", id="library.delete"),
        Binding("e", "export", "Export", id="library.export"),
        Binding("ctrl+z", "undo", "Undo", id="library.undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="library.redo", show=False),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def __init__(self) -> None:
        super().__init__(name="library")
        self.summaries: list[Summary] = []

    @property
    def pm_app(self) -> PostmortemApp:
        return cast("PostmortemApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="library-body"):
            yield TextInput(placeholder="filter by title, tag or service", id="filter")
            yield VimDataTable(cursor_type="row", zebra_stripes=True, id="library-table")
            yield Static(EMPTY_HINT, id="empty-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "postmortem"
        self.sub_title = "library"
        table = self.query_one(DataTable)
        table.add_column("Title", key="title")
        table.add_column("Sev", key="severity")
        table.add_column("Status", key="status")
        table.add_column("Started", key="started")
        table.add_column("Impact", key="duration")
        table.add_column("Open", key="open")
        self.query_one("#filter", Input).display = False
        table.loading = not self.pm_app.store_ready
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return True if self.pm_app.store_ready or action == "quit" else None

    def reload(self, select: int | None = None) -> None:
        if not self.pm_app.store_ready:
            self.query_one("#empty-hint", Static).display = False
            return
        query = self.query_one("#filter", Input).value
        self.query_one(DataTable).loading = False
        try:
            self.summaries = self.pm_app.store.list_postmortems(query)
        except PostmortemError as exc:  # damaged or locked since it was opened: say so, keep going
            self.notify(str(exc), severity="error", markup=False, timeout=30)
            return
        table = self.query_one(DataTable)
        current = select if select is not None else self.selected_id()
        table.clear()
        drafted = {d.pm_id for d in self.pm_app.drafts.all()}
        for s in self.summaries:
            mark = "✎ " if s.id in drafted else ""  # unsaved text waits in it
            title = Text(
                mark + " ".join(printable(s.title).split()), overflow="ellipsis", no_wrap=True
            )
            if s.problems:  # stored data that breaks today's rules: opening it says what
                title = Text.assemble(("⚠ ", "bold yellow"), title)
            table.add_row(
                title,
                Text(s.severity, style=SEVERITY_STYLE.get(s.severity, "")),
                s.status.replace("_", " "),
                local_time(s.started, s.timezone),
                duration_words(s.impact_duration)
                if s.started and s.impact_duration is not None
                else ("ongoing" if s.started else "—"),
                Text(str(s.open_actions), style="bold" if s.open_actions else "dim"),
                key=str(s.id),
            )
        ids = [s.id for s in self.summaries]
        if current in ids:
            table.move_cursor(row=ids.index(current))
        empty = not self.summaries and not query
        self.query_one("#empty-hint", Static).display = empty
        table.display = not empty
        if not self.query_one("#filter", Input).display:
            self.set_focus(table)

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not self.summaries or table.cursor_row < 0 or table.cursor_row >= len(self.summaries):
            return None
        return self.summaries[table.cursor_row].id

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        pm_id = self.selected_id()
        if pm_id is not None:
            self.pm_app.open_postmortem(pm_id)

    def action_new(self) -> None:
        def check(title: str) -> str | None:
            return None if title.strip() else "A title is needed, e.g. 'Checkout 502s after deploy'"

        def created(title: str | None) -> None:
            if title is None:
                return
            try:
                pm = self.pm_app.store.create_postmortem(title)
            except PostmortemError as exc:
                self.notify(str(exc), severity="error")
                return
            assert pm.id is not None
            self.pm_app.open_postmortem(pm.id)

        self.app.push_screen(
            PromptDialog(
                "New postmortem: what happened?",
                placeholder="title",
                check=check,
                slot=DraftSlot(self.pm_app.drafts, None, "new-postmortem", "New postmortem title"),
            ),
            created,
        )

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        self.set_focus(box)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.reload()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.set_focus(self.query_one(DataTable))

    def key_escape(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.reload()
            self.set_focus(self.query_one(DataTable))

    def action_delete(self) -> None:
        pm_id = self.selected_id()
        if pm_id is None:
            return
        title = next(s.title for s in self.summaries if s.id == pm_id)
        ids = [s.id for s in self.summaries]
        index = ids.index(pm_id)
        following = ids[index + 1] if index + 1 < len(ids) else ids[index - 1] if index else None

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.pm_app.store.delete_postmortem(pm_id)
            except UnreadableError:
                # Its rows can't be read, so can't be kept for undo: ask again.
                self.app.push_screen(
                    ConfirmDialog(
                        f"{shown(title, 50)} can't be read, so this delete can't be undone. "
                        "Delete it for good?"
                    ),
                    purge,
                )
                return
            except PostmortemError as exc:
                self.notify(f"Could not delete: {exc}", severity="error", markup=False)
                return
            self.reload(select=following)
            self.notify(f"Deleted {shown(title, 50)}. ctrl+z brings it back.", markup=False)

        def purge(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.pm_app.store.purge_postmortem(pm_id)
            except PostmortemError as exc:
                self.notify(f"Could not delete: {exc}", severity="error", markup=False)
                return
            self.reload(select=following)
            self.notify(f"Deleted {shown(title, 50)} for good.", markup=False)

        self.app.push_screen(
            ConfirmDialog(f"Delete {shown(title, 60)} and everything in it?"), confirmed
        )

    def action_undo(self) -> None:
        self._step(undo=True)

    def action_redo(self) -> None:
        self._step(undo=False)

    def _step(self, *, undo: bool) -> None:
        """ctrl+z / ctrl+y here undo and redo creating and deleting postmortems."""
        change = self.pm_app.history_step(None, undo=undo)
        if change is None:
            return
        ids = [row_id for table, row_id in change.rows if table == "postmortem"]
        self.reload(select=ids[0] if ids else None)
        self.notify(f"{'Undone' if undo else 'Redone'}: {change.description}")

    def action_export(self) -> None:
        pm_id = self.selected_id()
        if pm_id is not None:
            self.pm_app.open_postmortem(pm_id, section="export")
