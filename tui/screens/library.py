"""The library: every postmortem, newest incident first. The app's home screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

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
    from models.search import Result
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


def as_you_type(query: str) -> str:
    """While a word is being typed (no space after it yet) it matches as a prefix:
    'pgbou' finds pgbouncer. Phrases, filters and exclusions are left as typed."""
    if not query or query[-1].isspace() or query.count('"') % 2:
        return query
    last = query.split()[-1]
    plain = last.replace("-", "").replace("_", "").isalnum() and not last.startswith("-")
    if plain and len(last) >= 2:
        return query + "*"
    return query


class LibraryScreen(Screen[None]):
    CSS_PATH = "library.tcss"
    AUTO_FOCUS = "#library-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="library.new"),
        Binding("enter", "open", "Open", id="library.open"),
        Binding("slash", "filter", "Search", id="library.filter"),
        Binding("a", "all_actions", "Action items", id="library.actions"),
        Binding("i", "insights", "Insights", id="library.insights"),
        Binding("d", "delete", "Delete", id="library.delete"),
        Binding("e", "export", "Export", id="library.export"),
        Binding("ctrl+z", "undo", "Undo", id="library.undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="library.redo", show=False),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def __init__(self) -> None:
        super().__init__(name="library")
        self.summaries: list[Summary] = []
        # While the search box holds a query, the table lists its hits (issue 12).
        self.hits: list[Result] = []
        self.searching = False
        self.narrow_columns = False  # below 100 columns the hits leave out Started

    @property
    def pm_app(self) -> PostmortemApp:
        return cast("PostmortemApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="library-body"):
            yield TextInput(
                placeholder='search every postmortem: words, "a phrase", pgbounc*, service:, '
                "tag:, sev:, after:",
                id="filter",
            )
            yield Static("", id="search-hint", markup=False)
            yield VimDataTable(cursor_type="row", zebra_stripes=True, id="library-table")
            yield Static(EMPTY_HINT, id="empty-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "postmortem"
        self.sub_title = "library"
        table = self.query_one(DataTable)
        self._library_columns(table)
        self.query_one("#filter", Input).display = False
        self.query_one("#search-hint").display = False
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
        if query.strip():
            self._show_hits(query, select)
            return
        if self.searching:
            self.searching = False
            self._library_columns(self.query_one(DataTable))
            self.query_one("#search-hint").display = False
        try:
            self.summaries = self.pm_app.store.list_postmortems()
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
        rows: list[Any] = self.hits if self.searching else self.summaries
        if not rows or table.cursor_row < 0 or table.cursor_row >= len(rows):
            return None
        return int(rows[table.cursor_row].pm_id if self.searching else rows[table.cursor_row].id)

    # ------------------------------------------------------------------ search (issue 12)

    @staticmethod
    def _library_columns(table: DataTable[Any]) -> None:
        table.clear(columns=True)
        table.add_column("Title", key="title")
        table.add_column("Sev", key="severity")
        table.add_column("Status", key="status")
        table.add_column("Started", key="started")
        table.add_column("Impact", key="duration")
        table.add_column("Open", key="open")

    def _show_hits(self, query: str, select: int | None) -> None:
        """Search as you type: the table lists matching postmortems, best first, each
        with its best match (section and words in context). The word being typed
        matches as a prefix, so results come while it is half written."""
        from models.search.query import QueryError

        hint = self.query_one("#search-hint", Static)
        try:
            results = self.pm_app.store.search(
                as_you_type(query), limit=200, per_postmortem=1, lenient=True
            )
        except QueryError as exc:
            hint.update(f"⚠ {exc}")
            hint.display = True
            return
        except PostmortemError as exc:  # damaged or locked since it was opened
            self.notify(str(exc), severity="error", markup=False, timeout=30)
            return
        table = self.query_one(DataTable)
        current = select if select is not None else self.selected_id()
        narrow = self.size.width < 100  # 80 columns: the match needs the Started column's room
        title_width = 22 if narrow else 34
        where_width = 16 if narrow else 22
        if not self.searching or self.narrow_columns != narrow:
            self.searching, self.narrow_columns = True, narrow
            table.clear(columns=True)
            table.add_column("Title", key="title", width=title_width)
            table.add_column("Sev", key="severity")
            if not narrow:
                table.add_column("Started", key="started")
            table.add_column("Where", key="where", width=where_width)
            table.add_column("Match", key="match")
        self.hits = results.results
        table.clear()
        # What is left for the snippet: Sev (4) and Started (10, when shown), a cell
        # padding of 2 on each column, the scrollbar (2), and the "+N" of more matches.
        started = 0 if narrow else 10 + 2
        width = max(12, self.size.width - title_width - where_width - 4 - 8 - started - 2 - 4)
        for result in self.hits:
            match = result.matches[0] if result.matches else None
            snippet = Text(no_wrap=True, overflow="ellipsis")
            if match is not None:  # cut around the first match, so that it shows
                for piece, hit in match.window(width):
                    snippet.append(printable(piece), style="bold reverse" if hit else "")
            more = result.total - 1
            where = f"{match.section}/{match.where}" if match else "—"
            if more > 0:
                snippet.append(f"  +{more}", style="dim")
            facts = result.facts
            day = local_time(facts.started, facts.timezone, "%Y-%m-%d") if facts.started else "—"
            table.add_row(
                Text(printable(facts.title), overflow="ellipsis", no_wrap=True),
                Text(facts.severity, style=SEVERITY_STYLE.get(facts.severity, "")),
                *([] if narrow else [day]),
                Text(where, style="dim", overflow="ellipsis", no_wrap=True),
                snippet,
                key=str(result.pm_id),
            )
        ids = [r.pm_id for r in self.hits]
        if current in ids:
            table.move_cursor(row=ids.index(current))
        found = len(self.hits)
        plus = "+" if results.more else ""
        hint.update(
            f"{found}{plus} postmortem{'s' if found != 1 else ''} match · enter opens at the "
            "match · escape clears"
            if found
            else 'no match · words, "a phrase", prefix*, -word, service: tag: sev: status: '
            "after: before:"
        )
        hint.display = True
        self.query_one("#empty-hint", Static).display = False
        table.display = True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        pm_id = self.selected_id()
        if pm_id is None:
            return
        row = self.query_one(DataTable).cursor_row
        if self.searching and self.hits[row].matches:
            match = self.hits[row].matches[0]
            self.pm_app.open_postmortem(
                pm_id, match.section, reveal=(match.table, match.row_id, match.field)
            )
            return
        self.pm_app.open_postmortem(pm_id)

    def action_all_actions(self) -> None:
        from tui.screens.all_actions import AllActionsScreen

        self.app.push_screen(AllActionsScreen())

    def action_insights(self) -> None:
        from tui.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen())

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
        if box.value:  # a search kept from before: typing replaces it, arrows keep it
            box.select_all()

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
