"""The preview of a pasted log: every event it would add, and every assumption.

Nothing is written until the user presses Enter. The table shows the events as
they would land (times in the postmortem's zone); below it, the warnings say
which lines were joined to the event above, left out (and why), skipped as
duplicates or refused, and which date and zone were assumed. A refused line
blocks the import: Enter does nothing but say so, Escape closes.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from models.logimport import ImportPlan
from models.timeparse import to_zone
from models.usertext import printable
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
        super().__init__()
        self.plan = plan
        self.pm_title = title

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
        return Content.assemble(
            (f"Import {count} {events} from the paste into “", "bold"),
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
            return Content.styled(
                "Nothing can be added until the refused lines are fixed · escape closes",
                "bold $text-error",
            )
        count = len(self.plan.to_add)
        what = f"adds {count} event{'s' if count != 1 else ''}" if count else "adds nothing"
        return Content(f"enter {what} · escape cancels, nothing written · ↑↓ scroll")

    def action_import(self) -> None:
        if self.plan.blocked:
            self.app.bell()
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
