"""The section navigator: always visible, with a completeness mark per section."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from models.completeness import Mark
from tui.sections import SECTIONS

MARK_GLYPHS = {Mark.EMPTY: "○", Mark.PARTIAL: "◐", Mark.DONE: "●"}


class Navigator(OptionList):
    class Chosen(Message):
        def __init__(self, section_id: str) -> None:
            super().__init__()
            self.section_id = section_id

    def __init__(self, current: str) -> None:
        super().__init__(id="navigator")
        self.current = current
        self.can_focus = True
        self._marks: dict[str, Mark] = {}

    def on_resize(self) -> None:
        if self._marks and self.has_class("compact") != (self.app.size.width < 100):
            self.show(self._marks)

    def show(self, marks: dict[str, Mark]) -> None:
        self._marks = marks
        compact = self.app.size.width < 100
        self.set_class(compact, "compact")
        highlighted = self.highlighted
        self.clear_options()
        for section in SECTIONS:
            glyph = MARK_GLYPHS[marks[section.id]] if section.id in marks else "→"
            key = section.key.removeprefix("alt+") if compact else section.key
            label = f"{glyph} {section.title:<13}{key}"
            self.add_option(Option(label, id=section.id))
        ids = [s.id for s in SECTIONS]
        self.highlighted = highlighted if highlighted is not None else ids.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
