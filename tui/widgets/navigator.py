"""The section navigator: always visible, with a completeness mark per section."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from models.completeness import Mark
from tui.sections import SECTIONS

MARK_GLYPHS = {Mark.EMPTY: "○", Mark.PARTIAL: "◐", Mark.DONE: "●"}


class Navigator(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="navigator.down"),
        Binding("k", "cursor_up", "Up", show=False, id="navigator.up"),
    ]

    class Chosen(Message):
        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, current: str) -> None:
        super().__init__(id="navigator")
        self.current = current
        self.can_focus = True

    def show(self, marks: dict[str, Mark]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        for section in SECTIONS:
            glyph = MARK_GLYPHS[marks[section.id]] if section.id in marks else "→"
            label = f"{glyph} {section.title:<13}{section.key_display}"
            self.add_option(Option(label, id=section.id))
        ids = [s.id for s in SECTIONS]
        self.highlighted = highlighted if highlighted is not None else ids.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
