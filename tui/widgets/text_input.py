"""Inputs that keep user text as data, whatever the terminal pastes.

Textual's Input keeps only the first line of a paste and TextArea inserts a
paste as it comes, carriage returns and escape sequences included. Every text
field of the app uses these two instead:

* :class:`TextInput` (one line) joins a multi-line paste with its ``joiner``,
  ``", "`` for list fields such as services and a space elsewhere, so pasting
  three service names keeps all three;
* :class:`TextBox` (several lines) reads CR and CRLF as line ends.

Both drop control characters (ESC, BEL, NUL...) from what is pasted: see
models.usertext. Typed keys can't carry them: Textual only inserts printable
characters.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input, TextArea

from models.usertext import clean, clean_line


class TextInput(Input):
    """Focusing never selects the text: Textual's Input selects it all on focus,
    so the first key typed after tabbing into a field replaced its value."""

    def __init__(self, *args: Any, joiner: str = " ", **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.joiner = joiner

    def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of Input's first-line-only paste
        event.stop()
        text = clean_line(event.text, self.joiner)
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)


class TextBox(TextArea):
    async def on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of TextArea's paste of the raw text
        event.stop()
        if self.read_only:
            return
        text = clean(event.text)
        if text:
            result = self.replace(text, *self.selection)
            self.move_cursor(result.end_location)
