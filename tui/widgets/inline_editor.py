"""A one-line editor that opens under a tree for adding or renaming in place.

It owns no data: it reports what was typed (with the ``purpose`` it was opened
for) and the pane decides what to store, or shows a refusal with show_error
while the text stays in the line.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from models.usertext import printable


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

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="inline-editor")
        self.purpose: Any = None

    def compose(self) -> ComposeResult:
        yield Label("", classes="editor-prompt")
        yield Input(compact=True)
        yield Static("", classes="field-error")

    def on_mount(self) -> None:
        self.display = False

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    def open(self, prompt: str, value: str, purpose: Any) -> None:
        self.purpose = purpose
        self.query_one(Label).update(f"{prompt}  ·  enter keeps it, escape cancels")
        self.show_error("")
        box = self.query_one(Input)
        box.value = printable(value)  # stored control characters never reach the terminal
        self.display = True
        box.focus()

    def close(self) -> None:
        self.display = False
        self.purpose = None

    def show_error(self, message: str) -> None:
        self.query_one(".field-error", Static).update(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(self, event.value, self.purpose))

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Cancelled(self))
