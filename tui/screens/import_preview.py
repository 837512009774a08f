"""The preview of a pasted log: every event it would add, and every assumption.

Nothing is written until the user presses Enter. The table shows the events as
they would land (times in the postmortem's zone); below it, the warnings say
which lines were joined to the event above, left out (and why), skipped as
duplicates or refused, and which date and zone were assumed. A line that
starts with a time that can't be placed is refused; the first Enter says what a
second one will do: import the rest and count the refused lines as left out, so
the user can type them in by hand. Escape closes, nothing written.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from models.logimport import ImportPlan
from models.timeparse import to_zone
from models.usertext import printable
from tui.press_twice import PressTwice
from tui.widgets.rows_view import RowsView

# Theme variables, so the warnings stay readable in light and dark themes.
LEVEL_STYLE = {"error": "bold $text-error", "warning": "$text-warning", "info": "$text-muted"}
LEVEL_MARK = {"error": "✗", "warning": "!", "info": "·"}


class ImportPreview(ModalScreen[bool]):
    """Dismisses with True to import, False to cancel."""

    CSS_PATH = "import_preview.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "import", "Import", id="import_preview.import", priority=True),
        Binding("escape", "cancel", "Cancel", id="import_preview.cancel"),
    ]

    def __init__(self, plan: ImportPlan, title: str) -> None:
        """After dismissal with True, ``plan`` is what to import: the given
        plan, or it without its refused lines if the user chose that."""
        super().__init__()
        self.plan = plan
        self.pm_title = title
        self._skip = PressTwice()

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-box"):
            yield Static(self._title(), id="preview-title")
            yield Static("", id="preview-header")
            yield RowsView(
                [("Line", 5), ("Time", 15), ("Kind", 13), ("Actor", 14), ("Text", 0)],
                dim=(0, 3),
                id="preview-rows",
            )
            with VerticalScroll(id="preview-warnings"):
                yield Static(self._warnings(), id="preview-warnings-text")
            yield Static(self._hint(), id="preview-hint")

    def on_mount(self) -> None:
        view = self.query_one(RowsView)
        tz = self.plan.tz
        view.set_rows(
            [
                (
                    str(e.line),
                    f"{to_zone(e.at, tz):%d %b %H:%M:%S}",
                    e.kind,
                    e.actor,
                    " ".join(e.text.split()),
                )
                for e in self.plan.to_add
            ]
        )
        view.focus()

    def on_resize(self) -> None:
        view = self.query_one(RowsView)
        width = view.scrollable_content_region.width or view.size.width
        self.query_one("#preview-header", Static).update(Content(view.header(width)))

    def _title(self) -> Content:
        plan = self.plan
        count = len(plan.to_add)
        events = "event" if count == 1 else "events"
        refused = len(plan.log.refused)
        head = (
            f"{refused} line{'s' * (refused != 1)} can't be read · {count} {events} ready for “"
            if refused
            else f"Import {count} {events} from the paste into “"
        )
        return Content.assemble(
            (head, "bold"),
            (printable(self.pm_title), "bold"),  # user text: never markup, never control codes
            ("”", "bold"),
            (f"  ·  {plan.log.line_count} lines · times in {plan.tz}", "$text-muted"),
        )

    def _warnings(self) -> Content:
        parts: list[tuple[str, str] | str] = []
        for notice in self.plan.warnings():
            if parts:
                parts.append("\n")
            style = LEVEL_STYLE[notice.level]
            parts.append((f"{LEVEL_MARK[notice.level]} {notice.text}", style))
        return Content.assemble(*parts)

    def _hint(self) -> Content:
        if self.plan.blocked:
            count = len(self.plan.to_add)
            return Content.styled(
                f"enter twice adds the other {count} event{'s' * (count != 1)} and leaves the "
                "unreadable lines out · escape closes, nothing written",
                "bold $text-error",
            )
        count = len(self.plan.to_add)
        what = f"adds {count} event{'s' if count != 1 else ''}" if count else "adds nothing"
        return Content(f"enter {what} · escape cancels, nothing written · ↑↓ scroll")

    def on_key(self, event: events.Key) -> None:
        self._skip.key(event.key, armed_by="enter")

    def action_import(self) -> None:
        if self.plan.blocked:
            if not self.plan.to_add:
                self.app.bell()
                self._say("Nothing to add: no line can be read · escape closes")
                return
            if not self._skip.second("skip"):
                refused = len(self.plan.log.refused)
                self._say(
                    f"Press enter again to add {len(self.plan.to_add)} events without the "
                    f"{refused} unreadable line{'s' * (refused != 1)} · escape closes"
                )
                return
            self.plan = self.plan.leaving_out_refused()
        self.dismiss(True)

    def _say(self, words: str) -> None:
        self.query_one("#preview-hint", Static).update(Content.styled(words, "bold $text-warning"))

    def action_cancel(self) -> None:
        self.dismiss(False)
