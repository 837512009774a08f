"""A labelled field that checks what is typed and autosaves what is valid.

Invalid text stays in the field with a one-line message under it, and nothing
is written: the database only ever holds values that passed the same rules the
importer uses. Time fields wait for the user to leave the field before
complaining, because "14:3" is only wrong until the next keystroke.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static, TextArea

from models.errors import PostmortemError
from models.usertext import printable
from tui.autosave import Autosaver

Parse = Callable[[str], Any]
Save = Callable[[Any], object]


class Field(Vertical):
    def __init__(
        self,
        label: str,
        *,
        key: str,
        parse: Parse,
        save: Save,
        autosave: Autosaver,
        placeholder: str = "",
        suggester: Suggester | None = None,
        complain_while_typing: bool = True,
        classes: str = "",
    ) -> None:
        super().__init__(classes=f"field {classes}".strip(), id=f"field-{key}")
        self.label = label
        self.key = key
        self.parse = parse
        self.save = save
        self.autosave = autosave
        self.placeholder = placeholder
        self.suggester = suggester
        self.complain_while_typing = complain_while_typing
        self._loading = False
        self._last_saved: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label, classes="field-label")
            yield Input(
                placeholder=self.placeholder,
                suggester=self.suggester,
                compact=True,
                id=f"input-{self.key}",
            )
        yield Static("", classes="field-error")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def error(self) -> str:
        return str(self.query_one(".field-error", Static).content)

    def set_value(self, text: str) -> None:
        """Show a stored value, unless the user is mid-edit in this very field.
        Control characters an older version stored show as U+FFFD, never reach
        the terminal; they are only replaced in the database if the user edits."""
        text = printable(text)
        if self.input.has_focus and self.error:
            return
        if self.input.value != text:
            self._loading = True
            self.input.value = text
        self._last_saved = text

    def _show_error(self, message: str) -> None:
        self.query_one(".field-error", Static).update(message)
        self.set_class(bool(message), "-invalid")

    def _check(self, text: str, *, complain: bool) -> None:
        try:
            value = self.parse(text)
        except PostmortemError as exc:
            self.autosave.cancel(self.key)
            if complain:
                self._show_error(getattr(exc, "problem", None) or str(exc))
            return
        self._show_error("")
        if text != self._last_saved:
            self._last_saved = text
            self.autosave.schedule(self.key, lambda: self.save(value))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._loading:
            self._loading = False
            return
        self._check(event.value, complain=self.complain_while_typing)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._check(event.value, complain=True)
        self.autosave.flush()

    def on_descendant_blur(self, _event: DescendantBlur) -> None:
        self._check(self.input.value, complain=True)
        self.autosave.flush()


class TextAreaField(Vertical):
    """Multi-line free text (summary, impact description); every edit autosaves."""

    def __init__(self, label: str, *, key: str, save: Save, autosave: Autosaver) -> None:
        super().__init__(classes="field textarea-field", id=f"field-{key}")
        self.label = label
        self.key = key
        self.save = save
        self.autosave = autosave
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield TextArea(soft_wrap=True, show_line_numbers=False, id=f"input-{self.key}")

    @property
    def text_area(self) -> TextArea:
        return self.query_one(TextArea)

    def set_value(self, text: str) -> None:
        text = printable(text)
        if self.text_area.has_focus or self.text_area.text == text:
            return
        self._loading = True
        self.text_area.load_text(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._loading:
            self._loading = False
            return
        text = event.text_area.text
        self.autosave.schedule(self.key, lambda: self.save(text))

    def on_descendant_blur(self, _event: DescendantBlur) -> None:
        self.autosave.flush()
