"""An ordered list of one-line texts, edited in place from the keyboard.

The widget owns no data: it posts a message for each change (added, edited,
deleted, moved) and the screen writes through the store and calls :meth:`show`
with the new items. That keeps persistence, undo and validation in one place.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, ListItem, ListView, Static

from models.usertext import printable

Item = tuple[int, str]


class EditableList(Vertical):
    IN_PALETTE: ClassVar[bool] = True  # its keys are the section's actions
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="list.add"),
        Binding("e", "edit", "Edit", id="list.edit"),
        Binding("d", "delete", "Delete", id="list.delete"),
        Binding("shift+up", "move(-1)", "Move up", id="list.move_up"),
        Binding("shift+down", "move(1)", "Move down", id="list.move_down"),
        Binding("escape", "cancel", "Cancel edit", id="list.cancel", show=False),
    ]

    class Added(Message):
        def __init__(self, source: EditableList, text: str, after: int | None) -> None:
            super().__init__()
            self.source, self.text, self.after = source, text, after

    class Edited(Message):
        def __init__(self, source: EditableList, item_id: int, text: str) -> None:
            super().__init__()
            self.source, self.item_id, self.text = source, item_id, text

    class Deleted(Message):
        def __init__(self, source: EditableList, item_id: int) -> None:
            super().__init__()
            self.source, self.item_id = source, item_id

    class Moved(Message):
        def __init__(self, source: EditableList, item_id: int, delta: int) -> None:
            super().__init__()
            self.source, self.item_id, self.delta = source, item_id, delta

    def __init__(self, title: str, *, empty_hint: str, id: str) -> None:
        super().__init__(id=id, classes="editable-list")
        self.title = title
        self.empty_hint = empty_hint
        self.items: list[Item] = []
        self._editing: int | None = None  # item id, or -1 when adding

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="list-title")
        yield ListView()
        yield Static(self.empty_hint, classes="list-empty hint")
        yield Input(placeholder="type, enter to keep, escape to cancel", classes="list-editor")

    def on_mount(self) -> None:
        self.query_one(".list-editor", Input).display = False

    @property
    def list_view(self) -> ListView:
        return self.query_one(ListView)

    def show(self, items: list[Item], *, select: int | None = None) -> None:
        current = self.selected_id()
        self.items = items
        view = self.list_view
        view.clear()
        view.extend(ListItem(Label(printable(text) or " ", markup=False)) for _, text in items)
        self.query_one(".list-empty", Static).display = not items
        ids = [i for i, _ in items]
        wanted = select if select is not None else current
        if wanted in ids:
            view.index = ids.index(wanted)
        elif items:
            view.index = min(view.index or 0, len(items) - 1)

    def selected_id(self) -> int | None:
        index = self.list_view.index
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index][0]

    @property
    def editing(self) -> bool:
        return self._editing is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.editing
        if action in ("add", "edit", "delete", "move"):
            return not self.editing
        return True

    def _open_editor(self, text: str, editing: int) -> None:
        self._editing = editing
        editor = self.query_one(".list-editor", Input)
        editor.value = text
        editor.display = True
        editor.focus()

    def _close_editor(self) -> None:
        self._editing = None
        editor = self.query_one(".list-editor", Input)
        editor.display = False
        self.list_view.focus()

    def action_add(self) -> None:
        self._open_editor("", -1)

    def action_edit(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._open_editor(dict(self.items)[item_id], item_id)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        self.action_edit()

    def action_cancel(self) -> None:
        self._close_editor()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text, editing = event.value.strip(), self._editing
        self._close_editor()
        if editing == -1 and text:
            self.post_message(self.Added(self, text, self.selected_id()))
        elif editing is not None and editing >= 0:
            self.post_message(self.Edited(self, editing, text))

    def action_delete(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.post_message(self.Deleted(self, item_id))

    def action_move(self, delta: int) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.post_message(self.Moved(self, item_id, delta))
