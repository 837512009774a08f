"""Action Items: what will stop this happening again, who owns it, and by when."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Label, Select, Static

from models.duedate import DUE_FORMS, parse_due
from models.enums import ActionKind, ActionStatus, Priority
from models.history import Change
from models.rules import check_fields
from models.tables import ActionItem, Postmortem
from models.usertext import printable, shown
from tui.press_twice import PressTwice
from tui.screens.dialogs import PromptDialog
from tui.screens.section import SectionScreen
from tui.widgets.field import Field
from tui.widgets.vim_lists import VimDataTable

STATUS_CYCLE = [s.value for s in ActionStatus]
LABELS = {"wont_do": "won't do", "in_progress": "in progress"}
PRIORITY_STYLE = {"P0": "bold red", "P1": "bold yellow", "P2": "", "P3": "dim"}
STATUS_STYLE = {"open": "", "in_progress": "cyan", "done": "green", "wont_do": "dim strike"}


COLUMNS = [
    ("n", "#"),
    ("title", "Action"),
    ("owner", "Owner"),
    ("due", "Due"),
    ("priority", "Pri"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("ticket", "Ticket"),
]
NARROW_COLUMNS = [c for c in COLUMNS if c[0] not in ("owner", "kind", "ticket")]
WIDTHS = {
    "n": 2,
    "title": 0,
    "owner": 14,
    "due": 12,
    "priority": 3,
    "kind": 8,
    "status": 11,
    "ticket": 10,
}


def clip(text: str, width: int) -> str:
    text = " ".join(printable(text).split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def sort_key(item: ActionItem) -> tuple[str, dt.date, int]:
    """Priority first (P0 before P3), then the earliest due date; undated last."""
    return (item.priority, item.due or dt.date.max, item.position)


class ActionsScreen(SectionScreen):
    SECTION = "actions"
    CSS_PATH = "actions.tcss"
    AUTO_FOCUS = "#actions-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="actions.add"),
        Binding("e", "edit", "Edit", id="actions.edit"),
        Binding("d", "delete", "Delete (dd)", id="actions.delete"),
        Binding("delete", "delete(True)", "Delete", id="actions.delete_now", show=False),
        Binding("s", "cycle_status", "Cycle status", id="actions.cycle_status"),
        Binding("o", "sort", "Sort P/due", id="actions.sort"),
        Binding("shift+up", "move(-1)", "Move up", id="actions.move_up", show=False),
        Binding("shift+down", "move(1)", "Move down", id="actions.move_down", show=False),
    ]

    def __init__(self, workspace: Any) -> None:
        super().__init__(workspace)
        self.items: list[ActionItem] = []
        self._delete = PressTwice()

    def on_key(self, event: events.Key) -> None:
        """Any key between two d's disarms the first (``d j k d`` deletes nothing)."""
        self._delete.key(event.key)

    def compose_section(self) -> ComposeResult:
        yield VimDataTable(cursor_type="row", zebra_stripes=True, id="actions-table")
        yield Static(
            "No action items yet. Press a to add one: what will stop this happening again?",
            id="actions-empty",
            classes="hint",
        )
        with Vertical(id="action-form"):
            yield Label("", id="form-title", classes="section-title")
            with Grid(id="action-grid"):
                yield self.make_field(
                    "Title",
                    key="a-title",
                    parse=lambda t: check_fields("action_item", {"title": t})["title"],
                    save=lambda v, item_id: self._update(item_id, title=v),
                )
                yield self.make_field(
                    "Owner",
                    key="a-owner",
                    placeholder="who drives it",
                    joiner=", ",  # two pasted names read as two, not one
                    parse=str,
                    save=lambda v, item_id: self._update(item_id, owner=v),
                )
                yield self.make_field(
                    "Due",
                    key="a-due",
                    placeholder=DUE_FORMS,
                    complain_while_typing=False,
                    parse=lambda t: parse_due(t, self.workspace.today()),
                    save=lambda v, item_id: self._update(item_id, due=v),
                )
                yield self.make_field(
                    "Ticket",
                    key="a-ticket",
                    placeholder="e.g. PLAT-1182",
                    parse=str,
                    save=lambda v, item_id: self._update(item_id, ticket=v),
                )
                for name, enum in (
                    ("priority", Priority),
                    ("kind", ActionKind),
                    ("status", ActionStatus),
                ):
                    with Horizontal(classes="field field-row"):
                        yield Label(name.capitalize(), classes="field-label")
                        yield Select(
                            [
                                (LABELS.get(e.value, e.value.replace("_", " ")), e.value)
                                for e in enum
                            ],
                            allow_blank=False,
                            compact=True,
                            id=f"a-{name}",
                        )

    def on_resize(self) -> None:
        self.show(self.pm)

    def home(self) -> Widget:
        return self.query_one(DataTable)

    # ------------------------------------------------------------------ show

    def show(self, pm: Postmortem, select: int | None = None) -> None:
        table = self.query_one(DataTable)
        current = select if select is not None else self.selected_id()
        self.items = list(pm.action_items)
        today = self.workspace.today()
        narrow = self.app.size.width < 100
        # Below 100 columns the form under the table shows owner, kind and ticket.
        columns = NARROW_COLUMNS if narrow else COLUMNS
        if [str(k.value) for k in table.columns] != [k for k, _ in columns]:
            table.clear(columns=True)
            for key, label in columns:
                table.add_column(label, key=key)
        fixed = sum(WIDTHS[k] + 2 for k, _ in columns if k != "title")
        title_width = max(12, self.query_one("#section-body").size.width - fixed - 4)
        table.clear()
        for n, item in enumerate(self.items, 1):
            overdue = item.is_overdue(today)
            due = item.due.isoformat() if item.due else "—"
            cells = {
                "n": str(n),
                "title": Text(clip(item.title, title_width), style="bold red" if overdue else ""),
                "owner": Text(clip(item.owner, WIDTHS["owner"]))
                if item.owner
                else Text("unowned", style="dim italic"),
                "due": Text(f"⚠ {due}" if overdue else due, style="bold red" if overdue else ""),
                "priority": Text(item.priority, style=PRIORITY_STYLE.get(item.priority, "")),
                "kind": Text(item.kind),
                "status": Text(
                    LABELS.get(item.status, item.status), style=STATUS_STYLE.get(item.status, "")
                ),
                "ticket": Text(clip(item.ticket, WIDTHS["ticket"]) or "—"),
            }
            table.add_row(*(cells[k] for k, _ in columns), key=str(item.id))
        ids = [i.id for i in self.items]
        if current in ids:
            table.move_cursor(row=ids.index(current))
        has_items = bool(self.items)
        self.query_one("#actions-empty").display = not has_items
        self.query_one("#action-form").display = has_items
        self.show_form()

    def show_change(self, change: Change) -> None:
        ids = [row_id for table, row_id in change.rows if table == "action_item"]
        self.show(self.pm, select=ids[0] if ids else None)

    def selected(self) -> ActionItem | None:
        row = self.query_one(DataTable).cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    def selected_id(self) -> int | None:
        item = self.selected()
        return item.id if item else None

    def show_form(self) -> None:
        item = self.selected()
        if item is None:
            return
        n = self.items.index(item) + 1
        overdue = " · OVERDUE" if item.is_overdue(self.workspace.today()) else ""
        self.query_one("#form-title", Label).update(
            f"Action item {n} of {len(self.items)}{overdue}"
        )
        # The fields know which item they show: a save goes to that item, a draft
        # stays with it, and a refresh never writes into the field being typed in.
        where = f"action item {n}"
        for key, text in (
            ("a-title", item.title),
            ("a-owner", item.owner),
            ("a-due", item.due.isoformat() if item.due else ""),
            ("a-ticket", item.ticket),
        ):
            self.query_one(f"#field-{key}", Field).set_value(text, scope=item.id, scope_label=where)
        for name in ("priority", "kind", "status"):
            select: Select[str] = self.query_one(f"#a-{name}", Select)
            if select.value != getattr(item, name):
                with select.prevent(Select.Changed):
                    select.value = getattr(item, name)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.pm_app.flush()
        self.show_form()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # ------------------------------------------------------------------ write

    def _update(self, item_id: int | None, **fields: Any) -> None:
        if item_id is None:
            return
        self.workspace.store.update(ActionItem, item_id, **fields)
        self.after_write()
        self.show(self.pm)

    def on_select_changed(self, event: Select.Changed) -> None:
        item = self.selected()
        if item is None or not event.select.id or not isinstance(event.value, str):
            return
        if event.value != event.select.value:
            return  # stale: posted for the mount-time default before show_form set the real value
        name = event.select.id.removeprefix("a-")
        if getattr(item, name) != event.value:
            value, item_id = event.value, item.id
            self.pm_app.autosave.schedule(
                f"a-{name}:{item_id}", lambda: self._update(item_id, **{name: value})
            )
            self.pm_app.flush()

    def action_add(self) -> None:
        def check(title: str) -> str | None:
            return (
                None if title.strip() else "Say what will be done, e.g. 'Alert on pool saturation'"
            )

        def created(title: str | None) -> None:
            if title is None:
                return
            row = ActionItem(postmortem_id=self.workspace.pm_id, title=title.strip())
            if self.write("add the action item", lambda: self.workspace.store.add(row)):
                self.after_write()
                self.show(self.pm, select=row.id)
                # At once, not on the next refresh: the owner is typed straight away.
                self.set_focus(self.query_one("#input-a-owner"))

        self.app.push_screen(
            PromptDialog(
                "New action item",
                placeholder="what will be done",
                check=check,
                slot=self.slot("new-action", "New action item"),
            ),
            created,
        )

    def action_edit(self) -> None:
        if self.selected() is not None:
            self.set_focus(self.query_one("#input-a-title"))

    def action_delete(self, now: bool = False) -> None:
        item = self.selected()
        if item is None or item.id is None:
            return
        if not now and not self._delete.second(item.id):
            self.notify(f"Press d again to delete {shown(item.title, 40)}", timeout=3)
            return
        self.pm_app.flush()
        # The cursor stays where it was: on the next item, or the new last one.
        ids = [i.id for i in self.items]
        index = ids.index(item.id)
        following = ids[index + 1] if index + 1 < len(ids) else ids[index - 1] if index else None
        self.workspace.store.delete(ActionItem, item.id)
        self.after_write()
        self.show(self.pm, select=following)
        self.notify(f"Deleted {shown(item.title, 40)}. ctrl+z brings it back.")

    def action_cycle_status(self) -> None:
        item = self.selected()
        if item is None or item.id is None:
            return
        status = STATUS_CYCLE[(STATUS_CYCLE.index(item.status) + 1) % len(STATUS_CYCLE)]
        self.workspace.store.update(ActionItem, item.id, status=status)
        self.after_write()
        self.show(self.pm, select=item.id)

    def action_sort(self) -> None:
        ordered = sorted(self.items, key=sort_key)
        self.workspace.store.reorder(ActionItem, [i.id for i in ordered if i.id is not None])
        self.after_write()
        self.show(self.pm)
        self.notify("Sorted by priority, then due date")

    def action_move(self, delta: int) -> None:
        item_id = self.selected_id()
        if item_id is not None and self.workspace.store.move(ActionItem, item_id, delta):
            self.after_write()
            self.show(self.pm, select=item_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Single-letter keys act on the table only; in the form they are typing.
        if action in ("add", "edit", "delete", "cycle_status", "sort", "move"):
            return self.query_one(DataTable).has_focus or None
        return True
