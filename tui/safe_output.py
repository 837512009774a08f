"""Nothing the app draws can drive the terminal, whatever the data holds.

Text from the database reaches the screen through many widgets: inputs, text
areas, tables, trees, the header. Rich and Textual copy text into segments as
it is, so an ESC or BEL in a stored string (written by an older version, or by
another tool: the rules refuse them now) would reach the terminal raw: change
colours, retitle the window, or break the layout. Widgets that show user text
already pass it through models.usertext.printable; this filter is the backstop
at the last step before output, over every line of every widget.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class ControlCharacterFilter(LineFilter):
    """Replace control characters in drawn text with U+FFFD."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_CONTROL.search(text) for text, _, control in segments if not control):
            return segments
        return [
            segment
            if segment.control or not _CONTROL.search(segment.text)
            else Segment(_CONTROL.sub("\ufffd", segment.text), segment.style)
            for segment in segments
        ]
