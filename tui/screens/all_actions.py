"""Every action item of every postmortem, reached from the library with ``a``.

Filters (open, overdue, owner, priority, service) and the order (due date or
priority) come from models.action_view, the same as `postmortem actions`.
Status and owner are changed right here, through the store like everywhere
else: committed at once, and recorded in the undo history of the postmortem
the item belongs to.

Undo here: ctrl+z takes back the newest change made *on this screen*, in
whichever postmortem it was, as long as it is still that postmortem's newest
change (History.newest). If the postmortem was edited since (opened with
enter, then edited), the undo is refused with a message saying where to undo
instead, because undoing here would silently take back someone's later edit
on another screen. ctrl+y redoes the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from models.action_view import ActionFilter
from models.enums import ActionStatus
from models.errors import PostmortemError
from models.usertext import printable, shown
from tui.screens.dialogs import ChoiceDialog, PromptDialog
from tui.widgets.vim_lists import VimDataTable

if TYPE_CHECKING:
    from models.library import ActionRow
    from tui.app import PostmortemApp

STATUS_CYCLE = [s.value for s in ActionStatus]
PRIORITY_STYLE = {"P0": "bold red", "P1": "bold yellow", "P2": "", "P3": "dim"}
STATUS_STYLE = {"open": "", "in_progress": "cyan", "done": "green", "wont_do": "dim strike"}
ANYONE, NOBODY = "\x00anyone", "\x00nobody"  # choice values no owner can have


def _clip(text: str, width: int) -> str:
    line = " ".join(printable(text).split())
    return line if len(line) <= width else line[: max(1, width - 1)] + "…"


class AllActionsScreen(Screen[None]):
    CSS_PATH = "all_actions.tcss"
    AUTO_FOCUS = "#all-actions-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Library", id="all_actions.back"),
        Binding("enter", "jump", "Open", id="all_actions.jump"),
        Binding("s", "cycle_status", "Status", id="all_actions.cycle_status"),
        Binding("S", "pick_status", "Pick status", id="all_actions.pick_status", show=False),
        Binding("e", "edit_owner", "Owner", id="all_actions.edit_owner"),
        Binding("o", "toggle_open", "Open/all", id="all_actions.toggle_open"),
        Binding("exclamation_mark", "toggle_overdue", "Overdue", id="all_actions.overdue"),
        Binding("w", "filter_owner", "Whose", id="all_actions.filter_owner"),
        Binding("p", "cycle_priority", "Priority", id="all_actions.priority"),
        Binding("v", "filter_service", "Service", id="all_actions.service"),
        Binding("t", "toggle_sort", "Sort", id="all_actions.sort"),
        Binding("c", "clear_filters", "Clear filters", id="all_actions.clear", show=False),
        Binding("ctrl+z", "undo", "Undo", id="all_actions.undo", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", id="all_actions.redo", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(name="all-actions")
        self.filter = ActionFilter()
        self.everything: list[ActionRow] = []
        self.rows: list[ActionRow] = []
        # (postmortem id, History token) of each change made here, oldest first.
        self._done: list[tuple[int, object]] = []
        self._undone: list[tuple[int, object]] = []

    @property
    def pm_app(self) -> PostmortemApp:
        return cast("PostmortemApp", self.app)

    def now(self) -> dt.datetime:
        return self.pm_app.clock()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="all-actions-body"):
            yield Static("", id="all-actions-filters", markup=False)
            yield VimDataTable(cursor_type="row", zebra_stripes=True, id="all-actions-table")
            yield Static("", id="all-actions-empty", markup=False)
            yield Static("", id="all-actions-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "postmortem"
        self.sub_title = "action items, every postmortem"
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def on_resize(self) -> None:
        self.show()

    # ------------------------------------------------------------------ data

    def reload(self, select: int | None = None) -> None:
        from models.library import action_rows

        try:
            with self.pm_app.store.session() as s:
                self.everything = action_rows(s.connection())
        except PostmortemError as exc:
            self.notify(str(exc), severity="error", timeout=30)
            return
        self.show(select)

    def selected(self) -> ActionRow | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    def show(self, select: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = select if select is not None else getattr(self.selected(), "id", None)
        now = self.now()
        self.rows = self.filter.apply(self.everything, now)
        wide = self.app.size.width >= 110
        columns = [("due", "Due"), ("priority", "Pri"), ("status", "Status")]
        columns += [("owner", "Owner"), ("title", "Action")]
        if wide:
            columns.append(("postmortem", "Postmortem"))
        if [str(c.value) for c in table.columns] != [k for k, _ in columns]:
            table.clear(columns=True)
            for key, label in columns:
                table.add_column(label, key=key)
        # Due (12), Pri (3), Status (11), Owner (14), a padding of 2 per column and
        # the scrollbar (2): what is left goes to the action (and its postmortem).
        spare = max(20, self.app.size.width - 12 - 3 - 11 - 14 - 2 * len(columns) - 2)
        title_width = spare // 2 if wide else spare
        table.clear()
        for row in self.rows:
            late = row.is_overdue(now)
            due = row.due.isoformat() if row.due else "—"
            cells: dict[str, Text] = {
                "due": Text(f"⚠ {due}" if late else due, style="bold red" if late else ""),
                "priority": Text(row.priority, style=PRIORITY_STYLE.get(row.priority, "")),
                "status": Text(
                    row.status.replace("_", " "), style=STATUS_STYLE.get(row.status, "")
                ),
                "owner": Text(_clip(row.owner, 14))
                if row.owner.strip()
                else Text("unowned", style="dim italic"),
                "title": Text(_clip(row.title, title_width), style="bold red" if late else ""),
                "postmortem": Text(
                    f"#{row.pm_id} {_clip(row.pm_title, spare - title_width - 6)}", style="dim"
                ),
            }
            table.add_row(*(cells[k] for k, _ in columns), key=str(row.id))
        ids = [r.id for r in self.rows]
        if current in ids:
            table.move_cursor(row=ids.index(current))
        overdue = sum(1 for r in self.rows if r.is_overdue(now))
        late_text = f", {overdue} overdue" if overdue else ""
        self.query_one("#all-actions-filters", Static).update(
            f"{len(self.rows)} of {len(self.everything)} action items{late_text} · "
            f"{self.filter.describe()}   (o open/all · ! overdue · w whose · p priority · "
            "v service · t sort · c clear)"
        )
        empty = self.query_one("#all-actions-empty", Static)
        empty.display = not self.rows
        if not self.rows:
            empty.update(
                "No action items yet: add them on a postmortem's Action Items section (F7)."
                if not self.everything
                else "No action item matches these filters. c clears them."
            )
        self.show_detail()

    def show_detail(self) -> None:
        row = self.selected()
        detail = self.query_one("#all-actions-detail", Static)
        if row is None:
            detail.update("")
            return
        services = ", ".join(row.pm_services)
        ticket = f" · ticket {row.ticket}" if row.ticket.strip() else ""
        detail.update(
            Text(
                f"From #{row.pm_id} {printable(row.pm_title)}"
                + (f" ({printable(services)})" if services else "")
                + f" · {row.kind}{printable(ticket)} · enter opens it there",
                overflow="ellipsis",
                no_wrap=True,
            )
        )

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    # ------------------------------------------------------------------ filters

    def _set(self, new: ActionFilter) -> None:
        self.filter = new
        self.show()

    def action_toggle_open(self) -> None:
        self._set(replace(self.filter, open_only=not self.filter.open_only, overdue=False))

    def action_toggle_overdue(self) -> None:
        self._set(replace(self.filter, overdue=not self.filter.overdue))

    def action_cycle_priority(self) -> None:
        self._set(self.filter.next_priority())

    def action_toggle_sort(self) -> None:
        self._set(replace(self.filter, sort="priority" if self.filter.sort == "due" else "due"))

    def action_clear_filters(self) -> None:
        self._set(ActionFilter(sort=self.filter.sort))

    def action_filter_owner(self) -> None:
        owners = sorted(
            {r.owner.strip() for r in self.everything if r.owner.strip()}, key=str.casefold
        )
        choices = [(ANYONE, "anyone"), (NOBODY, "nobody (unowned)"), *((o, o) for o in owners)]
        current = ANYONE if self.filter.owner is None else (self.filter.owner or NOBODY)

        def chosen(value: str | None) -> None:
            if value is None:
                return
            owner = None if value == ANYONE else "" if value == NOBODY else value
            self._set(replace(self.filter, owner=owner))

        self.app.push_screen(ChoiceDialog("Whose action items?", choices, current=current), chosen)

    def action_filter_service(self) -> None:
        services = sorted({s for r in self.everything for s in r.pm_services}, key=str.casefold)
        choices = [(ANYONE, "any service"), *((s, s) for s in services)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._set(replace(self.filter, service=None if value == ANYONE else value))

        self.app.push_screen(
            ChoiceDialog(
                "Action items of which service?", choices, current=self.filter.service or ANYONE
            ),
            chosen,
        )

    # ------------------------------------------------------------------ edits

    def _write(self, row: ActionRow, what: str, **fields: str) -> None:
        """One change, through the store: committed now, recorded in the history of
        the item's postmortem, and remembered here for ctrl+z."""
        from models.tables import ActionItem

        history = self.pm_app.history
        try:
            self.pm_app.store.update(ActionItem, row.id, **fields)
        except PostmortemError as exc:
            self.notify(str(exc), title=f"Could not change the {what}", severity="error")
            self.reload()
            return
        token = history.newest(row.pm_id)
        if token is not None and (row.pm_id, token) not in self._done[-1:]:
            self._done.append((row.pm_id, token))
        self._undone.clear()
        self.reload(select=row.id)

    def action_cycle_status(self) -> None:
        row = self.selected()
        if row is None:
            return
        index = STATUS_CYCLE.index(row.status) if row.status in STATUS_CYCLE else -1
        self._write(row, "status", status=STATUS_CYCLE[(index + 1) % len(STATUS_CYCLE)])

    def action_pick_status(self) -> None:
        row = self.selected()
        if row is None:
            return

        def chosen(value: str | None) -> None:
            if value is not None and value != row.status:
                self._write(row, "status", status=value)

        self.app.push_screen(
            ChoiceDialog(
                f"Status of {shown(row.title, 50)}",
                [(s, s.replace("_", " ")) for s in STATUS_CYCLE],
                current=row.status,
            ),
            chosen,
        )

    def action_edit_owner(self) -> None:
        row = self.selected()
        if row is None:
            return

        def entered(value: str | None) -> None:
            if value is not None and value.strip() != row.owner:
                self._write(row, "owner", owner=value.strip())

        self.app.push_screen(
            PromptDialog(
                f"Owner of {shown(row.title, 50)} (empty for nobody)",
                row.owner,
                placeholder="who drives it",
            ),
            entered,
        )

    # ------------------------------------------------------------------ undo, redo

    def action_undo(self) -> None:
        self._step(undo=True)

    def action_redo(self) -> None:
        self._step(undo=False)

    def _step(self, *, undo: bool) -> None:
        source, target = (self._done, self._undone) if undo else (self._undone, self._done)
        verb = "undo" if undo else "redo"
        if not source:
            self.notify(f"Nothing to {verb} on this screen")
            return
        pm_id, token = source.pop()
        history = self.pm_app.history
        if history.newest(pm_id, redo=not undo) is not token:
            title = next((r.pm_title for r in self.everything if r.pm_id == pm_id), f"#{pm_id}")
            self.notify(
                f"Can't {verb} here: {shown(title, 40)} was changed since. "
                f"Open it (enter) and {verb} there.",
                severity="warning",
                timeout=8,
            )
            return
        try:
            change = (history.undo if undo else history.redo)(self.pm_app.store, pm_id)
        except PostmortemError as exc:
            source.append((pm_id, token))
            self.notify(f"Could not {verb}: {exc}", severity="error", timeout=8)
            return
        if change is None:
            return
        target.append((pm_id, history.newest(pm_id, redo=undo)))
        rows = [i for t, i in change.rows if t == "action_item"]
        self.reload(select=rows[0] if rows else None)
        self.notify(f"{'Undone' if undo else 'Redone'}: {change.description}")

    # ------------------------------------------------------------------ navigation

    def action_jump(self) -> None:
        row = self.selected()
        if row is not None:
            self.pm_app.open_postmortem(row.pm_id, "actions", reveal=("action_item", row.id, ""))

    def action_back(self) -> None:
        self.app.pop_screen()
