"""A read-only table of many rows that renders only the rows on screen.

A pasted log can hold ten thousand events, and DataTable measures every cell
before its first paint (about 2 s at that size). Like the timeline list, this
is a ScrollView whose virtual height is the row count and whose render_line()
formats one row when asked, so a preview of any size opens at once.

Cells are plain strings; they are cut to their column with an ellipsis and
never parsed as markup. The caller passes text that is already clean of control
characters (models.usertext).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.widgets.timeline_view import fit

DIM = Style(dim=True)


class RowsView(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_rows(-1)", "Up", show=False, id="rows.up"),
        Binding("down", "scroll_rows(1)", "Down", show=False, id="rows.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="rows.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="rows.page_down"),
        Binding("home", "scroll_home", "First", show=False, id="rows.first"),
        Binding("end", "scroll_end", "Last", show=False, id="rows.last"),
    ]

    def __init__(
        self, columns: Sequence[tuple[str, int]], *, dim: Sequence[int] = (), id: str | None = None
    ) -> None:
        """``columns`` are (title, width); a width of 0 takes what the others leave.
        ``dim`` lists the columns drawn dim (line numbers, actors)."""
        super().__init__(id=id)
        self.columns = list(columns)
        self.dim = frozenset(dim)
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.rows = rows
        self.virtual_size = Size(0, len(rows))
        self.refresh()

    def widths(self, width: int) -> list[int]:
        fixed = sum(w + 1 for _, w in self.columns if w)
        flexible = sum(1 for _, w in self.columns if not w)
        spare = max(8, (width - fixed) // max(1, flexible))
        return [w or spare for _, w in self.columns]

    def header(self, width: int) -> str:
        return " ".join(
            fit(title, w) for (title, _), w in zip(self.columns, self.widths(width), strict=True)
        )

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        segments: list[Segment] = []
        for index, (cell, w) in enumerate(zip(self.rows[row], self.widths(width), strict=False)):
            if index:
                segments.append(Segment(" "))
            segments.append(Segment(fit(cell, w), DIM if index in self.dim else None))
        return Strip(segments).adjust_cell_length(width).apply_style(self.rich_style)

    def action_scroll_rows(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False)

    def action_page(self, direction: int) -> None:
        self.scroll_to(
            y=self.scroll_offset.y + direction * max(1, self.size.height - 1), animate=False
        )

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))
