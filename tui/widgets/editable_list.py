"""An ordered list of one-line texts, edited in place from the keyboard.

The widget owns no data: it posts a message for each change (added, edited,
deleted, moved) and the screen writes through the store and calls :meth:`show`
with the new items. That keeps persistence, undo and validation in one place.

What is typed is protected like everywhere else in the app: an open editor's
text is a draft (quitting asks), Escape with typed text asks for a second
Escape, ``d`` asks for a second ``d``, and after a delete the cursor stays on
the row that took the deleted one's place.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, ListItem, ListView, Static

from models.usertext import printable, shown
from tui.drafts import DraftSlot
from tui.press_twice import PressTwice
from tui.widgets.text_input import TextInput
from tui.widgets.vim_lists import VimListView

Item = tuple[int, str]


class EditableList(Vertical):
    IN_PALETTE: ClassVar[bool] = True  # its keys are the section's actions
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="list.add"),
        Binding("e", "edit", "Edit", id="list.edit"),
        Binding("d", "delete", "Delete (dd)", id="list.delete"),
        Binding("delete", "delete(True)", "Delete", show=False, id="list.delete_now"),
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
        def __init__(self, source: EditableList, item_id: int, following: int | None) -> None:
            super().__init__()
            self.source, self.item_id, self.following = source, item_id, following

    class Moved(Message):
        def __init__(self, source: EditableList, item_id: int, delta: int) -> None:
            super().__init__()
            self.source, self.item_id, self.delta = source, item_id, delta

    def __init__(
        self, title: str, *, empty_hint: str, id: str, slot: DraftSlot | None = None
    ) -> None:
        super().__init__(id=id, classes="editable-list")
        self.title = title
        self.empty_hint = empty_hint
        self.slot = slot
        self.items: list[Item] = []
        self._editing: int | None = None  # item id, or -1 when adding
        self._original = ""
        self._delete = PressTwice()
        self._discard = PressTwice()

    def on_key(self, event: events.Key) -> None:
        """Any key between two d's disarms the first (``d j k d`` deletes nothing)."""
        self._delete.key(event.key)

    def compose(self) -> ComposeResult:
        yield Label(self.title, classes="list-title")
        yield VimListView()
        yield Static(self.empty_hint, classes="list-empty hint")
        yield TextInput(placeholder="type, enter to keep, escape to cancel", classes="list-editor")
        yield Static("", classes="list-hint hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(".list-editor", TextInput).display = False
        self._hint("")

    @property
    def list_view(self) -> ListView:
        return self.query_one(ListView)

    def _hint(self, message: str) -> None:
        hint = self.query_one(".list-hint", Static)
        hint.update(message)
        hint.display = bool(message)

    def show(self, items: list[Item], *, select: int | None = None) -> None:
        current = self.selected_id()
        self.items = items
        view = self.list_view
        old_index = view.index
        view.clear()
        view.extend(ListItem(Label(printable(text) or " ", markup=False)) for _, text in items)
        self.query_one(".list-empty", Static).display = not items
        ids = [i for i, _ in items]
        wanted = select if select is not None else current
        index: int | None = None
        if wanted in ids:
            index = ids.index(wanted)
        elif items:
            index = min(old_index or 0, len(items) - 1)
        # The new rows mount a moment later; an index set before they exist
        # highlights nothing. Set it now (for keys) and again once they are there.
        view.index = index
        self.call_after_refresh(self._highlight, index)

    def _highlight(self, index: int | None) -> None:
        view = self.list_view
        if index is not None and index < len(view):
            view.index = None
            view.index = index

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
        self._original = text
        editor = self.query_one(".list-editor", TextInput)
        editor.value = text
        editor.display = True
        self.screen.set_focus(editor)  # at once: the next key typed belongs in it

    def _close_editor(self) -> None:
        self._editing = None
        self._hint("")
        if self.slot is not None:
            self.slot.clear()
        editor = self.query_one(".list-editor", TextInput)
        editor.display = False
        self.screen.set_focus(self.list_view)

    def action_add(self) -> None:
        self._open_editor("", -1)

    def action_edit(self) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self._open_editor(dict(self.items)[item_id], item_id)

    def on_click(self, event: events.Click) -> None:
        """A click anywhere on the list (its title, the empty hint) works in it."""
        if not self.editing and not self.list_view.has_focus:
            self.screen.set_focus(self.list_view)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()  # a click: it highlights, it doesn't open the editor

    def on_vim_list_view_chosen(self, event: VimListView.Chosen) -> None:
        event.stop()  # enter
        self.action_edit()

    def on_input_changed(self, event: TextInput.Changed) -> None:
        event.stop()
        self._discard.reset()
        self._hint("")
        if self.slot is not None and self.editing:
            self.slot.hold(event.value if event.value != self._original else "")

    def action_cancel(self) -> None:
        typed = self.query_one(".list-editor", TextInput).value
        if typed.strip() and typed != self._original and not self._discard.second("discard"):
            self._hint("Escape again to throw away what you typed; enter keeps it")
            return
        self._close_editor()

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        event.stop()
        text, editing = event.value.strip(), self._editing
        self._close_editor()
        if editing == -1 and text:
            self.post_message(self.Added(self, text, self.selected_id()))
        elif editing is not None and editing >= 0:
            self.post_message(self.Edited(self, editing, text))

    def action_delete(self, now: bool = False) -> None:
        item_id = self.selected_id()
        if item_id is None:
            return
        if not now and not self._delete.second(item_id):
            text = dict(self.items)[item_id]
            self.notify(f"Press d again to delete {shown(text, 40)}", timeout=3, markup=False)
            return
        ids = [i for i, _ in self.items]
        index = ids.index(item_id)
        following = ids[index + 1] if index + 1 < len(ids) else ids[index - 1] if index else None
        self.post_message(self.Deleted(self, item_id, following))

    def action_move(self, delta: int) -> None:
        item_id = self.selected_id()
        if item_id is not None:
            self.post_message(self.Moved(self, item_id, delta))
