"""The timeline's entry line: an Input that hands multi-line pastes to the screen.

A plain Input keeps only the first line of a paste. Pasting a chat log is how
timelines get written after the fact, so several lines become a message the
screen can confirm and import instead.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class EntryInput(Input):
    class MultiLinePaste(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_paste(self, event: events.Paste) -> None:
        if "\n" in event.text.strip("\r\n"):
            event.prevent_default()  # skip Input's own first-line-only paste
            event.stop()
            self.post_message(self.MultiLinePaste(event.text))
