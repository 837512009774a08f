"""Related incidents on the Overview: this postmortem's links, then suggestions.

A table the user can move through with the keyboard. Its keys only report what
the user wants (messages); the screen does the writing, through the store, so
the change is autosaved and undone like any other.

    enter  open the other postmortem      l  link another postmortem…
    y      confirm a suggestion (related) r  recurrence of it (or switch a link's kind)
    n      dismiss a suggestion           dd remove a link
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Label, Static

from models.related import Link, Suggestion
from models.usertext import printable
from tui.press_twice import PressTwice
from tui.widgets.vim_lists import VimDataTable

HINT = "enter open · l link… · y confirm · r recurrence of · n dismiss · dd remove"


@dataclass(frozen=True)
class Row:
    other_id: int
    link: Link | None = None
    suggestion: Suggestion | None = None


class RelatedPanel(Vertical):
    IN_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "link", "Link a postmortem", id="related.link"),
        Binding("y", "confirm", "Confirm related", id="related.confirm", show=False),
        Binding("r", "recurrence", "Recurrence of", id="related.recurrence", show=False),
        Binding("n", "dismiss", "Dismiss suggestion", id="related.dismiss", show=False),
        Binding("d", "remove", "Remove link (dd)", id="related.remove", show=False),
    ]

    class Open(Message):
        def __init__(self, pm_id: int) -> None:
            super().__init__()
            self.pm_id = pm_id

    class LinkRequested(Message):
        pass

    class Decided(Message):
        """Link ``other_id`` with ``kind`` (related, recurrence_of, not_related)."""

        def __init__(self, other_id: int, kind: str) -> None:
            super().__init__()
            self.other_id = other_id
            self.kind = kind

    class Removed(Message):
        def __init__(self, link_id: int) -> None:
            super().__init__()
            self.link_id = link_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._remove = PressTwice()

    def compose(self) -> ComposeResult:
        yield Label("Related incidents", classes="panel-title")
        yield VimDataTable(cursor_type="row", id="related-table", show_header=False)
        yield Static(HINT, id="related-hint", markup=False, classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("relation", key="relation", width=14)
        table.add_column("postmortem", key="postmortem")

    def show(self, links: list[Link], suggestions: list[Suggestion]) -> None:
        table = self.query_one(DataTable)
        current = self.selected()
        self.rows = [Row(link.other_id, link=link) for link in links]
        self.rows += [Row(s.other_id, suggestion=s) for s in suggestions]
        table.clear()
        for row in self.rows:
            if row.link is not None:
                relation = Text(row.link.relation, style="bold")
                body = Text(f"#{row.other_id} {printable(row.link.title)}")
            else:
                assert row.suggestion is not None
                relation = Text("suggested?", style="italic yellow")
                body = Text(f"#{row.other_id} {printable(row.suggestion.title)}")
                body.append(f"  shares {'; '.join(row.suggestion.reasons)}", style="dim")
            table.add_row(relation, body, key=f"{'l' if row.link else 's'}{row.other_id}")
        if not self.rows:
            table.add_row(
                Text("none", style="dim"),
                Text("l links a past postmortem; similar ones are suggested here", style="dim"),
            )
        elif current is not None:
            keys = [(r.other_id, r.link is None) for r in self.rows]
            wanted = (current.other_id, current.link is None)
            if wanted in keys:
                table.move_cursor(row=keys.index(wanted))
        table.styles.height = max(1, len(self.rows))

    def selected(self) -> Row | None:
        if not self.rows:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected()
        if row is not None:
            self.post_message(self.Open(row.other_id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters act only while the table has focus; anywhere else they are typing.
        return self.query_one(DataTable).has_focus or None

    def action_link(self) -> None:
        self.post_message(self.LinkRequested())

    def action_confirm(self) -> None:
        row = self.selected()
        if row is not None and row.suggestion is not None:
            self.post_message(self.Decided(row.other_id, "related"))
        elif row is not None:
            self.notify("Already linked; r switches related / recurrence of", timeout=3)

    def action_recurrence(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.link is not None and row.link.relation == "recurrence of":
            self.post_message(self.Decided(row.other_id, "related"))
        elif row.link is not None and row.link.relation == "recurred in":
            self.notify("That one is a recurrence of this: change it there", timeout=4)
        else:
            self.post_message(self.Decided(row.other_id, "recurrence_of"))

    def action_dismiss(self) -> None:
        row = self.selected()
        if row is not None and row.suggestion is not None:
            self.post_message(self.Decided(row.other_id, "not_related"))

    def action_remove(self) -> None:
        row = self.selected()
        if row is None or row.link is None:
            return
        if not self._remove.second(row.link.link_id):
            self.notify("Press d again to remove this link", timeout=3)
            return
        self.post_message(self.Removed(row.link.link_id))
