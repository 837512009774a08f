"""The timeline's entry line: an Input that hands multi-line pastes to the screen.

A plain Input keeps only the first line of a paste. Pasting a chat log is how
timelines get written after the fact, so several lines become a message the
screen can confirm and import instead. Terminals paste with CR, LF or CRLF line
ends (tmux's paste-buffer and several terminals send CR): all three count.
"""

from __future__ import annotations

from textual import events
from textual.message import Message

from models.usertext import normalize_newlines
from tui.widgets.text_input import TextInput


class EntryInput(TextInput):
    """One-line pastes go through TextInput (control characters dropped)."""

    class MultiLinePaste(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_paste(self, event: events.Paste) -> None:
        text = normalize_newlines(event.text)
        if "\n" in text.strip("\n"):
            event.prevent_default()  # skip Input's own first-line-only paste
            event.stop()
            self.post_message(self.MultiLinePaste(text))
