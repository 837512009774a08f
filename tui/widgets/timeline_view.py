"""The timeline list: a virtualised view that renders only the rows on screen.

Textual's DataTable measures every cell before its first paint (about 2 s for
10,000 rows), so this widget follows toolong's approach instead: a ScrollView
whose virtual height is the row count, and a render_line() that formats one
row when the compositor asks for it. Opening, scrolling and moving the cursor
cost the same for ten events or ten thousand.

The widget reads the events it is given and never writes; the screen owns
editing and persistence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from models.enums import MILESTONE_VALUES
from models.timefmt import local, offset_words
from models.usertext import printable

if TYPE_CHECKING:
    from models.tables import TimelineEvent

TIME_W, OFFSET_W, KIND_W = 13, 10, 15
DIM = Style(dim=True)
INVALID = Style(color="red", bold=True)


def column_widths(width: int) -> tuple[int, int]:
    """(text, actor): the event text takes what's left; actor only when there's room."""
    actor = 14 if width >= 90 else 0
    return max(8, width - TIME_W - OFFSET_W - KIND_W - actor), actor


def fit(text: str, width: int) -> str:
    """Exactly ``width`` cells, elided with … when longer (wide characters counted).

    Goes straight into a Segment, which nothing escapes: control characters in
    stored text (written by an older version or another tool) become U+FFFD here,
    so they can never reach the terminal."""
    if width <= 0:
        return ""
    flat = " ".join(printable(text).split())
    if cell_len(flat) <= width:
        return set_cell_size(flat, width)
    return set_cell_size(flat, width - 1) + "…"


class TimelineView(ScrollView, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--cursor",
        "timeline--milestone",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False, id="timeline.up"),
        Binding("down,j", "move(1)", "Down", show=False, id="timeline.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="timeline.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="timeline.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="timeline.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="timeline.last"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another event (or there is none: ``event`` is None)."""

        def __init__(self, event: TimelineEvent | None) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: list[TimelineEvent] = []
        self.rows: list[int] = []
        self.tz = "UTC"
        self.show_utc = False
        self.started: dt.datetime | None = None
        self.milestones_only = False
        self.text_filter = ""

    # ------------------------------------------------------------------ data

    @property
    def display_zone(self) -> str:
        return "UTC" if self.show_utc else self.tz

    def set_events(
        self,
        events: list[TimelineEvent],
        *,
        tz: str,
        started: dt.datetime | None,
        select_id: int | None = None,
    ) -> None:
        """Show ``events`` (already in time order); keep or move the selection."""
        keep = select_id if select_id is not None else self.selected_id()
        self.events = events
        self.tz = tz
        self.started = started
        self._refilter(keep)

    def set_filter(self, *, milestones_only: bool | None = None, text: str | None = None) -> None:
        if milestones_only is not None:
            self.milestones_only = milestones_only
        if text is not None:
            self.text_filter = text.strip().lower()
        self._refilter(self.selected_id())

    def _refilter(self, keep: int | None) -> None:
        words = self.text_filter.split()
        if not self.milestones_only and not words:
            self.rows = list(range(len(self.events)))
        else:
            self.rows = [
                i
                for i, e in enumerate(self.events)
                if (not self.milestones_only or e.kind in MILESTONE_VALUES)
                and all(w in f"{e.text} {e.actor}".lower() for w in words)
            ]
        self.virtual_size = Size(0, len(self.rows))
        row = len(self.rows) - 1
        if keep is not None:
            row = next((r for r, i in enumerate(self.rows) if self.events[i].id == keep), row)
        self.cursor = max(0, row)
        self.refresh()
        self.call_after_refresh(self.scroll_to_cursor)  # the first time, layout comes later

    def selected(self) -> TimelineEvent | None:
        if not self.rows or not 0 <= self.cursor < len(self.rows):
            return None
        return self.events[self.rows[self.cursor]]

    def selected_id(self) -> int | None:
        event = self.selected()
        return event.id if event else None

    # ------------------------------------------------------------------ cursor

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self.selected()))

    def scroll_to_cursor(self) -> None:
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_move(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.size.height - 1)

    def action_jump(self, row: int) -> None:
        self.cursor = row if row >= 0 else len(self.rows) - 1

    def on_click(self, event: Click) -> None:
        self.cursor = self.scroll_offset.y + event.y
        self.focus()

    # ------------------------------------------------------------------ rendering

    def header(self, width: int) -> str:
        text_w, actor_w = column_widths(width)
        return (
            fit("Time", TIME_W)
            + fit("T+", OFFSET_W)
            + fit("Kind", KIND_W)
            + fit("Event", text_w)
            + fit("Actor", actor_w)
        )

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if row >= len(self.rows):
            return Strip.blank(width, base)
        event = self.events[self.rows[row]]
        shown = local(event.at, self.display_zone)
        previous = local(self.events[self.rows[row - 1]].at, self.display_zone) if row else None
        invalid = shown is None  # stored outside the accepted years: marked where it is
        if shown is None:
            clock, offset = "⚠ invalid", ""  # the detail line says why
        else:
            clock = shown.strftime("%H:%M:%S" if shown.second else "%H:%M")
            if previous is None or y == 0 or previous.date() != shown.date():
                clock = f"{shown:%d %b} {clock}"  # the date when it changes, and on the top row
            started = self.started
            offset = offset_words((event.at - started).total_seconds()) if started else ""
        milestone = event.kind in MILESTONE_VALUES
        text_w, actor_w = column_widths(width)
        # The terminal's dim attribute, not $text-muted: that is an "auto" colour
        # resolved against the real background, which a Rich style can't carry
        # (it came out near-white in the light theme).
        dim = DIM
        kind_style = (
            self.get_component_rich_style("timeline--milestone", partial=True) if milestone else dim
        )
        kind = f"▶{event.kind}" if milestone else f" {event.kind}"
        segments = [
            Segment(fit(clock, TIME_W), INVALID if invalid else None),
            Segment(fit(offset, OFFSET_W), dim),
            Segment(fit(kind, KIND_W), kind_style),
            Segment(fit(event.text, text_w)),
            Segment(fit(event.actor, actor_w), dim),
        ]
        strip = Strip(segments).adjust_cell_length(width)
        if row == self.cursor:  # tcss styles it differently while focused
            return strip.apply_style(base + self.get_component_rich_style("timeline--cursor"))
        return strip.apply_style(base)

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)
