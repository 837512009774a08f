"""A one-line editor that opens under a tree for adding or renaming in place.

It owns no data: it reports what was typed (with the ``purpose`` it was opened
for) and the pane decides what to store, or shows a refusal with show_error
while the text stays in the line. While open, its text is a draft (quitting
asks), and Escape with changed text asks for a second Escape.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

from tui.drafts import DraftSlot
from tui.press_twice import PressTwice
from tui.widgets.text_input import TextInput


class InlineEditor(Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="editor.cancel"),
    ]

    class Done(Message):
        def __init__(self, editor: InlineEditor, value: str, purpose: Any) -> None:
            super().__init__()
            self.editor, self.value, self.purpose = editor, value, purpose

    class Cancelled(Message):
        def __init__(self, editor: InlineEditor) -> None:
            super().__init__()
            self.editor = editor

    def __init__(self, *, id: str | None = None, slot: DraftSlot | None = None) -> None:
        super().__init__(id=id, classes="inline-editor")
        self.purpose: Any = None
        self.slot = slot
        self._original = ""
        self._discard = PressTwice()

    def compose(self) -> ComposeResult:
        yield Label("", classes="editor-prompt", markup=False)
        yield TextInput(compact=True)
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        self.display = False

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    @property
    def box(self) -> TextInput:
        return self.query_one(TextInput)

    def open(self, prompt: str, value: str, purpose: Any) -> None:
        self.purpose = purpose
        self._original = value
        self.query_one(Label).update(f"{prompt}  ·  enter keeps it, escape cancels")
        self.show_error("")
        self.box.value = value
        self.display = True
        self.screen.set_focus(self.box)  # at once: the next key typed belongs here

    def close(self) -> None:
        self.display = False
        self.purpose = None
        if self.slot is not None:
            self.slot.clear()

    def show_error(self, message: str) -> None:
        error = self.query_one(".field-error", Static)
        error.update(message)
        error.display = bool(message)

    def on_input_changed(self, event: TextInput.Changed) -> None:
        event.stop()
        self._discard.reset()
        if self.slot is not None and self.is_open:
            self.slot.hold(event.value if event.value != self._original else "")

    def on_input_submitted(self, event: TextInput.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self, event.value, self.purpose))

    def action_cancel(self) -> None:
        typed = self.box.value
        if typed.strip() and typed != self._original and not self._discard.second("discard"):
            self.show_error("Escape again to throw away what you typed; enter keeps it")
            return
        self.close()
        self.post_message(self.Cancelled(self))
